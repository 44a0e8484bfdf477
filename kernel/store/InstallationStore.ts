/**
 * Installations and their sealed secrets. Every method is scoped by tenant except
 * `findByAccount`, which the webhook pipeline uses to find the tenants of a vendor workspace.
 */
import { Context, type Effect, type Option } from "effect"
import type { StoreError } from "../domain/Errors.ts"
import type { InstallationId, ProviderId, TenantId } from "../domain/Ids.ts"
import type { Installation, InstallationStatus } from "../domain/Installation.ts"
import type { Sealed } from "./Sealed.ts"

export interface InstallationSecret {
  readonly sealed: Sealed
  /** Epoch ms when the access token expires; null when it does not. */
  readonly expiresAt: number | null
}

export class InstallationStore extends Context.Service<InstallationStore, {
  /**
   * Inserts, or, when the tenant already has an installation of that provider for that vendor
   * account, updates it (status back to active, new scopes, metadata and secret). Returns the
   * stored row, whose id is the existing one on update.
   */
  readonly upsert: (installation: Installation, secret: InstallationSecret) => Effect.Effect<Installation, StoreError>
  readonly get: (tenantId: TenantId, id: InstallationId) => Effect.Effect<Option.Option<Installation>, StoreError>
  readonly list: (tenantId: TenantId) => Effect.Effect<ReadonlyArray<Installation>, StoreError>
  /** Active and revoked installations of a vendor account, across tenants. */
  readonly findByAccount: (
    providerId: ProviderId,
    externalAccountId: string
  ) => Effect.Effect<ReadonlyArray<Installation>, StoreError>
  readonly setStatus: (
    tenantId: TenantId,
    id: InstallationId,
    status: InstallationStatus,
    at: number
  ) => Effect.Effect<boolean, StoreError>
  readonly getSecret: (
    tenantId: TenantId,
    id: InstallationId
  ) => Effect.Effect<Option.Option<InstallationSecret>, StoreError>
  readonly setSecret: (
    tenantId: TenantId,
    id: InstallationId,
    secret: InstallationSecret,
    at: number
  ) => Effect.Effect<boolean, StoreError>
}>()("switchboard/store/InstallationStore") {}
