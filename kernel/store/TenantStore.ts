/** Tenants and their API keys (stored as SHA-256 hashes; the key itself is shown once). */
import { Context, type Effect, type Option } from "effect"
import type { StoreError } from "../domain/Errors.ts"
import type { TenantId } from "../domain/Ids.ts"

export interface Tenant {
  readonly id: TenantId
  readonly name: string
  readonly createdAt: number
  /** Set while the tenant is disabled: its keys are refused (absent: active). */
  readonly disabledAt?: number | undefined
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
  /** When the key last authenticated, to the minute (absent: never). */
  readonly lastUsedAt?: number | undefined
}

export class TenantStore extends Context.Service<TenantStore, {
  readonly createTenant: (tenant: Tenant) => Effect.Effect<void, StoreError>
  readonly getTenant: (id: TenantId) => Effect.Effect<Option.Option<Tenant>, StoreError>
  readonly listTenants: Effect.Effect<ReadonlyArray<Tenant>, StoreError>
  readonly insertApiKey: (key: ApiKeyRecord) => Effect.Effect<void, StoreError>
  /**
   * The one lookup not scoped by tenant: it is how a request finds its tenant. Revoked keys and
   * the keys of a disabled tenant are not found.
   */
  readonly findApiKeyByHash: (hash: string) => Effect.Effect<Option.Option<ApiKeyRecord>, StoreError>
  readonly listApiKeys: (tenantId: TenantId) => Effect.Effect<ReadonlyArray<ApiKeyRecord>, StoreError>
  readonly revokeApiKey: (tenantId: TenantId, id: string, at: number) => Effect.Effect<boolean, StoreError>
  /** Records a key's use at `at` unless one was recorded within the minute before (false then). */
  readonly touchApiKey: (tenantId: TenantId, id: string, at: number) => Effect.Effect<boolean, StoreError>
  /**
   * The tenant holding a key (revoked or not) that starts with `prefix`: whom a failed attempt
   * aimed at, so that failures against one tenant are limited together.
   */
  readonly findTenantByKeyPrefix: (prefix: string) => Effect.Effect<Option.Option<TenantId>, StoreError>
  /** Disables (`at`) or enables (null) a tenant; false when there is no such tenant. */
  readonly setTenantDisabled: (id: TenantId, at: number | null) => Effect.Effect<boolean, StoreError>
  /**
   * Removes the tenant's rows from every table, the tenant's own row last, so that a removal cut
   * short can be run again. Revoking its installations at the vendors comes first (the caller's).
   */
  readonly deleteTenant: (id: TenantId) => Effect.Effect<void, StoreError>
}>()("switchboard/store/TenantStore") {}
