/**
 * The webhook half of the provider contract. The kernel owns the pipeline (size limit, signature
 * check, body parsing, dedupe, persistence, acknowledgement, routing); a provider declares it
 * with `defineWebhook`: its signature scheme, the envelope the kernel reads before the ack, its
 * lifecycle and handshake events, and its event table (`Events.ts`).
 *
 * The signature is verified at receipt only, before anything parses the body; the envelope and
 * the events are read again, without the signature or the clock, when a stored event is decided
 * after a restart or replayed.
 */
import { Option, Result, Schema } from "effect"
import type { DispatchIntent } from "../domain/SessionDispatch.ts"
import type { EventTable } from "./Events.ts"
import type { SignatureScheme } from "./Signature.ts"

export interface RawWebhook {
  readonly headers: Headers
  readonly body: Uint8Array
  /** Epoch ms when the request arrived (from Effect's Clock, so tests can move it). */
  readonly receivedAt: number
}

/** A reply the vendor expects instead of a plain acknowledgement (Slack's url_verification). */
export interface WebhookHandshake {
  readonly status: number
  readonly contentType: string
  readonly body: string
}

export type DispatchDecision =
  | { readonly _tag: "Dispatch"; readonly intent: DispatchIntent }
  | { readonly _tag: "Ignore"; readonly reason: string }

export const dispatchTo = (intent: DispatchIntent): DispatchDecision => ({ _tag: "Dispatch", intent })
export const ignore = (reason: string): DispatchDecision => ({ _tag: "Ignore", reason })

/**
 * What the installation's lifecycle should become because of this event. `installed` announces
 * a new installation of a tenant's own app (a GitHub org owner approving a requested install):
 * the kernel then asks the provider's `OAuthInstall.adopt` for its grant.
 */
export type InstallationLifecycle = "installed" | "revoked" | "suspended" | "unsuspended"

/** What the kernel reads of a delivery before it stores and acknowledges it. */
export interface EnvelopeRead {
  readonly deliveryId: string
  readonly eventType: string
  readonly account: Option.Option<string>
  readonly lifecycle: Option.Option<InstallationLifecycle>
  readonly handshake: Option.Option<WebhookHandshake>
}

/** The request as the envelope readers see it: headers, and a digest of the raw body. */
export interface EnvelopeSource {
  readonly headers: Headers
  /** Hex SHA-256 of the raw body: an id for deliveries the vendor sends without one. */
  readonly digest: string
}

export interface EnvelopeSpec<E> {
  /** The least of the body that routing and storage need; unknown keys are ignored. */
  readonly schema: Schema.Codec<E, unknown>
  /** The vendor's delivery id (from a header or the body); `undefined` refuses the delivery as malformed. */
  readonly deliveryId: (envelope: E, source: EnvelopeSource) => string | undefined
  /** The event type stored with the delivery and looked up in the event table. */
  readonly eventType: (envelope: E, source: EnvelopeSource) => string | undefined
  /** The vendor workspace the event belongs to; none for events that carry no account. */
  readonly account: (envelope: E) => string | null | undefined
  /** Install, revoke, suspend: applied before the acknowledgement. */
  readonly lifecycle?: ((envelope: E, eventType: string, source: EnvelopeSource) => InstallationLifecycle | undefined) | undefined
  /** A reply the vendor expects instead of a plain acknowledgement; the delivery is then not stored. */
  readonly handshake?: ((envelope: E, eventType: string, source: EnvelopeSource) => WebhookHandshake | undefined) | undefined
}

export interface WebhookDefinition {
  readonly _tag: "WebhookDefinition"
  /** Bytes accepted before the kernel answers 413 (default 1 MiB). */
  readonly maxBodyBytes?: number | undefined
  readonly signature: SignatureScheme
  /** `json` (the default), or JSON that may also arrive as a form's `payload` field (GitHub's form content type). */
  readonly body?: "json" | "jsonOrFormPayload" | undefined
  /** Reads the envelope from the parsed body; fails with a reason (answered 400: nothing to route by). */
  readonly readEnvelope: (body: unknown, source: EnvelopeSource) => Result.Result<EnvelopeRead, string>
  readonly events: EventTable
}

const nonBlank = (value: string | null | undefined): string | undefined => {
  const trimmed = value?.trim()
  return trimmed === undefined || trimmed.length === 0 ? undefined : trimmed
}

/** Declares a provider's webhooks: the kernel verifies, parses, routes, stores and decides with it. */
export const defineWebhook = <E>(definition: {
  readonly maxBodyBytes?: number | undefined
  readonly signature: SignatureScheme
  readonly body?: "json" | "jsonOrFormPayload" | undefined
  readonly envelope: EnvelopeSpec<E>
  readonly events: EventTable
}): WebhookDefinition => {
  const { envelope } = definition
  const decode = Schema.decodeUnknownResult(envelope.schema)
  return {
    _tag: "WebhookDefinition",
    maxBodyBytes: definition.maxBodyBytes,
    signature: definition.signature,
    body: definition.body,
    events: definition.events,
    readEnvelope: (body, source) =>
      Result.flatMap(Result.mapError(decode(body), (error) => error.message), (read) => {
        const deliveryId = nonBlank(envelope.deliveryId(read, source))
        if (deliveryId === undefined) return Result.fail("the delivery id is missing")
        const eventType = nonBlank(envelope.eventType(read, source))
        if (eventType === undefined) return Result.fail("the event type is missing")
        return Result.succeed({
          deliveryId,
          eventType,
          account: Option.fromNullishOr(nonBlank(envelope.account(read))),
          lifecycle: Option.fromNullishOr(envelope.lifecycle?.(read, eventType, source)),
          handshake: Option.fromNullishOr(envelope.handshake?.(read, eventType, source))
        })
      })
  }
}

/** A header's trimmed value; for envelope readers. */
export const header = (source: EnvelopeSource, name: string): string | undefined => nonBlank(source.headers.get(name))
