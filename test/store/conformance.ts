/**
 * The store conformance suite: every port method of the SQL stores, tenant isolation, dedupe,
 * single-use OAuth state, claim leases, the bind race, app registrations (pending to active,
 * secrets), JSON round-trips, migrations, and (SQLite only) transactions. Runtime neutral and
 * framework free, so the same cases run under vitest (better-sqlite3, Postgres), Bun, Deno and
 * workerd (D1): give it a layer providing `SqlClient` (and, for Postgres, its stores and migrations).
 *
 * Each case builds the layer afresh (a new connection), migrates, and empties every table, so
 * cases are independent even when the layer points at one database (a file, or D1).
 */
import { Cause, Effect, Exit, Layer } from "effect"
import { SqlClient } from "effect/sql"
import * as Migrate from "../../adapters/sql/Migrate.ts"
import * as LimitBucketStoreSql from "../../adapters/sql/stores/LimitBucketStoreSql.ts"
import * as StoresSql from "../../adapters/sql/StoresSql.ts"
import { appRegistrationCases } from "./cases/appRegistrations.ts"
import { installationRefreshCases } from "./cases/installationRefresh.ts"
import { installationCases } from "./cases/installations.ts"
import { installTicketCases } from "./cases/installTickets.ts"
import { migrateCases } from "./cases/migrate.ts"
import { oauthStateCases } from "./cases/oauthState.ts"
import { outboxCases } from "./cases/outbox.ts"
import { publicationCases } from "./cases/publications.ts"
import { limitBucketCases } from "./cases/limitBuckets.ts"
import { rateLimitGateCases } from "./cases/rateLimitGates.ts"
import { rejectedWebhookCases } from "./cases/rejectedWebhooks.ts"
import { retentionCases } from "./cases/retention.ts"
import { sessionBindingCases } from "./cases/sessionBindings.ts"
import { sqliteCases } from "./cases/sqlite.ts"
import { sqliteLockCases } from "./cases/sqliteLocks.ts"
import { tenantCases } from "./cases/tenants.ts"
import { undecidedClaimCases } from "./cases/undecidedClaims.ts"
import { webhookEventCases } from "./cases/webhookEvents.ts"
import { postgresCases } from "./cases/postgres.ts"
import type { Engine, StoreCase } from "./fixtures.ts"
import type { Stores } from "../../kernel/store/Stores.ts"

export type { Engine } from "./fixtures.ts"

export interface ConformanceCase {
  readonly name: string
  /** Resolves, or rejects with an Error saying what failed. */
  readonly run: () => Promise<void>
}

export interface CaseResult {
  readonly name: string
  readonly ok: boolean
  readonly error: string | null
  readonly ms: number
}

const allCases: ReadonlyArray<StoreCase> = [
  ...migrateCases,
  ...tenantCases,
  ...installationCases,
  ...installationRefreshCases,
  ...oauthStateCases,
  ...installTicketCases,
  ...publicationCases,
  ...webhookEventCases,
  ...undecidedClaimCases,
  ...sessionBindingCases,
  ...outboxCases,
  ...appRegistrationCases,
  ...rateLimitGateCases,
  ...limitBucketCases,
  ...retentionCases,
  ...rejectedWebhookCases,
  ...sqliteCases,
  ...sqliteLockCases,
  ...postgresCases
]

const casesFor = (engine: Engine) => allCases.filter((c) => c.engines === undefined || c.engines.includes(engine))

export const caseNames = (engine: Engine): ReadonlyArray<string> => casesFor(engine).map((c) => c.name)

/** Children before parents, for the foreign keys. */
const tables = [
  "session_bindings",
  "publications",
  "installations",
  "api_keys",
  "tenants",
  "oauth_state",
  "webhook_events",
  "outbox",
  "app_registrations",
  "install_ticket_redemptions",
  "rate_limit_gates",
  "limit_buckets",
  "retention_marks"
]

/** How an engine migrates and which store layer it uses: SQLite and D1 share the SQL stores. */
export interface EngineLayers {
  readonly migrate: Effect.Effect<unknown, unknown, SqlClient.SqlClient>
  readonly stores: Layer.Layer<Stores, never, SqlClient.SqlClient>
}

const sqlEngine: EngineLayers = { migrate: Migrate.migrate, stores: StoresSql.layer }

const reset = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const table of tables) yield* sql.unsafe(`DELETE FROM ${table}`)
})

export const conformanceCases = <E>(
  sqlLayer: Layer.Layer<SqlClient.SqlClient, E>,
  engine: Engine,
  layers: EngineLayers = sqlEngine
): ReadonlyArray<ConformanceCase> => {
  const prepared = Layer.effectDiscard(Effect.andThen(layers.migrate, reset))
  // Every engine's limits can be shared through its database (Postgres's stores bring it already).
  const environment = Layer.mergeAll(layers.stores, LimitBucketStoreSql.layer, prepared).pipe(Layer.provideMerge(sqlLayer))
  return casesFor(engine).map((storeCase) => ({
    name: storeCase.name,
    run: async () => {
      const exit = await Effect.runPromiseExit(storeCase.body.pipe(Effect.provide(environment)))
      if (Exit.isFailure(exit)) throw new Error(Cause.pretty(exit.cause))
    }
  }))
}

/** Runs the cases one after another (they share a database) and reports each. */
export const runConformance = async (cases: ReadonlyArray<ConformanceCase>): Promise<ReadonlyArray<CaseResult>> => {
  const results: Array<CaseResult> = []
  for (const { name, run } of cases) {
    const started = Date.now()
    try {
      await run()
      results.push({ name, ok: true, error: null, ms: Date.now() - started })
    } catch (error) {
      results.push({ name, ok: false, error: error instanceof Error ? error.message : String(error), ms: Date.now() - started })
    }
  }
  return results
}
