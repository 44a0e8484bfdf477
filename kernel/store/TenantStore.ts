/** Tenants and their API keys (stored as SHA-256 hashes; the key itself is shown once). */
import { Context, type Effect, type Option } from "effect"
import type { StoreError } from "../domain/Errors.ts"
import type { TenantId } from "../domain/Ids.ts"

export interface Tenant {
  readonly id: TenantId
  readonly name: string
  readonly createdAt: number
}

export interface ApiKeyRecord {
  readonly id: string
  readonly tenantId: TenantId
  readonly name: string
  /** The first characters of the key, so an admin can tell keys apart. */
  readonly prefix: string
  readonly hash: string
  readonly createdAt: number
  readonly revokedAt: number | null
}

export class TenantStore extends Context.Service<TenantStore, {
  readonly createTenant: (tenant: Tenant) => Effect.Effect<void, StoreError>
  readonly getTenant: (id: TenantId) => Effect.Effect<Option.Option<Tenant>, StoreError>
  readonly listTenants: Effect.Effect<ReadonlyArray<Tenant>, StoreError>
  readonly insertApiKey: (key: ApiKeyRecord) => Effect.Effect<void, StoreError>
  /** The one lookup not scoped by tenant: it is how a request finds its tenant. Revoked keys are not found. */
  readonly findApiKeyByHash: (hash: string) => Effect.Effect<Option.Option<ApiKeyRecord>, StoreError>
  readonly listApiKeys: (tenantId: TenantId) => Effect.Effect<ReadonlyArray<ApiKeyRecord>, StoreError>
  readonly revokeApiKey: (tenantId: TenantId, id: string, at: number) => Effect.Effect<boolean, StoreError>
}>()("switchboard/store/TenantStore") {}
