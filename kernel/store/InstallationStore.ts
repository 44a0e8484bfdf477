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

/**
 * A stored secret with its version, which every write counts up, and the end of a standing
 * refresh claim (null when none). Instances sharing the database refresh a token once: the one
 * whose `claimRefresh` of the version it read wins, the others wait for the version to move.
 */
export interface VersionedSecret extends InstallationSecret {
  readonly version: number
  readonly refreshClaimedUntil: number | null
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
  /** The secret with its version and refresh claim: what a refresh compares and swaps on. */
  readonly getVersionedSecret: (
    tenantId: TenantId,
    id: InstallationId
  ) => Effect.Effect<Option.Option<VersionedSecret>, StoreError>
  readonly setSecret: (
    tenantId: TenantId,
    id: InstallationId,
    secret: InstallationSecret,
    at: number
  ) => Effect.Effect<boolean, StoreError>
  /**
   * Claims the refresh of the secret at `version` until `until`: true for one caller only, while
   * the stored version is still `version` and no claim ending after `now` stands.
   */
  readonly claimRefresh: (
    tenantId: TenantId,
    id: InstallationId,
    version: number,
    now: number,
    until: number
  ) => Effect.Effect<boolean, StoreError>
  /**
   * Stores a refreshed secret only while the stored one is still at `version` (compare and
   * swap): counts the version up and ends the claim. False when another write came first.
   */
  readonly setSecretIfVersion: (
    tenantId: TenantId,
    id: InstallationId,
    secret: InstallationSecret,
    version: number,
    at: number
  ) => Effect.Effect<boolean, StoreError>
  /** Ends a claim on `version` that stored nothing (the refresh failed), so another may try. */
  readonly releaseRefresh: (tenantId: TenantId, id: InstallationId, version: number) => Effect.Effect<void, StoreError>
}>()("switchboard/store/InstallationStore") {}
