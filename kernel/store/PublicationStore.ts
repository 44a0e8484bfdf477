/** Publications: which agent serves an installation, with which scopes and filters. */
import { Context, type Effect, type Option } from "effect"
import type { StoreError } from "../domain/Errors.ts"
import type { InstallationId, PublicationId, TenantId } from "../domain/Ids.ts"
import type { Installation } from "../domain/Installation.ts"
import type { Granularity, Publication, PublicationStatus } from "../domain/Publication.ts"
import type { VersionedSecret } from "./InstallationStore.ts"

export interface PublicationPatch {
  readonly agentId?: string | undefined
  readonly scopes?: ReadonlyArray<string> | undefined
  readonly granularity?: Granularity | undefined
  readonly filters?: Readonly<Record<string, ReadonlyArray<string>>> | undefined
  readonly status?: PublicationStatus | undefined
}

/**
 * What a session token reaches, as one tool call reads it: its tenant's state, its publication
 * and its installation, each under the token's tenant. Read fresh on every call (a scope
 * narrowed, a publication paused or a tenant disabled counts at once), hence one statement.
 */
export interface SessionReach {
  /** None when the tenant does not exist; `disabledAt` null while it is enabled. */
  readonly tenant: Option.Option<{ readonly disabledAt: number | null }>
  readonly publication: Option.Option<Publication>
  /** The installation the token names (whether it is the publication's is the caller's check). */
  readonly installation: Option.Option<Installation>
  /** That installation's stored secret, read with it: the call's tokens need no second read. */
  readonly secret: Option.Option<VersionedSecret>
}

export class PublicationStore extends Context.Service<PublicationStore, {
  readonly insert: (publication: Publication) => Effect.Effect<void, StoreError>
  readonly get: (tenantId: TenantId, id: PublicationId) => Effect.Effect<Option.Option<Publication>, StoreError>
  readonly list: (tenantId: TenantId) => Effect.Effect<ReadonlyArray<Publication>, StoreError>
  readonly listByInstallation: (
    tenantId: TenantId,
    installationId: InstallationId
  ) => Effect.Effect<ReadonlyArray<Publication>, StoreError>
  readonly update: (
    tenantId: TenantId,
    id: PublicationId,
    patch: PublicationPatch,
    at: number
  ) => Effect.Effect<Option.Option<Publication>, StoreError>
  /** Pauses (or resumes) every publication of an installation, e.g. when it is revoked. */
  readonly setStatusByInstallation: (
    tenantId: TenantId,
    installationId: InstallationId,
    status: PublicationStatus,
    at: number
  ) => Effect.Effect<number, StoreError>
  readonly delete: (tenantId: TenantId, id: PublicationId) => Effect.Effect<boolean, StoreError>
  /** The tenant, publication and installation a session token names, in one read. */
  readonly sessionReach: (
    tenantId: TenantId,
    publicationId: PublicationId,
    installationId: InstallationId
  ) => Effect.Effect<SessionReach, StoreError>
}>()("switchboard/store/PublicationStore") {}
