/**
 * `switchboard api-keys list|create|revoke|rotate`: a tenant's API keys.
 *
 * Without `--tenant` the command goes over HTTP with a tenant key (`--api-key`,
 * SWITCHBOARD_API_KEY, or the dev command's demo key) to `/v1/api-keys`: the tenant is the key's.
 * With `--tenant <id>` it works on the database instead: a SQLite file (`--database`) or Postgres
 * (`--database-url`, or SWITCHBOARD_DATABASE_URL), every command; or, for D1, SQL to run with
 * wrangler (`--d1`: create and revoke). Keys are made and revoked by the kernel's `Tenants`
 * service either way; a new key is printed once.
 */
import { Clock, Effect, Schema } from "effect"
import * as TenantStoreSql from "../../adapters/sql/stores/TenantStoreSql.ts"
import type { ApiError, StoreError } from "../../kernel/domain/Errors.ts"
import { TenantId } from "../../kernel/domain/Ids.ts"
import { type ApiKeySummary, Tenants } from "../../kernel/tenants/Tenants.ts"
import { type Command, parse, text } from "./Command.ts"
import { d1Target, databaseHelp, databaseOptions, databaseTarget, insertStatement, literal, namesDatabase, runOnDatabase } from "./Database.ts"
import { devData, instanceUrl } from "./DevData.ts"
import { callSwitchboard } from "./Http.ts"
import { CliFailure, done, type Io, step } from "./Io.ts"
import { keyRow, printD1, recordingStore, requireMigrated, showKey, tenantsOver } from "./Tenants.ts"

const common = {
  url: { type: "string" },
  "api-key": { type: "string" },
  "data-dir": { type: "string" },
  tenant: { type: "string" },
  ...databaseOptions,
  d1: { type: "boolean" },
  remote: { type: "boolean" }
} as const

const whereHelp = `Over HTTP (default), with a tenant key:
  --url <url>          Switchboard's base URL (default $SWITCHBOARD_URL or http://localhost:8787)
  --api-key <key>      a key of the tenant (default $SWITCHBOARD_API_KEY, or the dev command's)
  --data-dir <dir>     the dev command's data folder (default $SWITCHBOARD_DEV_DATA or .data)
On the database instead:
  --tenant <id>          the tenant (ten_...)
${databaseHelp}`

const Summaries = Schema.Struct({
  apiKeys: Schema.Array(Schema.Struct({
    id: Schema.String,
    name: Schema.String,
    prefix: Schema.String,
    createdAt: Schema.Number,
    lastUsedAt: Schema.NullOr(Schema.Number),
    revokedAt: Schema.NullOr(Schema.Number)
  }))
})
const Issued = Schema.Struct({ apiKey: Schema.Struct({ id: Schema.String, name: Schema.String, apiKey: Schema.String }) })

type Values = ReturnType<typeof parse<typeof common>>["values"]

interface Target {
  readonly io: Io
  readonly values: Values
}

const overHttp = ({ io, values }: Target) => {
  const url = instanceUrl(io, text(values.url))
  const apiKey = text(values["api-key"]) ?? io.env["SWITCHBOARD_API_KEY"] ?? devData(io, text(values["data-dir"])).apiKey
  if (apiKey === undefined) {
    throw new CliFailure("No API key: pass --api-key or set SWITCHBOARD_API_KEY (or --tenant with --database, --database-url or --d1)")
  }
  return { url, apiKey }
}

const tenantOf = (values: Values) => {
  const tenant = text(values.tenant)
  return tenant === undefined ? undefined : TenantId.make(tenant)
}

/** Runs a `Tenants` program on the database; the kernel's refusals (no such key) read as they are. */
const onDatabase = async <A>({ io, values }: Target, program: Effect.Effect<A, ApiError | StoreError, Tenants>) => {
  const target = await databaseTarget(io, values, { create: false })
  step(io, `Using ${target.where}`)
  return runOnDatabase(
    target.layer,
    Effect.andThen(
      requireMigrated,
      program.pipe(
        Effect.provide(tenantsOver(TenantStoreSql.layer)),
        Effect.catchTag("ApiError", (error) => Effect.fail(new CliFailure(error.message)))
      )
    )
  )
}

const d1Refused = (command: string) =>
  new CliFailure(`api-keys ${command} cannot work on D1 from here: use it over HTTP (--api-key)`)

const when = (at: number | null) => (at === null ? "-" : new Date(at).toISOString())

// ---------------------------------------------------------------- list

export const apiKeysList: Command = {
  words: ["api-keys", "list"],
  summary: "list a tenant's API keys (never the keys themselves)",
  help: `Usage: switchboard api-keys list [options]

Lists the tenant's keys: id, name, prefix, created, last used (to the minute) and revoked.

Options:
  --format table|json  (default table)
${whereHelp}`,
  run: async (args, io) => {
    const { values } = parse("api-keys list", args, { ...common, format: { type: "string" } })
    const format = text(values.format) ?? "table"
    if (format !== "table" && format !== "json") throw new CliFailure(`--format is table or json, not ${format}`)
    const tenant = tenantOf(values)
    let keys: ReadonlyArray<ApiKeySummary>
    if (tenant === undefined) {
      const { url, apiKey } = overHttp({ io, values })
      const body = await callSwitchboard(io, url, { method: "GET", path: "/v1/api-keys", bearer: apiKey })
      keys = Schema.decodeUnknownSync(Schema.fromJsonString(Summaries))(body).apiKeys
    } else {
      if (values.d1 === true) throw d1Refused("list")
      keys = await onDatabase({ io, values }, Effect.flatMap(Tenants, (tenants) => tenants.listApiKeys(tenant)))
    }
    if (format === "json") return io.out(JSON.stringify(keys, null, 2))
    io.out(["id", "name", "prefix", "created", "last used", "revoked"].join("\t"))
    for (const key of keys) {
      io.out([key.id, key.name, `${key.prefix}…`, when(key.createdAt), when(key.lastUsedAt), when(key.revokedAt)].join("\t"))
    }
  }
}

