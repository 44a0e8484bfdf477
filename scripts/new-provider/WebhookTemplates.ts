/** Templates: webhook verification and decoding, and the decide rules. */
import type { Names } from "./Names.ts"

export const webhooks = (n: Names) => `/**
 * ${n.name} webhook verification and decoding.
 *
 * \`verify\` runs on the raw bytes before anything parses them: \`X-${n.pascal}-Signature: sha256=<hex>\`
 * is the HMAC-SHA256 of the body under any configured secret (\`kernel/crypto/Hmac.ts\` compares in
 * constant time); then the signed \`sentAt\` must be within five minutes, so a captured body cannot
 * be replayed under a fresh delivery id. \`decode\` reads the delivery id (the dedupe key) from
 * \`X-${n.pascal}-Delivery\` and the event from the body; it also runs for replays, so it never
 * looks at the clock. Change the header names and the body's shape to your vendor's.
 */
import { Effect, Option, Schema } from "effect"
import { verifyHmacSha256Hex } from "../../kernel/crypto/Hmac.ts"
import { WebhookRejected } from "../../kernel/domain/Errors.ts"
import type { DecodedWebhook, RawWebhook, WebhookHandler } from "../../kernel/provider/Webhook.ts"
import type { ${n.pascal}Settings } from "./${n.pascal}Config.ts"
import * as ${n.pascal}Dispatch from "./${n.pascal}Dispatch.ts"

export const SIGNATURE_HEADER = "x-${n.id}-signature"
export const DELIVERY_HEADER = "x-${n.id}-delivery"
export const REPLAY_WINDOW_MS = 5 * 60_000

const rejected = (reason: WebhookRejected["reason"], message: string) => new WebhookRejected({ reason, message })

const utf8 = new TextDecoder("utf-8", { fatal: true })

const parse = <A>(body: Uint8Array, schema: Schema.Codec<A, unknown>, what: string): Effect.Effect<A, WebhookRejected> =>
  Effect.try({ try: () => utf8.decode(body), catch: () => rejected("Malformed", "${n.name} webhook body is not UTF-8") }).pipe(
    Effect.flatMap((text) => Schema.decodeUnknownEffect(Schema.fromJsonString(schema))(text)),
    Effect.mapError((error) => error._tag === "WebhookRejected" ? error : rejected("Malformed", "${n.name} webhook body " + what + ": " + error.message))
  )

const Sent = Schema.Struct({ sentAt: Schema.Finite })

const verify = (settings: ${n.pascal}Settings) => Effect.fnUntraced(function*(raw: RawWebhook) {
  if (settings.webhookSecrets.length === 0) return yield* rejected("NotConfigured", "${n.name} webhooks are not configured: set ${n.env}_WEBHOOK_SECRET")
  const hex = /^sha256=([0-9a-fA-F]{64})$/.exec(raw.headers.get(SIGNATURE_HEADER)?.trim() ?? "")?.[1]
  if (hex === undefined) return yield* rejected("BadSignature", "X-${n.pascal}-Signature is missing or not sha256=<hex>")
  if (!(yield* verifyHmacSha256Hex(settings.webhookSecrets, raw.body, hex))) {
    return yield* rejected("BadSignature", "X-${n.pascal}-Signature does not match the body under any configured secret")
  }
  const { sentAt } = yield* parse(raw.body, Sent, "has no numeric sentAt")
  if (Math.abs(raw.receivedAt - sentAt) > REPLAY_WINDOW_MS) return yield* rejected("StaleTimestamp", "${n.name} delivery is outside the five-minute window")
})

const decode = Effect.fnUntraced(function*(raw: RawWebhook) {
  const deliveryId = raw.headers.get(DELIVERY_HEADER)?.trim() ?? ""
  if (deliveryId.length === 0) return yield* rejected("Malformed", "X-${n.pascal}-Delivery header is missing")
  const event = yield* parse(raw.body, ${n.pascal}Dispatch.Event, "is not a ${n.name} event")
  const decoded: DecodedWebhook = {
    deliveryId,
    eventType: event.type,
    externalAccountId: Option.some(event.workspaceId),
    handshake: Option.none(),
    lifecycle: Option.none(),
    decide: (installation, publication) => ${n.pascal}Dispatch.decide(event, installation, publication)
  }
  return decoded
})

export const make = (settings: ${n.pascal}Settings): WebhookHandler => ({ verify: verify(settings), decode })
`

export const dispatch = (n: Names) => `/**
 * Maps a decoded ${n.name} event to a dispatch decision for one publication, or to an ignore
 * with its reason. Pure, so a stored event decides the same way after a restart or a replay.
 *
 * The example rule: an item assigned to the agent's account starts the item's session
 * (\`${n.id}:item:<id>\` at issue granularity, \`${n.id}:workspace:<id>\` at workspace granularity).
 * Add your vendor's events to \`Event\` and a rule per event here.
 */
import { Schema } from "effect"
import { SessionKey } from "../../kernel/domain/Ids.ts"
import type { Installation } from "../../kernel/domain/Installation.ts"
import type { Publication } from "../../kernel/domain/Publication.ts"
import { type DispatchDecision, dispatchTo, ignore } from "../../kernel/provider/Webhook.ts"

/** Every ${n.name} webhook body; unknown fields are tolerated, unknown types are ignored later. */
export const Event = Schema.Struct({
  type: Schema.String,
  workspaceId: Schema.String,
  sentAt: Schema.Finite,
  actor: Schema.Struct({ id: Schema.String, name: Schema.optional(Schema.String) }),
  item: Schema.Struct({ id: Schema.String, title: Schema.String, assigneeId: Schema.NullOr(Schema.String) })
})
export type Event = typeof Event.Type

export const decide = (event: Event, installation: Installation, publication: Publication): DispatchDecision => {
  const agent = installation.metadata["accountId"]
  if (agent === undefined) return ignore("the installation does not record the agent's account; reinstall it")
  if (event.type !== "item.assigned") return ignore("${n.name} event " + event.type + " is not handled by this provider")
  if (event.actor.id === agent) return ignore("item " + event.item.id + " was assigned by the agent itself")
  if (event.item.assigneeId !== agent) return ignore("item " + event.item.id + " is not assigned to the agent")
  const sessionKey = publication.granularity === "workspace"
    ? "${n.id}:workspace:" + event.workspaceId
    : publication.granularity === "issue" ? "${n.id}:item:" + event.item.id : undefined
  if (sessionKey === undefined) return ignore("${n.name} does not support " + publication.granularity + " granularity")
  return dispatchTo({
    sessionKey: SessionKey.make(sessionKey),
    prompt: (event.actor.name ?? "Someone") + " assigned you " + event.item.title,
    mode: "start",
    context: { itemId: event.item.id, itemTitle: event.item.title, workspaceId: event.workspaceId },
    actor: { id: event.actor.id, name: event.actor.name ?? null }
  })
}
`
