/**
 * Tenant-owned vendor apps and their sealed secrets. Scoped by tenant, except `findById`: the
 * webhook route carries the registration id (random and unguessable) and must find the app,
 * and so its tenant, before it can verify the signature.
 */
import { Context, type Effect, type Option } from "effect"
import type { AppRegistration, AppRegistrationId } from "../domain/AppRegistration.ts"
import type { StoreError } from "../domain/Errors.ts"
import type { TenantId } from "../domain/Ids.ts"
import type { Sealed } from "./Sealed.ts"

export interface AppRegistrationCompletion {
  readonly externalAppId: string
  readonly displayName: string
  readonly metadata: Readonly<Record<string, string>>
  readonly sealed: Sealed
  readonly at: number
}

export class AppRegistrationStore extends Context.Service<AppRegistrationStore, {
  /** Inserts a registration (usually `pending`, with no secret yet). */
  readonly insert: (registration: AppRegistration) => Effect.Effect<void, StoreError>
  readonly get: (tenantId: TenantId, id: AppRegistrationId) => Effect.Effect<Option.Option<AppRegistration>, StoreError>
  /** Cross-tenant lookup by id, for the webhook route. */
  readonly findById: (id: AppRegistrationId) => Effect.Effect<Option.Option<AppRegistration>, StoreError>
  readonly list: (tenantId: TenantId) => Effect.Effect<ReadonlyArray<AppRegistration>, StoreError>
  /**
   * Stores the vendor's answer and the sealed secrets, and makes the registration active.
   * Returns the updated registration; none when it does not exist for that tenant.
   */
  readonly complete: (
    tenantId: TenantId,
    id: AppRegistrationId,
    completion: AppRegistrationCompletion
  ) => Effect.Effect<Option.Option<AppRegistration>, StoreError>
  /** The sealed secrets; none while pending or when the registration does not exist. */
  readonly getSecret: (tenantId: TenantId, id: AppRegistrationId) => Effect.Effect<Option.Option<Sealed>, StoreError>
  /** Deletes the registration (its installations stay, revoked by the caller). */
  readonly delete: (tenantId: TenantId, id: AppRegistrationId) => Effect.Effect<boolean, StoreError>
}>()("switchboard/store/AppRegistrationStore") {}
