/**
 * Slack request verification and Events API decoding.
 *
 * `verify` checks `X-Slack-Signature` (`v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`
 * under the signing secret: the tenant app's own when the request came to its registration's
 * URL, else any of the deployment's during a rotation), compared in constant time by
 * `kernel/crypto/Hmac.ts`, before anything parses the body; then it enforces Slack's five
 * minute window on `X-Slack-Request-Timestamp`, in both directions, against the arrival time.
 * The timestamp is inside the signed string, so it cannot be moved without breaking the signature.
 *
 * `decode` does not look at the clock or the secrets: it also runs when a stored event is decided
 * again after a restart or replayed. The delivery id is Slack's `event_id`, which a retry
 * (`X-Slack-Retry-Num`) repeats, so the kernel's dedupe turns retries into duplicates. Bodies
 * without an `event_id` (`app_rate_limited`, unknown types) get an id derived from the body.
 */
import { Effect, Option, Schema } from "effect"
import { bytesToHex, verifyHmacSha256Hex } from "../../kernel/crypto/Hmac.ts"
import { WebhookRejected } from "../../kernel/domain/Errors.ts"
import type { AppContext } from "../../kernel/provider/Registration.ts"
import type { DecodedWebhook, RawWebhook, WebhookHandler } from "../../kernel/provider/Webhook.ts"
import { signingSecretsFor, type SlackSettings } from "./SlackConfig.ts"
import * as SlackDispatch from "./SlackDispatch.ts"
import * as SlackEvents from "./SlackEvents.ts"
import { nullable } from "./SlackSchema.ts"

/** Slack documents a five minute tolerance for `X-Slack-Request-Timestamp`. */
export const REPLAY_WINDOW_SECONDS = 5 * 60

export const SIGNATURE_HEADER = "x-slack-signature"
export const TIMESTAMP_HEADER = "x-slack-request-timestamp"

const rejected = (reason: WebhookRejected["reason"], message: string) => new WebhookRejected({ reason, message })

const encoder = new TextEncoder()
const utf8 = new TextDecoder("utf-8", { fatal: true })
const decodeJson = Schema.decodeUnknownEffect(Schema.fromJsonString(Schema.Unknown))

/** The exact bytes Slack signs: `v0:<timestamp>:` followed by the raw body. */
export const baseString = (timestamp: string, body: Uint8Array): Uint8Array => {
  const prefix = encoder.encode(`v0:${timestamp}:`)
  const message = new Uint8Array(prefix.length + body.length)
  message.set(prefix, 0)
  message.set(body, prefix.length)
  return message
}

export const verify = Effect.fnUntraced(function*(
  settings: SlackSettings,
  raw: RawWebhook,
  app: Option.Option<AppContext> | undefined
) {
  const secrets = signingSecretsFor(settings, app)
  if (secrets.length === 0) {
    return yield* rejected("NotConfigured", "Slack request signing is not configured: set SLACK_SIGNING_SECRET")
  }
  const signature = raw.headers.get(SIGNATURE_HEADER)?.trim() ?? ""
  const timestamp = raw.headers.get(TIMESTAMP_HEADER)?.trim() ?? ""
  if (signature.length === 0 || timestamp.length === 0) {
    return yield* rejected("BadSignature", "X-Slack-Signature or X-Slack-Request-Timestamp is missing")
  }
  if (!signature.startsWith("v0=")) return yield* rejected("BadSignature", "X-Slack-Signature is not a v0 signature")
  const valid = yield* verifyHmacSha256Hex(secrets, baseString(timestamp, raw.body), signature.slice(3))
  if (!valid) return yield* rejected("BadSignature", "X-Slack-Signature does not match the body under the signing secret")
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN
  if (Number.isNaN(seconds)) return yield* rejected("StaleTimestamp", "X-Slack-Request-Timestamp is not a number of seconds")
  const skew = raw.receivedAt / 1000 - seconds
  if (Math.abs(skew) > REPLAY_WINDOW_SECONDS) {
    return yield* rejected(
      "StaleTimestamp",
      `X-Slack-Request-Timestamp is ${Math.round(Math.abs(skew))}s ${skew > 0 ? "old" : "in the future"}; the window is ${REPLAY_WINDOW_SECONDS}s`
    )
  }
})

