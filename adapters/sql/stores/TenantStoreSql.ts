/**
 * `TenantStore` over any `SqlClient`: tenants and their API keys (hashes only). The one lookup
 * not scoped by tenant is `findApiKeyByHash`, which is how a request finds its tenant.
 */
import { Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { TenantId } from "../../../kernel/domain/Ids.ts"
import { type ApiKeyRecord, type Tenant, TenantStore } from "../../../kernel/store/TenantStore.ts"
import { decodeAll, decodeFirst, storeOperation, touched } from "./SqlRows.ts"

const TenantRow = Schema.Struct({
  id: TenantId,
  name: Schema.String,
  createdAt: Schema.Number
}).pipe(Schema.encodeKeys({ id: "tenant_id", createdAt: "created_at" }))

const ApiKeyRow = Schema.Struct({
  id: Schema.String,
  tenantId: TenantId,
  name: Schema.String,
  prefix: Schema.String,
  hash: Schema.String,
  createdAt: Schema.Number,
  revokedAt: Schema.NullOr(Schema.Number)
}).pipe(Schema.encodeKeys({ tenantId: "tenant_id", createdAt: "created_at", revokedAt: "revoked_at" }))

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const encodeTenant = Schema.encodeEffect(TenantRow)
  const encodeApiKey = Schema.encodeEffect(ApiKeyRow)

  const createTenant = (tenant: Tenant) =>
    encodeTenant(tenant).pipe(
      Effect.flatMap((row) => sql`INSERT INTO tenants ${sql.insert(row)}`),
      Effect.asVoid,
      storeOperation("TenantStore.createTenant")
    )

  const getTenant = (id: TenantId) =>
    sql`SELECT * FROM tenants WHERE tenant_id = ${id}`.pipe(
      Effect.flatMap(decodeFirst(TenantRow)),
      storeOperation("TenantStore.getTenant")
    )

  const listTenants = sql`SELECT * FROM tenants ORDER BY created_at, tenant_id`.pipe(
    Effect.flatMap(decodeAll(TenantRow)),
    storeOperation("TenantStore.listTenants")
  )

  const insertApiKey = (key: ApiKeyRecord) =>
    encodeApiKey(key).pipe(
      Effect.flatMap((row) => sql`INSERT INTO api_keys ${sql.insert(row)}`),
      Effect.asVoid,
      storeOperation("TenantStore.insertApiKey")
    )

  const findApiKeyByHash = (hash: string) =>
    sql`SELECT * FROM api_keys WHERE hash = ${hash} AND revoked_at IS NULL`.pipe(
      Effect.flatMap(decodeFirst(ApiKeyRow)),
      storeOperation("TenantStore.findApiKeyByHash")
    )

  const listApiKeys = (tenantId: TenantId) =>
    sql`SELECT * FROM api_keys WHERE tenant_id = ${tenantId} ORDER BY created_at, id`.pipe(
      Effect.flatMap(decodeAll(ApiKeyRow)),
      storeOperation("TenantStore.listApiKeys")
    )

  // Revoking twice reports false the second time: the first revocation time is kept.
  const revokeApiKey = (tenantId: TenantId, id: string, at: number) =>
    sql`UPDATE api_keys SET revoked_at = ${at}
      WHERE tenant_id = ${tenantId} AND id = ${id} AND revoked_at IS NULL
      RETURNING id`.pipe(Effect.map(touched), storeOperation("TenantStore.revokeApiKey"))

  return TenantStore.of({
    createTenant,
    getTenant,
    listTenants,
    insertApiKey,
    findApiKeyByHash,
    listApiKeys,
    revokeApiKey
  })
})

export const layer: Layer.Layer<TenantStore, never, SqlClient.SqlClient> = Layer.effect(TenantStore, make)
