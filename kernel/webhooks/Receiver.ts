/**
 * A provider's webhook declaration turned into the two things the pipeline asks of it:
 *
 * - `receive`, at arrival: verify the declared signature on the raw bytes, parse the body once,
 *   check a body timestamp, read the envelope (delivery id, event type, account, lifecycle,
 *   handshake). Nothing more is decoded before the acknowledgement;
 * - `reread`, for a stored event decided after a restart or replayed: the same without the
 *   signature or the clock.
 *
 * Both give a `DecodedWebhook` whose `decide` decodes the event with its Schema on first use
 * (once, whatever the number of publications). An unknown event, or one that does not match its
 * Schema, decides to an ignore with the reason.
 */
import { Effect, Option, type Redacted, Result } from "effect"
import type { HttpClient } from "effect/http"
import type { ToolError } from "../domain/Errors.ts"
import type { Installation } from "../domain/Installation.ts"
import type { Publication } from "../domain/Publication.ts"
import { WebhookRejected } from "../domain/Errors.ts"
import { NativeCrypto, type NativeCryptoImpl } from "../crypto/NativeCrypto.ts"
import { sha256Hex, utf8Decode } from "../encoding/Encoding.ts"
import type { EventHandler, EventTable, PreparedEvent } from "../provider/Events.ts"
import type { AppContext } from "../provider/Registration.ts"
import type { DispatchDecision, EnvelopeRead, InstallationLifecycle, RawWebhook, WebhookDefinition, WebhookHandshake } from "../provider/Webhook.ts"
import { ignore } from "../provider/Webhook.ts"
import { checkBodyTimestamp, verifySignature } from "./VerifySignature.ts"

/** A delivery as the pipeline works with it: its envelope, and its events ready to decide. */
export interface DecodedWebhook {
  readonly deliveryId: string
  /** Hex SHA-256 of the raw body: what the declared schemes sign, and what replays are deduped on. */
  readonly contentDigest: string
  /** The raw body as UTF-8 text, as it is stored. */
  readonly bodyText: string
  readonly eventType: string
  /** The vendor workspace the event belongs to; none for events that carry no account. */
  readonly externalAccountId: Option.Option<string>
  readonly handshake: Option.Option<WebhookHandshake>
  readonly lifecycle: Option.Option<InstallationLifecycle>
  /** Maps the event to a dispatch for one publication of one installation, or to an ignore. */
  readonly decide: (installation: Installation, publication: Publication) => DispatchDecision
  /**
   * Work the vendor expects soon after receipt, whatever the dispatch costs (Linear wants a
   * first agent activity within 10 s of an agent session's creation). The kernel runs it in the
   * background right after the event is stored, apart from the dispatch, for each installation
   * with at least one publication that `decide` dispatches to. Never runs on replays.
   */
  readonly acknowledge?: ((
    installation: Installation,
    accessToken: Redacted.Redacted<string>
  ) => Effect.Effect<void, ToolError, HttpClient.HttpClient>) | undefined
}

export interface Receiver {
  readonly maxBodyBytes: number | undefined
  readonly receive: (raw: RawWebhook, app: Option.Option<AppContext>) => Effect.Effect<DecodedWebhook, WebhookRejected>
  readonly reread: (raw: RawWebhook) => Effect.Effect<DecodedWebhook, WebhookRejected>
}

const malformed = (message: string) => new WebhookRejected({ reason: "Malformed", message })

const parseJson = (text: string): Effect.Effect<unknown, WebhookRejected> =>
  Effect.try({ try: (): unknown => JSON.parse(text), catch: () => malformed("The webhook body is not valid JSON") })