const parseBody = (body: Uint8Array): Effect.Effect<unknown, WebhookRejected> =>
  Effect.try({ try: () => utf8.decode(body), catch: () => rejected("Malformed", "Slack request body is not valid UTF-8") }).pipe(
    Effect.flatMap((text) => decodeJson(text)),
    Effect.mapError((error) => (error._tag === "WebhookRejected" ? error : rejected("Malformed", "Slack request body is not JSON")))
  )

const malformed = (what: string) => (error: Schema.SchemaError) => rejected("Malformed", `Slack ${what} is malformed: ${error.message}`)

const bodyDigest = (body: Uint8Array) =>
  Effect.promise(() => crypto.subtle.digest("SHA-256", new Uint8Array(body))).pipe(
    Effect.map((digest) => bytesToHex(new Uint8Array(digest)).slice(0, 32))
  )

const ignoredOnly = (
  deliveryId: string,
  eventType: string,
  account: Option.Option<string>,
  event: SlackEvents.SlackEvent
): DecodedWebhook => ({
  deliveryId,
  eventType,
  externalAccountId: account,
  handshake: Option.none(),
  lifecycle: Option.none(),
  decide: (installation, publication) => SlackDispatch.decide(event, installation, publication)
})

const Unknown = Schema.Struct({ team_id: nullable(Schema.String) })
/** The inner event as it came, for the decoder its type picks. */
const EventBody = Schema.Struct({ event: Schema.Unknown })

export const decode = Effect.fnUntraced(function*(raw: RawWebhook) {
  const body = yield* parseBody(raw.body)
  const { type } = yield* Schema.decodeUnknownEffect(SlackEvents.Outer)(body).pipe(Effect.mapError(malformed("request body")))
  if (type === "url_verification") {
    const { challenge } = yield* Schema.decodeUnknownEffect(SlackEvents.UrlVerification)(body).pipe(
      Effect.mapError(malformed("url_verification"))
    )
    const handshake: DecodedWebhook = {
      ...ignoredOnly(`url_verification:${yield* bodyDigest(raw.body)}`, type, Option.none(), { _tag: "Unhandled", eventType: type }),
      handshake: Option.some({ status: 200, contentType: "text/plain; charset=utf-8", body: challenge })
    }
    return handshake
  }
  if (type === "event_callback") {
    const callback = yield* Schema.decodeUnknownEffect(SlackEvents.EventCallback)(body).pipe(
      Effect.mapError(malformed("event_callback"))
    )
    const { event: inner } = yield* Schema.decodeUnknownEffect(EventBody)(body).pipe(Effect.mapError(malformed("event_callback")))
    const event = yield* SlackEvents.classify(callback.event.type, inner).pipe(Effect.mapError(malformed(callback.event.type)))
    const revokesBot = event._tag === "AppUninstalled" ||
      (event._tag === "TokensRevoked" && (event.event.tokens.bot ?? []).length > 0)
    const decoded: DecodedWebhook = {
      ...ignoredOnly(callback.event_id, SlackEvents.eventTypeOf(event, callback.event.type), SlackEvents.accountOf(callback), event),
      lifecycle: revokesBot ? Option.some("revoked") : Option.none()
    }
    return decoded
  }
  if (type === "app_rate_limited") {
    const limited = yield* Schema.decodeUnknownEffect(SlackEvents.AppRateLimited)(body).pipe(
      Effect.mapError(malformed("app_rate_limited"))
    )
    const account = Option.fromNullishOr(limited.team_id)
    const id = `app_rate_limited:${limited.api_app_id ?? ""}:${limited.team_id ?? ""}:${limited.minute_rate_limited}`
    return ignoredOnly(id, type, account, { _tag: "RateLimited", minute: limited.minute_rate_limited })
  }
  const unknown = yield* Schema.decodeUnknownEffect(Unknown)(body).pipe(Effect.orElseSucceed(() => ({ team_id: null })))
  const account = Option.fromNullishOr(unknown.team_id)
  return ignoredOnly(`${type}:${yield* bodyDigest(raw.body)}`, type, account, { _tag: "Unhandled", eventType: type })
})

export const make = (settings: SlackSettings): WebhookHandler => ({
  verify: (raw, app) => verify(settings, raw, app),
  decode
})
