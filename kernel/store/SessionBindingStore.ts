/** Which agent session a session key (an issue, a thread) is bound to, per publication. */
import { Context, type Effect, type Option } from "effect"
import type { StoreError } from "../domain/Errors.ts"
import type { PublicationId, SessionKey, TenantId } from "../domain/Ids.ts"

export interface SessionBinding {
  readonly tenantId: TenantId
  readonly publicationId: PublicationId
  readonly sessionKey: SessionKey
  readonly sessionId: string
  readonly status: "live" | "closed"
  readonly createdAt: number
  readonly updatedAt: number
}

export class SessionBindingStore extends Context.Service<SessionBindingStore, {
  readonly find: (
    tenantId: TenantId,
    publicationId: PublicationId,
    sessionKey: SessionKey
  ) => Effect.Effect<Option.Option<SessionBinding>, StoreError>
  /**
   * Binds the key unless a binding exists, and returns the binding that won: two deliveries
   * racing for the same key end up in the same session.
   */
  readonly bind: (binding: SessionBinding) => Effect.Effect<SessionBinding, StoreError>
  readonly setStatus: (
    tenantId: TenantId,
    publicationId: PublicationId,
    sessionKey: SessionKey,
    status: "live" | "closed",
    at: number
  ) => Effect.Effect<boolean, StoreError>
  readonly list: (tenantId: TenantId, limit: number) => Effect.Effect<ReadonlyArray<SessionBinding>, StoreError>
}>()("switchboard/store/SessionBindingStore") {}
