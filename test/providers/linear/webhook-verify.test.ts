/**
 * Linear webhook verification, as the kernel runs the declaration: the signature is checked on
 * the raw bytes before any parsing, secrets can rotate, the replay window is 60 seconds both ways,
 * and a validly signed body with nothing to route by is Malformed; one that routes but does not
 * match its event's Schema is accepted and ignored with the reason.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Option, Redacted } from "effect"
import { signHmacSha256Hex } from "../../../kernel/crypto/Hmac.ts"
import type { WebhookRejected } from "../../../kernel/domain/Errors.ts"
import type { RawWebhook } from "../../../kernel/provider/Webhook.ts"
import { agentSessionCreated } from "../../../sandbox/fakes/linear/payloads.ts"
import { signLinearWebhook } from "../../../sandbox/fakes/linear/sign.ts"
import { ignored, installation, NOW, OLD_WEBHOOK_SECRET, publication, rawWebhook, receiver, WEBHOOK_SECRET } from "./fixtures.ts"

const handler = receiver()
const verify = (target: typeof handler, raw: RawWebhook) => target.receive(raw, Option.none())

const rejection = <A>(effect: Effect.Effect<A, WebhookRejected>) =>
  Effect.map(Effect.exit(effect), (exit) => {
    if (Exit.isSuccess(exit)) throw new Error("expected a rejection")
    const failure = exit.cause.reasons.find((reason) => reason._tag === "Fail")
    if (failure === undefined || failure._tag !== "Fail") throw new Error(`expected a typed failure, got ${exit.cause}`)
    return failure.error
  })

const signed = (options: { secret?: string; timestamp?: number } = {}) =>
  signLinearWebhook({
    secret: options.secret ?? WEBHOOK_SECRET,
    payload: agentSessionCreated(),
    timestamp: options.timestamp ?? NOW
  })

const withSignature = (delivery: { body: string; headers: Readonly<Record<string, string>> }, signature: string | null) => {
  const headers: Record<string, string> = { ...delivery.headers }
  if (signature === null) delete headers["linear-signature"]
  else headers["linear-signature"] = signature
  return { body: delivery.body, headers }
}

/** Signs an arbitrary body the way Linear would, for bodies that are not JSON objects. */
const signedBody = (body: string) =>
  Effect.map(signHmacSha256Hex(Redacted.make(WEBHOOK_SECRET), body), (signature) => ({
    body,
    headers: { "linear-signature": signature, "linear-delivery": "delivery-1", "linear-event": "AgentSessionEvent" }
  }))

describe("Linear webhook verification (receive)", () => {
  it.effect("accepts a correctly signed delivery inside the window", () =>
    Effect.gen(function*() {
      const delivery = yield* signed()
      yield* verify(handler, rawWebhook(delivery))
    }))

  it.effect("rejects a signature made with another secret", () =>
    Effect.gen(function*() {
      const delivery = yield* signed({ secret: "not-the-secret" })
      const error = yield* rejection(verify(handler, rawWebhook(delivery)))
      expect(error.reason).toBe("BadSignature")
    }))

  it.effect("rejects a missing signature", () =>
    Effect.gen(function*() {
      const delivery = yield* signed()
      const error = yield* rejection(verify(handler, rawWebhook(withSignature(delivery, null))))
      expect(error.reason).toBe("BadSignature")
      expect(error.message).toContain("missing")
    }))

  it.effect("rejects a truncated, an empty and a non-hex signature", () =>
    Effect.gen(function*() {
      const delivery = yield* signed()
      const good = delivery.headers["linear-signature"] ?? ""
      for (const signature of [good.slice(0, 62), good.slice(0, 32), "", "zz".repeat(32), `${good}00`]) {
        const error = yield* rejection(verify(handler, rawWebhook(withSignature(delivery, signature))))
        expect(error.reason).toBe("BadSignature")
      }
    }))

  it.effect("rejects a body changed after signing", () =>
    Effect.gen(function*() {
      const delivery = yield* signed()
      const tampered = { ...delivery, body: delivery.body.replace("Fix the flaky", "Delete the flaky") }
      const error = yield* rejection(verify(handler, rawWebhook(tampered)))
      expect(error.reason).toBe("BadSignature")
    }))

  it.effect("accepts the previous secret while a rotation lists both", () =>
    Effect.gen(function*() {
      const rotating = receiver({ webhookSecrets: [Redacted.make(WEBHOOK_SECRET), Redacted.make(OLD_WEBHOOK_SECRET)] })
      yield* verify(rotating, rawWebhook(yield* signed({ secret: OLD_WEBHOOK_SECRET })))
      yield* verify(rotating, rawWebhook(yield* signed({ secret: WEBHOOK_SECRET })))
      const error = yield* rejection(verify(handler, rawWebhook(yield* signed({ secret: OLD_WEBHOOK_SECRET }))))
      expect(error.reason).toBe("BadSignature")
    }))

  it.effect("enforces the 60 second window in both directions", () =>
    Effect.gen(function*() {
      yield* verify(handler, rawWebhook(yield* signed({ timestamp: NOW - 59_000 })))
      yield* verify(handler, rawWebhook(yield* signed({ timestamp: NOW + 59_000 })))
      const stale = yield* rejection(verify(handler, rawWebhook(yield* signed({ timestamp: NOW - 61_000 }))))
      expect(stale.reason).toBe("StaleTimestamp")
      expect(stale.message).toContain("old")
      const future = yield* rejection(verify(handler, rawWebhook(yield* signed({ timestamp: NOW + 61_000 }))))
      expect(future.reason).toBe("StaleTimestamp")
      expect(future.message).toContain("future")
    }))

  it.effect("checks the signature before the timestamp: a stale forgery is a bad signature", () =>
    Effect.gen(function*() {
      const error = yield* rejection(verify(handler, rawWebhook(yield* signed({ secret: "forger", timestamp: 0 }))))
      expect(error.reason).toBe("BadSignature")
    }))

  it.effect("a validly signed body that is not JSON, or has no webhookTimestamp, is Malformed", () =>
    Effect.gen(function*() {
      for (const body of ["{not json", "[]", "{\"type\":\"AgentSessionEvent\"}", "{\"webhookTimestamp\":\"soon\"}"]) {
        const error = yield* rejection(verify(handler, rawWebhook(yield* signedBody(body))))
        expect(error.reason).toBe("Malformed")
      }
    }))

  it.effect("fails closed with NotConfigured when no webhook secret is set", () =>
    Effect.gen(function*() {
      const unconfigured = receiver({ webhookSecrets: [] })
      const error = yield* rejection(verify(unconfigured, rawWebhook(yield* signed())))
      expect(error.reason).toBe("NotConfigured")
      expect(error.message).toContain("LINEAR_WEBHOOK_SECRET")
    }))
})

