/**
 * Produces webhook deliveries the way Linear sends them: the JSON body with `webhookTimestamp`
 * (epoch ms) and `webhookId`, and the headers `Linear-Delivery`, `Linear-Event` and
 * `Linear-Signature` (hex HMAC-SHA256 of the exact body bytes, made by the kernel's Hmac module so
 * the signer and the verifier can never disagree on the algorithm).
 */
import { Effect, Redacted } from "effect"
import { signHmacSha256Hex } from "../../../kernel/crypto/Hmac.ts"

export interface SignLinearWebhookOptions {
  readonly secret: string
  /** The payload; `webhookTimestamp` and `webhookId` are added unless it has them. */
  readonly payload: Readonly<Record<string, unknown>>
  /** Epoch ms for `webhookTimestamp`; defaults to now. */
  readonly timestamp?: number | undefined
  readonly deliveryId?: string | undefined
  /** The `Linear-Event` header; defaults to the payload's `type`. */
  readonly event?: string | undefined
}

export interface SignedLinearWebhook {
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
  readonly deliveryId: string
}

export const signLinearWebhook = (options: SignLinearWebhookOptions): Effect.Effect<SignedLinearWebhook> =>
  Effect.gen(function*() {
    const deliveryId = options.deliveryId ?? crypto.randomUUID()
    const body = JSON.stringify({
      webhookTimestamp: options.timestamp ?? Date.now(),
      webhookId: crypto.randomUUID(),
      ...options.payload
    })
    const signature = yield* signHmacSha256Hex(Redacted.make(options.secret), body)
    const payloadType = options.payload["type"]
    const event = options.event ?? (typeof payloadType === "string" ? payloadType : "Unknown")
    return {
      body,
      deliveryId,
      headers: {
        "content-type": "application/json; charset=utf-8",
        "user-agent": "Linear-Webhook",
        "linear-delivery": deliveryId,
        "linear-event": event,
        "linear-signature": signature
      }
    }
  })

/** A ready-to-send `POST` of a signed delivery, for tests that go through a real HTTP endpoint. */
export const linearWebhookRequest = (url: string, options: SignLinearWebhookOptions): Promise<Request> =>
  Effect.runPromise(signLinearWebhook(options)).then((signed) =>
    new Request(url, { method: "POST", headers: signed.headers, body: signed.body })
  )
