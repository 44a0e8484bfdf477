/**
 * A webhook request the gateway refused (401, 400, 413, 404, 429): kept so an operator can see
 * why a vendor's deliveries fail. Only what the request said about itself outside its body: the
 * body of an unverified request is never kept, and signature headers keep their name only.
 */
import { Schema } from "effect"
import { TenantId } from "./Ids.ts"

/** Refusals on a path no registered provider serves are kept under this provider id. */
export const UNKNOWN_PROVIDER = "unknown"

export const RejectedWebhook = Schema.Struct({
  id: Schema.String,
  /** The tenant when the request named it (a tenant's own app URL, a tenant over its limit), else `_unrouted`. */
  tenantId: TenantId,
  providerId: Schema.String,
  /** The request's path, without the query. */
  path: Schema.String,
  status: Schema.Number,
  /** The refusal's reason as answered (`BadSignature`, `StaleTimestamp`, `TooLarge`, `RateLimited` ...). */
  reason: Schema.String,
  message: Schema.String,
  /** Lowercase names; signature and credential headers as `[redacted]`. */
  headers: Schema.Record(Schema.String, Schema.String),
  receivedAt: Schema.Number
})
export type RejectedWebhook = typeof RejectedWebhook.Type
