/**
 * Linear webhook verification and decoding.
 *
 * `verify` checks `Linear-Signature` (hex HMAC-SHA256 of the raw body, compared in constant time
 * by `kernel/crypto/Hmac.ts`, any of the configured secrets during a rotation) before anything
 * parses the body; only then does it read `webhookTimestamp` and enforce Linear's 60 second
 * replay window against the arrival time, in both directions.
 *
 * `decode` does not look at the clock or the secrets: it also runs when a stored event is decided
 * again after a restart or replayed from the Console, minutes or days later. The event type comes
 * from the signed body (`type` + `action`, e.g. `AgentSessionEvent.created`), not from the
 * unsigned `Linear-Event` header, which names the same `type` without the action.
 *
 * An agent session's `created` event carries an `acknowledge`: the thought activity Linear
 * expects within 10 seconds, which the kernel posts right after storing the event, apart from
 * the dispatch (see `LinearActivities.ts`).
 */
import { Effect, Option, type Redacted, Schema } from "effect"
import { verifyHmacSha256Hex } from "../../kernel/crypto/Hmac.ts"
import { WebhookRejected } from "../../kernel/domain/Errors.ts"
import type { DecodedWebhook, RawWebhook, WebhookHandler } from "../../kernel/provider/Webhook.ts"
import * as LinearActivities from "./LinearActivities.ts"
import * as LinearClient from "./LinearClient.ts"
import * as LinearDispatch from "./LinearDispatch.ts"
import * as LinearEvents from "./LinearEvents.ts"
import type { LinearSettings } from "./LinearConfig.ts"

/** Linear documents a one minute tolerance between `webhookTimestamp` and our clock. */
export const REPLAY_WINDOW_MS = 60_000

export const SIGNATURE_HEADER = "linear-signature"
export const DELIVERY_HEADER = "linear-delivery"
export const EVENT_HEADER = "linear-event"

const rejected = (reason: WebhookRejected["reason"], message: string) => new WebhookRejected({ reason, message })

const utf8 = new TextDecoder("utf-8", { fatal: true })
const decodeJson = Schema.decodeUnknownEffect(Schema.fromJsonString(Schema.Unknown))

const parseBody = (body: Uint8Array): Effect.Effect<unknown, WebhookRejected> =>
  Effect.try({
    try: () => utf8.decode(body),
    catch: () => rejected("Malformed", "Linear webhook body is not valid UTF-8")
  }).pipe(
    Effect.flatMap((text) => decodeJson(text)),
    Effect.mapError((error) =>
      error._tag === "WebhookRejected" ? error : rejected("Malformed", "Linear webhook body is not valid JSON")
    )
  )

const decodeTimestamp = Schema.decodeUnknownEffect(LinearEvents.Timestamped)

const checkSignature = Effect.fnUntraced(function*(settings: LinearSettings, raw: RawWebhook) {
  if (settings.webhookSecrets.length === 0) {
    return yield* rejected("NotConfigured", "Linear webhooks are not configured: set LINEAR_WEBHOOK_SECRET")
  }
  const signature = raw.headers.get(SIGNATURE_HEADER)?.trim() ?? ""
  if (signature.length === 0) {
    return yield* rejected("BadSignature", "Linear-Signature header is missing")
  }
  const valid = yield* verifyHmacSha256Hex(settings.webhookSecrets, raw.body, signature)
  if (!valid) {
    return yield* rejected("BadSignature", "Linear-Signature does not match the body under any configured secret")
  }
})

const checkTimestamp = Effect.fnUntraced(function*(raw: RawWebhook) {
  const body = yield* parseBody(raw.body)
  const { webhookTimestamp } = yield* decodeTimestamp(body).pipe(
    Effect.mapError(() => rejected("Malformed", "Linear webhook body has no numeric webhookTimestamp"))
  )
  const skew = raw.receivedAt - webhookTimestamp
  if (Math.abs(skew) > REPLAY_WINDOW_MS) {
    const direction = skew > 0 ? "old" : "in the future"
    return yield* rejected(
      "StaleTimestamp",
      `Linear webhookTimestamp is ${Math.round(Math.abs(skew) / 1000)}s ${direction}; the window is ${
        REPLAY_WINDOW_MS / 1000
      }s`
    )
  }
})

const decodeEnvelope = Schema.decodeUnknownEffect(LinearEvents.Envelope)

/** Linear wants a first activity within 10 s of a session's creation; other events need none. */
const acknowledgementOf = (client: LinearClient.LinearClient, event: LinearEvents.LinearEvent, deliveryId: string) =>
  event._tag === "SessionCreated"
    ? (_installation: unknown, accessToken: Redacted.Redacted<string>) =>
      LinearActivities.acknowledge(client, {
        deliveryId,
        agentSessionId: event.event.agentSession.id,
        issue: event.event.agentSession.issue?.identifier ?? null
      })(accessToken)
    : undefined

const decodeWith = (client: LinearClient.LinearClient) => Effect.fnUntraced(function*(raw: RawWebhook) {
  const deliveryId = raw.headers.get(DELIVERY_HEADER)?.trim() ?? ""
  if (deliveryId.length === 0) {
    return yield* rejected("Malformed", "Linear-Delivery header is missing")
  }
  const body = yield* parseBody(raw.body)
  const envelope = yield* decodeEnvelope(body).pipe(
    Effect.mapError((error) => rejected("Malformed", `Linear webhook body has no event type: ${error.message}`))
  )
  const eventType = LinearEvents.eventTypeOf(envelope)
  const event = yield* LinearEvents.classify(envelope, body).pipe(
    Effect.mapError((error) => rejected("Malformed", `Linear ${eventType} payload is malformed: ${error.message}`))
  )
  const decoded: DecodedWebhook = {
    deliveryId,
    eventType,
    externalAccountId: Option.fromNullishOr(envelope.organizationId),
    handshake: Option.none(),
    lifecycle: event._tag === "AppRevoked" ? Option.some("revoked") : Option.none(),
    decide: (installation, publication) => LinearDispatch.decide(event, installation, publication),
    acknowledge: acknowledgementOf(client, event, deliveryId)
  }
  return decoded
})

export const make = (settings: LinearSettings): WebhookHandler => ({
  verify: (raw) => Effect.andThen(checkSignature(settings, raw), checkTimestamp(raw)),
  decode: decodeWith(LinearClient.make(settings.apiUrl))
})