/** The body as text (what is stored) and as JSON (a form post's `payload` field where the provider allows it). */
export const parseBody = (
  definition: WebhookDefinition,
  raw: RawWebhook
): Effect.Effect<{ readonly text: string; readonly value: unknown }, WebhookRejected> => {
  const text = utf8Decode(raw.body)
  if (text === undefined) return Effect.fail(malformed("The webhook body is not valid UTF-8"))
  const form = definition.body === "jsonOrFormPayload" &&
    // Stryker disable next-line StringLiteral: any text that is not a form's content type does as well
    (raw.headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded")
  // Stryker disable next-line StringLiteral: any text that is not JSON fails the same way
  return Effect.map(parseJson(form ? new URLSearchParams(text).get("payload") ?? "" : text), (value) => ({ text, value }))
}

/** Exact name first, then the part before the first dot (`issue_comment.created` → `issue_comment`). */
const handlerFor = (events: ReadonlyMap<string, EventHandler>, eventType: string): Option.Option<EventHandler> => {
  const exact = events.get(eventType)
  if (exact !== undefined) return Option.some(exact)
  const dot = eventType.indexOf(".")
  // Stryker disable next-line EqualityOperator: a leading dot would look up the handler named "", which no table declares
  return dot > 0 ? Option.fromNullishOr(events.get(eventType.slice(0, dot))) : Option.none()
}

const tableOf = (events: EventTable): ReadonlyMap<string, EventHandler> => new Map(Object.entries(events))

const decodedOf = (
  providerName: string,
  events: ReadonlyMap<string, EventHandler>,
  body: { readonly text: string; readonly value: unknown },
  read: EnvelopeRead,
  contentDigest: string
): DecodedWebhook => {
  const envelope = { deliveryId: read.deliveryId, eventType: read.eventType, account: read.account }
  const handler = handlerFor(events, read.eventType)
  let prepared: Result.Result<PreparedEvent, string> | undefined
  // Decoded on first use, once: the acknowledgement and every publication's decision share it.
  const prepare = (found: EventHandler) => (prepared ??= found.prepare(body.value, envelope))
  const acknowledges = Option.isSome(handler) && handler.value.acknowledges
  return {
    deliveryId: read.deliveryId,
    contentDigest,
    bodyText: body.text,
    eventType: read.eventType,
    externalAccountId: read.account,
    handshake: read.handshake,
    lifecycle: read.lifecycle,
    decide: (installation, publication) =>
      Option.match(handler, {
        onNone: () => ignore(`${providerName} event "${read.eventType}" is not handled by this provider`),
        onSome: (found) =>
          Result.match(prepare(found), {
            onFailure: (reason) => ignore(`${providerName} ${read.eventType} payload is not in the documented shape: ${reason}`),
            onSuccess: (event) => event.decide(installation, publication)
          })
      }),
    acknowledge: !acknowledges ? undefined : (installation, accessToken) =>
      Option.match(handler, {
        // Stryker disable next-line ArrowFunction: unreachable, without a handler there is no `acknowledge`
        onNone: () => Effect.void,
        onSome: (found) =>
          Result.match(prepare(found), {
            onFailure: () => Effect.void,
            onSuccess: (event) => event.acknowledge?.(installation, accessToken) ?? Effect.void
          })
      })
  }
}

const compiled = new WeakMap<WebhookDefinition, Receiver>()

/**
 * A digest started now and read later: once it has settled its value is read without waiting a
 * turn (every wait is a fiber suspension, a measurable share of a delivery's cost).
 */
const startDigest = (body: Uint8Array): Effect.Effect<string> => {
  let value: string | undefined
  const pending = sha256Hex(body).then((hex) => (value = hex))
  // Observed even when nobody reads it (the signature was refused first): no unhandled rejection.
  pending.catch(() => undefined)
  return Effect.suspend(() => value !== undefined ? Effect.succeed(value) : Effect.promise(() => pending))
}

/** The body's digest: in place with a runtime's native hash, else started now on Web Crypto. */
const digestOf = (native: NativeCryptoImpl | undefined, body: Uint8Array): Effect.Effect<string> =>
  native === undefined ? startDigest(body) : Effect.sync(() => native.sha256Hex(body))

const fromDefinition = (providerName: string, definition: WebhookDefinition): Receiver => {
  const events = tableOf(definition.events)
  const read = Effect.fnUntraced(function*(raw: RawWebhook, verified: boolean, digested: Effect.Effect<string>) {
    const body = yield* parseBody(definition, raw)
    if (verified) yield* checkBodyTimestamp(definition.signature, body.value, raw.receivedAt)
    const digest = yield* digested
    const envelope = definition.readEnvelope(body.value, { headers: raw.headers, digest })
    if (Result.isFailure(envelope)) {
      return yield* malformed(`The ${providerName} webhook cannot be routed: ${envelope.failure}`)
    }
    return decodedOf(providerName, events, body, envelope.success, digest)
  })
  return {
    maxBodyBytes: definition.maxBodyBytes,
    // The digest runs beside the signature check (it reads the bytes, it parses nothing), so
    // the delivery waits once for both; a forged delivery costs the hash as well as the HMAC.
    // With a runtime's native hash (`NativeCrypto`) there is nothing to wait for: it is computed
    // in place, after the signature.
    receive: (raw, app) =>
      Effect.flatMap(Effect.service(NativeCrypto), (native) => {
        const digested = digestOf(native, raw.body)
        return Effect.andThen(verifySignature(definition.signature, raw, app), read(raw, true, digested))
      }),
    reread: (raw) => Effect.flatMap(Effect.service(NativeCrypto), (native) => read(raw, false, digestOf(native, raw.body)))
  }
}

/** The receiver of a provider's webhooks (built once per declaration). */
export const receiverOf = (provider: {
  readonly displayName: string
  readonly webhook: WebhookDefinition
}): Receiver => {
  const known = compiled.get(provider.webhook)
  if (known !== undefined) return known
  const receiver = fromDefinition(provider.displayName, provider.webhook)
  compiled.set(provider.webhook, receiver)
  return receiver
}
