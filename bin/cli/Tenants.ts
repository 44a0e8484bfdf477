/**
 * `switchboard tenants create <name>`, and what the key commands (`ApiKeys.ts`) share with it.
 *
 * Four ways to reach the tenants, by where Switchboard keeps them:
 * - over HTTP: `POST /v1/tenants` with the admin token, on any runtime;
 * - `--database <file>`: straight into a SQLite file (Bun, Deno, Node deployments);
 * - `--database-url <url>`: straight into Postgres (several instances);
 * - `--d1`: the rows are made here and printed as SQL for `wrangler d1 execute` (D1 has no
 *   other way in from outside the Worker).
 *
 * Keys are made by the kernel's `Tenants` service in every case, so their format and hashing are
 * the kernel's; only the hash is stored, the key is printed once.
 */
import { Effect, Layer, Option, Redacted, Schema } from "effect"
import { SqlClient } from "effect/sql"
import * as TenantStoreSql from "../../adapters/sql/stores/TenantStoreSql.ts"
import { StoreError } from "../../kernel/domain/Errors.ts"
import { TenantId } from "../../kernel/domain/Ids.ts"
import { KernelConfig } from "../../kernel/KernelConfig.ts"
import { type ApiKeyRecord, type Tenant, TenantStore } from "../../kernel/store/TenantStore.ts"
import { Tenants } from "../../kernel/tenants/Tenants.ts"
import { type Command, parse, text } from "./Command.ts"
import { d1Target, databaseOptions, databaseTarget, insertStatement, namesDatabase, runOnDatabase } from "./Database.ts"
import { devData, instanceUrl } from "./DevData.ts"
import { CliFailure, done, type Io, step } from "./Io.ts"

/**
 * `Tenants` reads only the admin token from the kernel's config, to check admin requests; the
 * CLI makes none, so it gets a config without secrets rather than a deployment's.
 */
const cliConfig = Layer.succeed(
  KernelConfig,
  KernelConfig.of({
    publicUrl: "http://localhost",
    signingKey: Redacted.make(""),
    vaultKeys: [],
    adminToken: Option.none(),
    returnUrlOrigins: [],
    maxBodyBytes: 0
  })
)

export const tenantsOver = <R>(store: Layer.Layer<TenantStore, never, R>) =>
  Tenants.layer.pipe(Layer.provide(Layer.merge(store, cliConfig)))

/** A TenantStore that keeps what it is given, to print it as SQL for D1. */
export const recordingStore = (known: ReadonlyArray<Tenant>) => {
  const tenants: Array<Tenant> = [...known]
  const keys: Array<ApiKeyRecord> = []
  const unsupported = Effect.fail(new StoreError({ operation: "cli", message: "not available offline" }))
  const store = TenantStore.of({
    createTenant: (tenant) => Effect.sync(() => void tenants.push(tenant)),
    getTenant: (id) => Effect.succeed(Option.fromNullishOr(tenants.find((tenant) => tenant.id === id))),
    listTenants: Effect.succeed(tenants),
    insertApiKey: (key) => Effect.sync(() => void keys.push(key)),
    findApiKeyByHash: () => unsupported,
    listApiKeys: () => unsupported,
    revokeApiKey: () => unsupported,
    touchApiKey: () => unsupported,
    findTenantByKeyPrefix: () => unsupported,
    setTenantDisabled: () => unsupported,
    deleteTenant: () => unsupported
  })
  return { store: Layer.succeed(TenantStore, store), tenants, keys }
}

const tenantRow = (tenant: Tenant) => ({ tenant_id: tenant.id, name: tenant.name, created_at: tenant.createdAt })
export const keyRow = (key: ApiKeyRecord) => ({
  tenant_id: key.tenantId,
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  hash: key.hash,
  created_at: key.createdAt,
  revoked_at: key.revokedAt
})

export const printD1 = (io: Io, statements: ReadonlyArray<string>, remote: boolean) => {
  for (const statement of statements) io.out(statement)
  step(io, `Save the SQL above and run: npx wrangler d1 execute DB ${d1Target(remote)} --file <that file>`)
}

/** The database has Switchboard's tables (a read any dialect answers, and fails without them). */
export const requireMigrated = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`SELECT 1 FROM api_keys LIMIT 1`.pipe(
    Effect.mapError(() => new CliFailure("The database has no Switchboard tables yet: run switchboard migrate first"))
  )
})

