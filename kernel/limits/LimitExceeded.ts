/**
 * A tenant went past one of its limits. The gateway answers it 429 with `Retry-After`; a tool
 * call gets it as a `RateLimited` tool error. It names the limit, never the tenant: the caller
 * of a webhook URL is a vendor, not the tenant.
 */
import { Schema } from "effect"

export const LimitKind = Schema.Literals(["webhooks", "toolCalls", "authFailures"])
export type LimitKind = typeof LimitKind.Type

export class LimitExceeded extends Schema.TaggedError<LimitExceeded>()("LimitExceeded", {
  kind: LimitKind,
  message: Schema.String,
  /** Whole seconds until the next request can pass (at least 1). */
  retryAfterSeconds: Schema.Number,
  /**
   * For `webhooks`: the tenant whose allowance ran out, so the refusal can be listed among that
   * tenant's rejected webhooks. Never part of the answer.
   */
  tenantId: Schema.optional(Schema.String)
}) {}
