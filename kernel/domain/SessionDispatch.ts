/**
 * What the agent platform receives: create a new agent session, or resume the one bound to a
 * session key. The MCP credentials are minted at delivery time so retries carry a fresh token.
 */
import { Schema } from "effect"
import { EventId, InstallationId, ProviderId, PublicationId, SessionKey, TenantId } from "./Ids.ts"

export const DispatchMode = Schema.Literals(["create", "resume"])
export type DispatchMode = typeof DispatchMode.Type

/** A provider's decision for one event and one publication. */
export const DispatchIntent = Schema.Struct({
  sessionKey: SessionKey,
  /** What the agent should do: the user's request, the new comment, "stop" ... */
  prompt: Schema.String,
  /** `start` creates or resumes; `continue` resumes and creates only if no session exists yet;
   *  `resumeOnly` is ignored unless a live session exists (e.g. a later comment on an item). */
  mode: Schema.Literals(["start", "continue", "resumeOnly", "stop"]),
  /** Vendor context the agent needs (issue id, title, url, thread ...), JSON only. */
  context: Schema.Record(Schema.String, Schema.Json),
  /** The human who triggered it, when known. */
  actor: Schema.NullOr(Schema.Struct({ id: Schema.String, name: Schema.NullOr(Schema.String) }))
})
export type DispatchIntent = typeof DispatchIntent.Type

export const SessionDispatch = Schema.Struct({
  /** Idempotency key for the receiver: stable across retries of the same delivery. */
  id: Schema.String,
  tenantId: TenantId,
  providerId: ProviderId,
  installationId: InstallationId,
  publicationId: PublicationId,
  agentId: Schema.String,
  eventId: EventId,
  deliveryId: Schema.String,
  eventType: Schema.String,
  mode: DispatchMode,
  sessionKey: SessionKey,
  sessionId: Schema.String,
  prompt: Schema.String,
  stop: Schema.Boolean,
  context: Schema.Record(Schema.String, Schema.Json),
  actor: Schema.NullOr(Schema.Struct({ id: Schema.String, name: Schema.NullOr(Schema.String) })),
  createdAt: Schema.Number
})
export type SessionDispatch = typeof SessionDispatch.Type

/** The envelope the SessionSink delivers: the dispatch plus the MCP endpoint and a bearer token. */
export const SessionDelivery = Schema.Struct({
  dispatch: SessionDispatch,
  mcp: Schema.Struct({ url: Schema.String, token: Schema.String, expiresAt: Schema.Number }),
  attempt: Schema.Number
})
export type SessionDelivery = typeof SessionDelivery.Type