// ---------------------------------------------------------------- create

export const apiKeysCreate: Command = {
  words: ["api-keys", "create"],
  summary: "create another API key for a tenant (printed once)",
  help: `Usage: switchboard api-keys create [options]

Creates another API key for the tenant; the key is printed once (only its hash is stored).

Options:
  --name <name>        what the key is for (default "cli")
${whereHelp}
  --d1                 with --tenant: print the SQL for D1 (--remote: for the deployed database)`,
  run: async (args, io) => {
    const { values } = parse("api-keys create", args, { ...common, name: { type: "string" } })
    const name = text(values.name) ?? "cli"
    const tenant = tenantOf(values)
    if (tenant === undefined) {
      if (values.d1 === true || namesDatabase(values)) {
        throw new CliFailure("Name the tenant: switchboard api-keys create --tenant <ten_...>")
      }
      const { url, apiKey } = overHttp({ io, values })
      const body = await callSwitchboard(io, url, { method: "POST", path: "/v1/api-keys", bearer: apiKey, body: { name } })
      const issued = Schema.decodeUnknownSync(Schema.fromJsonString(Issued))(body).apiKey
      step(io, `API key ${issued.id} ("${issued.name}")`)
      return showKey(io, issued.apiKey)
    }
    const create = Effect.flatMap(Tenants, (tenants) => tenants.createApiKey(tenant, name))
    if (values.d1 === true) {
      // D1 checks the tenant itself: the key's row references it.
      const recorded = recordingStore([{ id: tenant, name: tenant, createdAt: 0 }])
      const issued = await Effect.runPromise(create.pipe(Effect.provide(tenantsOver(recorded.store))))
      printD1(io, recorded.keys.map((key) => insertStatement("api_keys", keyRow(key))), values.remote === true)
      return showKey(io, issued.apiKey)
    }
    step(io, `Creating an API key "${name}" for ${tenant}`)
    const issued = await onDatabase({ io, values }, create).catch((error: unknown) => {
      throw error instanceof CliFailure && error.message === "No such tenant" ? new CliFailure(`No such tenant: ${tenant}`) : error
    })
    showKey(io, issued.apiKey)
  }
}

// ---------------------------------------------------------------- revoke

export const apiKeysRevoke: Command = {
  words: ["api-keys", "revoke"],
  summary: "revoke an API key (refused from the next request on)",
  help: `Usage: switchboard api-keys revoke <key id> [options]

Revokes a key of the tenant's: every request with it is refused from then on.

Options:
${whereHelp}
  --d1                 with --tenant: print the SQL for D1 (--remote: for the deployed database)`,
  run: async (args, io) => {
    const { values, positionals } = parse("api-keys revoke", args, common)
    const id = positionals[0]
    if (id === undefined || positionals.length > 1) throw new CliFailure("Name one key: switchboard api-keys revoke <key id>")
    const tenant = tenantOf(values)
    if (tenant === undefined) {
      const { url, apiKey } = overHttp({ io, values })
      await callSwitchboard(io, url, { method: "DELETE", path: `/v1/api-keys/${encodeURIComponent(id)}`, bearer: apiKey })
    } else if (values.d1 === true) {
      const now = await Effect.runPromise(Clock.currentTimeMillis)
      printD1(io, [
        `UPDATE api_keys SET revoked_at = ${now} WHERE tenant_id = ${literal(tenant)} AND id = ${literal(id)} AND revoked_at IS NULL;`
      ], values.remote === true)
      return
    } else {
      await onDatabase({ io, values }, Effect.flatMap(Tenants, (tenants) => tenants.revokeApiKey(tenant, id)))
    }
    done(io, `API key ${id} revoked.`)
  }
}

// ---------------------------------------------------------------- rotate

export const apiKeysRotate: Command = {
  words: ["api-keys", "rotate"],
  summary: "replace an API key with a new one (the old one revoked at once)",
  help: `Usage: switchboard api-keys rotate <key id> [options]

Creates a key with the same name and revokes the old one at once (no grace period): put the new
key, printed once, where the old one was used.

Options:
${whereHelp}`,
  run: async (args, io) => {
    const { values, positionals } = parse("api-keys rotate", args, common)
    const id = positionals[0]
    if (id === undefined || positionals.length > 1) throw new CliFailure("Name one key: switchboard api-keys rotate <key id>")
    const tenant = tenantOf(values)
    let issued: { readonly id: string; readonly name: string; readonly apiKey: string }
    if (tenant === undefined) {
      const { url, apiKey } = overHttp({ io, values })
      const body = await callSwitchboard(io, url, { method: "POST", path: `/v1/api-keys/${encodeURIComponent(id)}/rotate`, bearer: apiKey })
      issued = Schema.decodeUnknownSync(Schema.fromJsonString(Issued))(body).apiKey
    } else {
      if (values.d1 === true) throw d1Refused("rotate")
      issued = await onDatabase({ io, values }, Effect.flatMap(Tenants, (tenants) => tenants.rotateApiKey(tenant, id)))
    }
    step(io, `API key ${id} revoked; its replacement is ${issued.id} ("${issued.name}")`)
    showKey(io, issued.apiKey)
  }
}

export const apiKeyCommands: ReadonlyArray<Command> = [apiKeysList, apiKeysCreate, apiKeysRevoke, apiKeysRotate]
