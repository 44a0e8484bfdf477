/** Conformance cases for `TenantStore`: tenants, API keys, revocation, tenant isolation. */
import { Effect } from "effect"
import type { ApiKeyRecord } from "../../../kernel/store/TenantStore.ts"
import { TenantStore } from "../../../kernel/store/TenantStore.ts"
import {
  awkward,
  expectEqual,
  expectNone,
  expectSome,
  expectStoreError,
  type StoreCase,
  T0,
  tenantA,
  tenantB
} from "../fixtures.ts"
import { TenantId } from "../../../kernel/domain/Ids.ts"

const apiKey = (tenantId: TenantId, id: string, hash: string): ApiKeyRecord => ({
  id,
  tenantId,
  name: awkward,
  prefix: "sb_live_ab",
  hash,
  createdAt: T0,
  revokedAt: null
})

const twoTenants = Effect.gen(function*() {
  const tenants = yield* TenantStore
  yield* tenants.createTenant({ id: tenantA, name: "Tenant A", createdAt: T0 })
  yield* tenants.createTenant({ id: tenantB, name: awkward, createdAt: T0 + 1 })
  return tenants
})

export const tenantCases: ReadonlyArray<StoreCase> = [
  {
    name: "TenantStore: createTenant, getTenant, listTenants; a duplicate id fails",
    body: Effect.gen(function*() {
      const tenants = yield* twoTenants
      yield* expectEqual(
        yield* expectSome(yield* tenants.getTenant(tenantB), "getTenant(B)"),
        { id: tenantB, name: awkward, createdAt: T0 + 1 },
        "getTenant(B)"
      )
      yield* expectNone(yield* tenants.getTenant(TenantId.make("ten_missing")), "getTenant(missing)")
      yield* expectEqual((yield* tenants.listTenants).map((tenant) => tenant.id), [tenantA, tenantB], "listTenants")
      yield* expectStoreError(
        tenants.createTenant({ id: tenantA, name: "again", createdAt: T0 }),
        "TenantStore.createTenant"
      )
    })
  },
  {
    name: "TenantStore: API keys: insert, findApiKeyByHash, listApiKeys, revokeApiKey",
    body: Effect.gen(function*() {
      const tenants = yield* twoTenants
      const key = apiKey(tenantA, "key_1", "hash_1")
      yield* tenants.insertApiKey(key)
      yield* expectEqual(yield* expectSome(yield* tenants.findApiKeyByHash("hash_1"), "find"), key, "findApiKeyByHash")
      yield* expectNone(yield* tenants.findApiKeyByHash("hash_unknown"), "findApiKeyByHash(unknown)")
      yield* expectEqual(yield* tenants.listApiKeys(tenantA), [key], "listApiKeys")
      yield* expectEqual(yield* tenants.revokeApiKey(tenantA, "key_1", T0 + 5), true, "revokeApiKey")
      yield* expectEqual(yield* tenants.revokeApiKey(tenantA, "key_1", T0 + 9), false, "revokeApiKey twice")
      yield* expectNone(yield* tenants.findApiKeyByHash("hash_1"), "a revoked key is not found")
      yield* expectEqual(yield* tenants.listApiKeys(tenantA), [{ ...key, revokedAt: T0 + 5 }], "listApiKeys after revoke")
      yield* expectStoreError(tenants.insertApiKey(apiKey(tenantA, "key_2", "hash_1")), "TenantStore.insertApiKey")
      // A key belongs to an existing tenant (foreign key).
      yield* expectStoreError(
        tenants.insertApiKey(apiKey(TenantId.make("ten_missing"), "key_3", "hash_3")),
        "TenantStore.insertApiKey"
      )
    })
  },
  {
    name: "TenantStore: tenant isolation of listApiKeys and revokeApiKey",
    body: Effect.gen(function*() {
      const tenants = yield* twoTenants
      const keyA = apiKey(tenantA, "key_1", "hash_a")
      const keyB = apiKey(tenantB, "key_1", "hash_b")
      yield* tenants.insertApiKey(keyA)
      yield* tenants.insertApiKey(keyB)
      yield* expectEqual(yield* tenants.listApiKeys(tenantB), [keyB], "listApiKeys(B)")
      yield* tenants.insertApiKey(apiKey(tenantA, "key_only_a", "hash_only_a"))
      yield* expectEqual(yield* tenants.revokeApiKey(tenantB, "key_only_a", T0), false, "B revokes A's key")
      yield* expectSome(yield* tenants.findApiKeyByHash("hash_only_a"), "A's key survives B's revoke")
      yield* expectEqual(yield* tenants.revokeApiKey(tenantB, "key_1", T0), true, "B revokes its own key_1")
      yield* expectSome(yield* tenants.findApiKeyByHash("hash_a"), "A's key_1 is untouched")
    })
  }
]
