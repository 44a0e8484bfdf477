/**
 * How a vendor signs its webhooks, declared rather than written: the kernel verifies a declared
 * scheme on the raw bytes, in constant time, before anything parses the body, and fails closed
 * (no secret configured is `NotConfigured`, never a pass).
 *
 * Supported: HMAC-SHA256 in hex or base64, over the body or over a template such as
 * `v0:{timestamp}:{body}` (Slack), read from one header after an optional prefix (`sha256=`),
 * under a list of secrets (newest first, for rotation), with an optional timestamp window read
 * from a header or from a field of the signed body. A vendor with another scheme supplies its
 * own `verify` with `custom`.
 */
import type { Effect, Option, Redacted } from "effect"
import type { WebhookRejected } from "../domain/Errors.ts"
import type { AppContext } from "./Registration.ts"
import type { RawWebhook } from "./Webhook.ts"

/** Where a delivery's time is, and how far from the arrival time it may be. */
export interface TimestampWindow {
  /** A header (`x-slack-request-timestamp`) or a top-level numeric field of the JSON body (`webhookTimestamp`). */
  readonly from: { readonly header: string } | { readonly field: string }
  readonly unit: "seconds" | "milliseconds"
  /** How old a delivery may be, in ms. */
  readonly maxAgeMs: number
  /** How far in the future it may be, in ms (clock skew); defaults to `maxAgeMs`. */
  readonly maxFutureMs?: number | undefined
  /** The name shown in errors (`X-Slack-Request-Timestamp`); defaults to the header or field. */
  readonly label?: string | undefined
}

export interface SecretsContext {
  /** The tenant's own app when the webhook came to `/webhook/<provider>/<registration>`. */
  readonly app: Option.Option<AppContext>
  readonly receivedAt: number
}

export interface HmacSha256Scheme {
  readonly _tag: "HmacSha256"
  /** The header carrying the signature (lowercase). */
  readonly header: string
  /** Stripped before decoding (`sha256=`, `v0=`); a signature without it is refused. */
  readonly prefix?: string | undefined
  readonly encoding?: "hex" | "base64" | undefined
  /**
   * What is signed: `{body}` (the default) or a template such as `v0:{timestamp}:{body}`, where
   * `{timestamp}` is the raw text of the timestamp header (so it needs `timestamp.from.header`).
   */
  readonly signs?: string | undefined
  /** Every secret a signature may be made with, newest first; empty means not configured. */
  readonly secrets: (context: SecretsContext) => ReadonlyArray<Redacted.Redacted<string>>
  /** Said when there is no secret, e.g. "set JIRA_WEBHOOK_SECRET". */
  readonly notConfigured: string
  readonly timestamp?: TimestampWindow | undefined
  /** The header's display name in errors (`X-Hub-Signature-256`); defaults to `header`. */
  readonly label?: string | undefined
}

export interface CustomScheme {
  readonly _tag: "Custom"
  /** Runs on the raw bytes before anything parses them; fails closed. */
  readonly verify: (raw: RawWebhook, app: Option.Option<AppContext>) => Effect.Effect<void, WebhookRejected>
}

export type SignatureScheme = HmacSha256Scheme | CustomScheme

export const hmacSha256 = (scheme: Omit<HmacSha256Scheme, "_tag">): HmacSha256Scheme => ({ _tag: "HmacSha256", ...scheme })

export const custom = (verify: CustomScheme["verify"]): CustomScheme => ({ _tag: "Custom", verify })
