/**
 * A received webhook delivery, persisted before it is acknowledged. The raw body and headers are
 * kept so the event can be decided again after a crash or replayed from the Console.
 */
import { Schema } from "effect"
import { EventId, ProviderId, TenantId } from "./Ids.ts"

export const WebhookEventStatus = Schema.Literals(["received", "dispatched", "ignored", "failed"])
export type WebhookEventStatus = typeof WebhookEventStatus.Type

export const WebhookEvent = Schema.Struct({
  id: EventId,
  tenantId: TenantId,
  providerId: ProviderId,
  /** The vendor's delivery id (Linear-Delivery, X-GitHub-Delivery, Slack event_id ...). */
  deliveryId: Schema.String,
  eventType: Schema.String,
  externalAccountId: Schema.NullOr(Schema.String),
  status: WebhookEventStatus,
  /** Why the event was ignored, or why deciding it failed. */
  reason: Schema.NullOr(Schema.String),
  headers: Schema.Record(Schema.String, Schema.String),
  body: Schema.String,
  receivedAt: Schema.Number,
  updatedAt: Schema.Number
})
export type WebhookEvent = typeof WebhookEvent.Type

/**
 * Retention emptied its body and headers (SWITCHBOARD_RETENTION_DAYS): it cannot be decided
 * again. A stored delivery's body is never empty otherwise (signed bodies carry their event).
 */
export const isPruned = (event: WebhookEvent): boolean => event.body === ""

/** What a replay did: decided and redelivered, no such event, or its body is gone (retention). */
export type Replayed = "replayed" | "missing" | "pruned"

/** Events that matched no installation are kept under this tenant, so nothing acknowledged is lost. */
export const UNROUTED_TENANT = "_unrouted"
