/**
 * `TenantStore` over any `SqlClient`: tenants and their API keys (hashes only). The lookups not
 * scoped by tenant are `findApiKeyByHash`, which is how a request finds its tenant, and
 * `findTenantByKeyPrefix`, which is whom a failed attempt aimed at.
 */
import { Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { TenantId } from "../../../kernel/domain/Ids.ts"
import { type ApiKeyRecord, type Tenant, TenantStore } from "../../../kernel/store/TenantStore.ts"
import { makeGroupStatement } from "./GroupStatement.ts"
import { decodeAll, decodeFirst, storeOperation, touched } from "./SqlRows.ts"

/** Tenants one lookup reads: within D1's 100 parameters. */
const MAX_LOOKUPS = 90

const TenantRow = Schema.Struct({
  id: TenantId,
  name: Schema.String,
  createdAt: Schema.Number,
  disabledAt: Schema.NullOr(Schema.Number)
}).pipe(Schema.encodeKeys({ id: "tenant_id", createdAt: "created_at", disabledAt: "disabled_at" }))

const ApiKeyRow = Schema.Struct({
  id: Schema.String,
  tenantId: TenantId,
  name: Schema.String,
  prefix: Schema.String,
  hash: Schema.String,
  createdAt: Schema.Number,
  revokedAt: Schema.NullOr(Schema.Number),
  lastUsedAt: Schema.NullOr(Schema.Number)
}).pipe(
  Schema.encodeKeys({ tenantId: "tenant_id", createdAt: "created_at", revokedAt: "revoked_at", lastUsedAt: "last_used_at" })
)

/** The tables holding a tenant's rows, children before the rows they reference. */
const tenantTables = [
  "outbox",
  "session_bindings",
  "webhook_events",
  "rejected_webhooks",
  "publications",
  "app_registrations",
  "oauth_state",
  "install_ticket_redemptions",
  "installations",
  "api_keys"
] as const

/** What a tenant has not got (never disabled, never used) is absent rather than null, as callers build them. */
const tenantOf = ({ disabledAt, ...tenant }: typeof TenantRow.Type): Tenant =>
  disabledAt === null ? tenant : { ...tenant, disabledAt }

const apiKeyOf = ({ lastUsedAt, ...key }: typeof ApiKeyRow.Type): ApiKeyRecord =>
  lastUsedAt === null ? key : { ...key, lastUsedAt }

/** Within this of the last recorded use, a key's use is not written again. */
const TOUCH_EVERY_MS = 60_000

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const encodeTenant = Schema.encodeEffect(TenantRow)
  const encodeApiKey = Schema.encodeEffect(ApiKeyRow)

  const createTenant = (tenant: Tenant) =>
    encodeTenant({ ...tenant, disabledAt: tenant.disabledAt ?? null }).pipe(
      Effect.flatMap((row) => sql`INSERT INTO tenants ${sql.insert(row)}`),
      Effect.asVoid,
      storeOperation("TenantStore.createTenant")
    )

  // Every webhook's decision reads its tenant: the lookups of a turn share one statement.
  const readTenants = makeGroupStatement<TenantId, ReadonlyArray<unknown>>({
    maxRows: MAX_LOOKUPS,
    write: (ids) =>
      Effect.map(
        sql<{ readonly tenant_id: string }>`SELECT * FROM tenants WHERE tenant_id IN ${sql.in([...new Set(ids)])}`,
        (rows) => {
          const byId = new Map(rows.map((row) => [row.tenant_id, row]))
          return ids.map((id) => {
            const row = byId.get(id)
            return row === undefined ? [] : [row]
          })
        }
      )
  })

  const getTenant = (id: TenantId) =>
    readTenants(id).pipe(
      Effect.flatMap(decodeFirst(TenantRow)),
      Effect.map(Option.map(tenantOf)),
      storeOperation("TenantStore.getTenant")
    )

  const listTenants = sql`SELECT * FROM tenants ORDER BY created_at, tenant_id`.pipe(
    Effect.flatMap(decodeAll(TenantRow)),
    Effect.map((rows) => rows.map(tenantOf)),
    storeOperation("TenantStore.listTenants")
  )

  const insertApiKey = (key: ApiKeyRecord) =>
    encodeApiKey({ ...key, lastUsedAt: key.lastUsedAt ?? null }).pipe(
      Effect.flatMap((row) => sql`INSERT INTO api_keys ${sql.insert(row)}`),
      Effect.asVoid,
      storeOperation("TenantStore.insertApiKey")
    )

  const findApiKeyByHash = (hash: string) =>
    sql`SELECT api_keys.* FROM api_keys JOIN tenants ON tenants.tenant_id = api_keys.tenant_id
      WHERE api_keys.hash = ${hash} AND api_keys.revoked_at IS NULL AND tenants.disabled_at IS NULL`.pipe(
      Effect.flatMap(decodeFirst(ApiKeyRow)),
      Effect.map(Option.map(apiKeyOf)),
      storeOperation("TenantStore.findApiKeyByHash")
    )

  const listApiKeys = (tenantId: TenantId) =>
    sql`SELECT * FROM api_keys WHERE tenant_id = ${tenantId} ORDER BY created_at, id`.pipe(
      Effect.flatMap(decodeAll(ApiKeyRow)),
      Effect.map((rows) => rows.map(apiKeyOf)),
      storeOperation("TenantStore.listApiKeys")
    )

  // Revoking twice reports false the second time: the first revocation time is kept.
  const revokeApiKey = (tenantId: TenantId, id: string, at: number) =>
    sql`UPDATE api_keys SET revoked_at = ${at}
      WHERE tenant_id = ${tenantId} AND id = ${id} AND revoked_at IS NULL
      RETURNING id`.pipe(Effect.map(touched), storeOperation("TenantStore.revokeApiKey"))

  const touchApiKey = (tenantId: TenantId, id: string, at: number) =>
    sql`UPDATE api_keys SET last_used_at = ${at}
      WHERE tenant_id = ${tenantId} AND id = ${id} AND (last_used_at IS NULL OR last_used_at <= ${at - TOUCH_EVERY_MS})
      RETURNING id`.pipe(Effect.map(touched), storeOperation("TenantStore.touchApiKey"))

  const findTenantByKeyPrefix = (prefix: string) =>
    sql<{ readonly tenant_id: string }>`SELECT tenant_id FROM api_keys WHERE prefix = ${prefix} LIMIT 1`.pipe(
      Effect.flatMap(decodeFirst(Schema.Struct({ tenant_id: TenantId }))),
      Effect.map(Option.map((row) => row.tenant_id)),
      storeOperation("TenantStore.findTenantByKeyPrefix")
    )

  const setTenantDisabled = (id: TenantId, at: number | null) =>
    sql`UPDATE tenants SET disabled_at = ${at} WHERE tenant_id = ${id} RETURNING tenant_id`.pipe(
      Effect.map(touched),
      storeOperation("TenantStore.setTenantDisabled")
    )

  // One statement at a time (D1 has no interactive transactions); each is idempotent and the
  // tenant's row goes last, so a removal cut short is finished by running it again.
  const deleteTenant = (id: TenantId) =>
    Effect.forEach(
      [...tenantTables, "tenants"],
      (table) => sql`DELETE FROM ${sql(table)} WHERE tenant_id = ${id}`,
      { discard: true }
    ).pipe(storeOperation("TenantStore.deleteTenant"))

  return TenantStore.of({
    createTenant,
    getTenant,
    listTenants,
    insertApiKey,
    findApiKeyByHash,
    listApiKeys,
    revokeApiKey,
    touchApiKey,
    findTenantByKeyPrefix,
    setTenantDisabled,
    deleteTenant
  })
})

export const layer: Layer.Layer<TenantStore, never, SqlClient.SqlClient> = Layer.effect(TenantStore, make)
