/**
 * The wiring every runtime shares: env → ConfigProvider, the chosen SessionSink, the stores over
 * whichever SqlClient the runtime brings (migrated first where the runtime owns its database),
 * the registry of providers and a fetch-based HttpClient. Runtime-neutral: Workers import it.
 *
 * Sink choice: SWITCHBOARD_SESSIONS_URL → signed HTTP; else a service binding named by
 * SWITCHBOARD_SESSIONS_BINDING (Workers only) → signed request through it; else the log sink.
 */
import { Config, ConfigProvider, Effect, Layer, Option } from "effect"
import { FetchHttpClient } from "effect/http"
import type { SqlClient } from "effect/sql"
import * as HttpSink from "../../adapters/sink/HttpSink.ts"
import * as LogSink from "../../adapters/sink/LogSink.ts"
import * as ServiceBindingSink from "../../adapters/sink/ServiceBindingSink.ts"
import * as Migrate from "../../adapters/sql/Migrate.ts"
import * as LimitBucketStoreSql from "../../adapters/sql/stores/LimitBucketStoreSql.ts"
import * as StoresSql from "../../adapters/sql/StoresSql.ts"
import type { StoreError } from "../../kernel/domain/Errors.ts"
import type { KernelDependencies } from "../../kernel/Kernel.ts"
import type { DatabaseHealth } from "../../kernel/store/DatabaseHealth.ts"
import type { LimitBucketStore } from "../../kernel/store/LimitBucketStore.ts"
import type { Stores } from "../../kernel/store/Stores.ts"
import { KernelConfig } from "../../kernel/KernelConfig.ts"
import { Registry } from "../../kernel/registry/Registry.ts"
import { providers } from "../../providers/index.ts"

/** The string entries of an env object (Workers' env also holds bindings). */
export const stringEntries = (env: Readonly<Record<string, unknown>>): Record<string, string> => {
  const strings: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === "string") strings[name] = value
  }
  return strings
}

/**
 * Vendor calls and the HTTP sink go out through fetch. Kept fetch-based on purpose: calls to a
 * pasted site ask fetch, per request, not to follow redirects (the kernel's `PastedUrl.confine`),
 * which a client that followed them itself would ignore.
 */
export const httpClient = FetchHttpClient.layer

export const sessionSink = (
  binding: ServiceBindingSink.ServiceBinding | undefined
) =>
  Layer.unwrap(Effect.gen(function*() {
    const url = yield* Config.option(Config.NonEmptyString("SWITCHBOARD_SESSIONS_URL"))
    if (Option.isSome(url)) return HttpSink.layerConfig
    if (binding !== undefined) return ServiceBindingSink.layerConfig(binding)
    return LogSink.layer
  }))

/** An engine whose stores or migrations are not the SQL ones (Postgres, `./database.ts`). */
export interface StorageEngine {
  /** With a `LimitBucketStore` when its instances share limits through the database. */
  readonly stores: Layer.Layer<Stores | DatabaseHealth | LimitBucketStore, never, SqlClient.SqlClient>
  readonly migrations: Layer.Layer<never, StoreError, SqlClient.SqlClient>
}

export interface RuntimeDependenciesOptions<E> {
  /** The process env, or a Worker's `env` (non-string bindings are ignored for config). */
  readonly env: Readonly<Record<string, unknown>>
  readonly sql: Layer.Layer<SqlClient.SqlClient, E>
  /** Apply migrations at start (embedded SQLite). On D1, wrangler applies them instead. */
  readonly migrate: boolean
  readonly sessionsBinding?: ServiceBindingSink.ServiceBinding | undefined
  /** Absent: the SQL stores and `Migrate` (SQLite, D1). */
  readonly engine?: StorageEngine | undefined
  /** The kernel's settings already read from `env` (the preflight's); absent: read when the layer is built. */
  readonly config?: KernelConfig["Service"] | undefined
  /**
   * Per-minute limits shared through the database (`LimitBucketStore`) rather than counted in
   * memory: for Workers, whose isolates are many. Postgres's stores bring it themselves.
   */
  readonly sharedLimits?: boolean | undefined
}

export const runtimeDependencies = <E>(options: RuntimeDependenciesOptions<E>) => {
  const migrations = options.engine?.migrations ?? Migrate.layer
  const engineStores = options.engine?.stores ?? StoresSql.layer
  const stores = options.sharedLimits === true ? Layer.merge(engineStores, LimitBucketStoreSql.layer) : engineStores
  const sql = options.migrate
    ? migrations.pipe(Layer.provideMerge(options.sql))
    : options.sql
  const dependencies = Layer.mergeAll(
    options.config === undefined ? KernelConfig.layerConfig : Layer.succeed(KernelConfig, options.config),
    Registry.layer(providers),
    sessionSink(options.sessionsBinding),
    // Merged: the kernel's /health asks the engine's DatabaseHealth, when it has one (SQLite).
    stores.pipe(Layer.provideMerge(sql))
  ).pipe(
    // Merged: the kernel calls vendors with it too, not only the HTTP sink.
    Layer.provideMerge(httpClient),
    // Merged, not only provided: config read while serving must see the same env.
    Layer.provideMerge(ConfigProvider.layer(ConfigProvider.fromEnvRecord(stringEntries(options.env))))
  )
  return dependencies satisfies Layer.Layer<KernelDependencies, unknown>
}