describe("the Linear webhook envelope (reread: without verification)", () => {
  it.effect("reads the delivery id, event type and organization", () =>
    Effect.gen(function*() {
      const delivery = yield* signLinearWebhook({
        secret: WEBHOOK_SECRET,
        payload: agentSessionCreated(),
        deliveryId: "d2d1c8e4-delivery"
      })
      const decoded = yield* handler.reread(rawWebhook(delivery))
      expect(decoded.deliveryId).toBe("d2d1c8e4-delivery")
      expect(decoded.eventType).toBe("AgentSessionEvent.created")
      expect(decoded.externalAccountId).toEqual(expect.objectContaining({ value: "org-fake-0000-0000-000000000001" }))
    }))

  it.effect("does not look at the clock, so stored events decide again days later", () =>
    Effect.gen(function*() {
      const delivery = yield* signed({ timestamp: NOW - 3 * 24 * 3600 * 1000 })
      const decoded = yield* handler.reread(rawWebhook(delivery))
      expect(decoded.eventType).toBe("AgentSessionEvent.created")
    }))

  it.effect("a missing Linear-Delivery header is Malformed", () =>
    Effect.gen(function*() {
      const delivery = yield* signed()
      const headers: Record<string, string> = { ...delivery.headers }
      delete headers["linear-delivery"]
      const error = yield* rejection(handler.reread(rawWebhook({ body: delivery.body, headers })))
      expect(error.reason).toBe("Malformed")
    }))

  it.effect("a handled event type with missing parts is accepted, and ignored with the reason", () =>
    Effect.gen(function*() {
      const delivery = yield* signLinearWebhook({
        secret: WEBHOOK_SECRET,
        payload: { type: "AgentSessionEvent", action: "created", organizationId: "org-1" },
        timestamp: NOW
      })
      const decoded = yield* verify(handler, rawWebhook(delivery))
      expect(decoded.eventType).toBe("AgentSessionEvent.created")
      const reason = ignored(decoded.decide(installation(), publication()))
      expect(reason).toContain("AgentSessionEvent.created payload is not in the documented shape")
    }))

  it.effect("a signed body with no event type is Malformed: there is nothing to route by", () =>
    Effect.gen(function*() {
      for (const payload of [{ organizationId: "org-1" }, { type: "", action: "created" }, { type: 5 }]) {
        const delivery = yield* signLinearWebhook({ secret: WEBHOOK_SECRET, payload, timestamp: NOW })
        const error = yield* rejection(verify(handler, rawWebhook(delivery)))
        expect(error.reason).toBe("Malformed")
      }
    }))
})