export const showKey = (io: Io, apiKey: string) => {
  io.out(apiKey)
  done(io, "The API key is shown once: only its hash is stored.")
}

// ---------------------------------------------------------------- tenants create

const tenantsHelp = `Usage: switchboard tenants create <name> [options]

Creates a tenant and its first API key (printed once).

Options:
  --url <url>            over HTTP: Switchboard's base URL (default $SWITCHBOARD_URL or http://localhost:8787)
  --admin-token <token>  over HTTP: SWITCHBOARD_ADMIN_TOKEN of that instance (default: the env, or
                         the dev command's .data/dev.json)
  --database <file>      write into this SQLite file instead
  --database-url <url>   or into this Postgres database, postgres://user:password@host:5432/database
  --d1                   print the SQL for D1 instead (--remote: for the deployed database)
  --data-dir <dir>       the dev command's data folder (default $SWITCHBOARD_DEV_DATA or .data)`

const tenantsOptions = {
  url: { type: "string" },
  "admin-token": { type: "string" },
  ...databaseOptions,
  d1: { type: "boolean" },
  remote: { type: "boolean" },
  "data-dir": { type: "string" }
} as const

const Created = Schema.Struct({ tenant: Schema.Struct({ id: Schema.String, name: Schema.String }), apiKey: Schema.String })
const ErrorBody = Schema.Struct({ error: Schema.Struct({ reason: Schema.String, message: Schema.String }) })

const createOverHttp = async (io: Io, name: string, url: string, adminToken: string | undefined) => {
  if (adminToken === undefined) {
    throw new CliFailure("No admin token: pass --admin-token or set SWITCHBOARD_ADMIN_TOKEN (or use --database, --database-url or --d1)")
  }
  step(io, `POST ${url}/v1/tenants`)
  const response = await io.fetch(`${url}/v1/tenants`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ name })
  }).catch((cause: unknown) => {
    throw new CliFailure(`Cannot reach Switchboard at ${url} (${cause instanceof Error ? cause.message : String(cause)}). Is it running?`)
  })
  const body = await response.text()
  if (response.status !== 201) {
    const error = Schema.decodeUnknownOption(Schema.fromJsonString(ErrorBody))(body)
    throw new CliFailure(`Switchboard answered ${response.status}: ${error._tag === "Some" ? error.value.error.message : body.slice(0, 200)}`)
  }
  const created = Schema.decodeUnknownSync(Schema.fromJsonString(Created))(body)
  return { tenantId: created.tenant.id, apiKey: created.apiKey }
}

export const tenantsCreate: Command = {
  words: ["tenants", "create"],
  summary: "create a tenant and its first API key",
  help: tenantsHelp,
  run: async (args, io) => {
    const { values, positionals } = parse("tenants create", args, tenantsOptions)
    const name = positionals.join(" ").trim()
    if (name.length === 0 || name.length > 200) throw new CliFailure("Name the tenant (1 to 200 characters): switchboard tenants create <name>")
    const create = Effect.flatMap(Tenants, (tenants) => tenants.create(name))
    let created: { readonly tenantId: string; readonly apiKey: string }
    if (values.d1 === true) {
      const recorded = recordingStore([])
      const result = await Effect.runPromise(create.pipe(Effect.provide(tenantsOver(recorded.store))))
      printD1(io, [...recorded.tenants.map((tenant) => insertStatement("tenants", tenantRow(tenant))), ...recorded.keys.map((key) => insertStatement("api_keys", keyRow(key)))], values.remote === true)
      created = { tenantId: result.tenant.id, apiKey: result.apiKey }
    } else if (namesDatabase(values)) {
      const target = await databaseTarget(io, values, { create: false })
      step(io, `Creating tenant "${name}" in ${target.where}`)
      const result = await runOnDatabase(target.layer, Effect.andThen(requireMigrated, create.pipe(Effect.provide(tenantsOver(TenantStoreSql.layer)))))
      created = { tenantId: result.tenant.id, apiKey: result.apiKey }
    } else {
      const url = instanceUrl(io, text(values.url))
      const adminToken = text(values["admin-token"]) ?? io.env["SWITCHBOARD_ADMIN_TOKEN"] ?? devData(io, text(values["data-dir"])).env["SWITCHBOARD_ADMIN_TOKEN"]
      created = await createOverHttp(io, name, url, adminToken)
    }
    step(io, `Tenant ${created.tenantId} ("${name}")`)
    showKey(io, created.apiKey)
  }
}
