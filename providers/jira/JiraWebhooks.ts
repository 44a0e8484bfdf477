/**
 * Jira webhook verification and decoding (admin webhooks registered with a secret).
 *
 * `verify` checks `X-Hub-Signature: sha256=<hex>` (HMAC-SHA256 of the raw body, compared in
 * constant time by `kernel/crypto/Hmac.ts`, under any configured secret during a rotation) before
 * anything parses the body; only then does it read the body's `timestamp` and refuse deliveries
 * older than an hour. The window matters because the delivery id Jira dedupes by,
 * `X-Atlassian-Webhook-Identifier`, is a header outside the signature: without it a captured
 * body could be replayed forever under fresh identifiers. An hour leaves room for Jira's retries
 * (its documented delays reach about half an hour).
 *
 * `decode` does not look at the clock or the secrets: it also runs when a stored event is decided
 * again after a restart or replayed from the Console.
 */
import { Effect, Option, Schema } from "effect"
import { verifyHmacSha256Hex } from "../../kernel/crypto/Hmac.ts"
import { WebhookRejected } from "../../kernel/domain/Errors.ts"
import type { DecodedWebhook, RawWebhook, WebhookHandler } from "../../kernel/provider/Webhook.ts"
import type { JiraSettings } from "./JiraConfig.ts"
import * as JiraDispatch from "./JiraDispatch.ts"
import * as JiraEvents from "./JiraEvents.ts"

export const SIGNATURE_HEADER = "x-hub-signature"
export const DELIVERY_HEADER = "x-atlassian-webhook-identifier"
/** How old a delivery's `timestamp` may be; a little clock skew the other way is tolerated. */
export const REPLAY_WINDOW_MS = 60 * 60_000
export const FUTURE_SKEW_MS = 5 * 60_000

const rejected = (reason: WebhookRejected["reason"], message: string) => new WebhookRejected({ reason, message })

const utf8 = new TextDecoder("utf-8", { fatal: true })
const decodeJson = Schema.decodeUnknownEffect(Schema.fromJsonString(Schema.Unknown))

const parseBody = (body: Uint8Array): Effect.Effect<unknown, WebhookRejected> =>
  Effect.try({ try: () => utf8.decode(body), catch: () => rejected("Malformed", "Jira webhook body is not valid UTF-8") }).pipe(
    Effect.flatMap((text) => decodeJson(text)),
    Effect.mapError((error) => error._tag === "WebhookRejected" ? error : rejected("Malformed", "Jira webhook body is not valid JSON"))
  )

const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/

const checkSignature = Effect.fnUntraced(function*(settings: JiraSettings, raw: RawWebhook) {
  if (settings.webhookSecrets.length === 0) {
    return yield* rejected("NotConfigured", "Jira webhooks are not configured: set JIRA_WEBHOOK_SECRET")
  }
  const header = raw.headers.get(SIGNATURE_HEADER)?.trim() ?? ""
  if (header.length === 0) return yield* rejected("BadSignature", "X-Hub-Signature header is missing")
  const hex = SIGNATURE.exec(header)?.[1]
  if (hex === undefined) return yield* rejected("BadSignature", "X-Hub-Signature is not sha256=<64 hex digits>")
  if (!(yield* verifyHmacSha256Hex(settings.webhookSecrets, raw.body, hex))) {
    return yield* rejected("BadSignature", "X-Hub-Signature does not match the body under any configured secret")
  }
})

const Timestamped = Schema.Struct({ timestamp: Schema.Finite })

const checkTimestamp = Effect.fnUntraced(function*(raw: RawWebhook) {
  const { timestamp } = yield* Schema.decodeUnknownEffect(Timestamped)(yield* parseBody(raw.body)).pipe(
    Effect.mapError(() => rejected("Malformed", "Jira webhook body has no numeric timestamp"))
  )
  const age = raw.receivedAt - timestamp
  if (age > REPLAY_WINDOW_MS) {
    return yield* rejected("StaleTimestamp", `Jira delivery is ${Math.round(age / 60_000)} minutes old; the window is ${REPLAY_WINDOW_MS / 60_000}`)
  }
  if (-age > FUTURE_SKEW_MS) return yield* rejected("StaleTimestamp", "Jira delivery is timestamped in the future")
})

const decode = Effect.fnUntraced(function*(raw: RawWebhook) {
  const deliveryId = raw.headers.get(DELIVERY_HEADER)?.trim() ?? ""
  if (deliveryId.length === 0) return yield* rejected("Malformed", "X-Atlassian-Webhook-Identifier header is missing")
  const body = yield* parseBody(raw.body)
  const envelope = yield* Schema.decodeUnknownEffect(JiraEvents.Envelope)(body).pipe(
    Effect.mapError((error) => rejected("Malformed", `Jira webhook body has no webhookEvent: ${error.message}`))
  )
  const event = yield* JiraEvents.classify(envelope, body).pipe(
    Effect.mapError((error) => rejected("Malformed", `Jira ${envelope.webhookEvent} payload is malformed: ${error.message}`))
  )
  const site = JiraEvents.siteOf(envelope)
  const decoded: DecodedWebhook = {
    deliveryId,
    eventType: envelope.webhookEvent,
    externalAccountId: site,
    handshake: Option.none(),
    lifecycle: Option.none(),
    decide: (installation, publication) =>
      JiraDispatch.decide(event, Option.getOrElse(site, () => installation.externalAccountId), installation, publication)
  }
  return decoded
})

export const make = (settings: JiraSettings): WebhookHandler => ({
  verify: (raw) => Effect.andThen(checkSignature(settings, raw), checkTimestamp(raw)),
  decode
})
