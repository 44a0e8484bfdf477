/**
 * Slack request verification and decoding, through the kernel's receiver of the provider's
 * declaration but without the pipeline: the v0 signature over
 * `v0:<timestamp>:<raw body>` (any secret of a rotation list; a tenant app's own secret instead
 * of the deployment's), the five minute window in both directions at its exact edges, and
 * decoding into delivery id, event type, account, handshake and lifecycle.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Option, Redacted } from "effect"
import { AppRegistrationId } from "../../../kernel/domain/AppRegistration.ts"
import { ProviderId, TenantId } from "../../../kernel/domain/Ids.ts"
import type { WebhookRejected } from "../../../kernel/domain/Errors.ts"
import type { AppContext } from "../../../kernel/provider/Registration.ts"
import type { RawWebhook } from "../../../kernel/provider/Webhook.ts"
import { receiverOf } from "../../../kernel/webhooks/Receiver.ts"
import type { SlackSettings } from "../../../providers/slack/SlackConfig.ts"
import * as SlackWebhook from "../../../providers/slack/webhook/SlackWebhook.ts"
import * as Payloads from "../../../sandbox/fakes/slack/payloads.ts"
import { signSlackRequest } from "../../../sandbox/fakes/slack/sign.ts"
import { installation, publication } from "./fixtures.ts"

const settings = (...secrets: Array<string>): SlackSettings => ({
  oauth: Option.none(),
  signingSecrets: secrets.map((secret) => Redacted.make(secret)),
  apiUrl: "https://slack.com/api",
  oauthUrl: "https://slack.com"
})

const NOW = 1_790_000_000_000

const receiver = (slack: SlackSettings) => receiverOf({ displayName: "Slack", webhook: SlackWebhook.make(slack) })

/** Verification as the kernel runs it at arrival (the envelope is read too, once the signature passed). */
const verify = (slack: SlackSettings, request: RawWebhook, app: Option.Option<AppContext> | undefined) =>
  Effect.asVoid(receiver(slack).receive(request, app ?? Option.none()))

/** Decoding as the kernel runs it for a stored event: no signature, no clock. */
const decode = (request: RawWebhook) => receiver(settings("unused")).reread(request)

const raw = (signed: { readonly body: string; readonly headers: Readonly<Record<string, string>> }, receivedAt = NOW): RawWebhook => ({
  headers: new Headers(signed.headers),
  body: new TextEncoder().encode(signed.body),
  receivedAt
})

const signed = (secret: string, payload: unknown = Payloads.urlVerification("abc"), timestamp = NOW / 1000) =>
  signSlackRequest({ signingSecret: secret, payload, timestamp })

const rejection = <A>(effect: Effect.Effect<A, WebhookRejected>) =>
  Effect.map(Effect.exit(effect), (exit) => {
    if (Exit.isSuccess(exit)) throw new Error("expected a rejection")
    const failure = exit.cause.reasons.find((reason) => reason._tag === "Fail")
    if (failure === undefined || failure._tag !== "Fail") throw new Error(`expected a typed failure, got ${exit.cause}`)
    return failure.error
  })

const tenantApp = (signingSecret: string): AppContext => ({
  registration: {
    id: AppRegistrationId.make("app_1"),
    tenantId: TenantId.make("ten_1"),
    providerId: ProviderId.make("slack"),
    status: "active",
    externalAppId: "1.2",
    displayName: "Own",
    metadata: { clientId: "1.2" },
    createdAt: 0,
    updatedAt: 0
  },
  secrets: { clientSecret: Redacted.make("c"), signingSecret: Redacted.make(signingSecret) }
})

describe("the Slack webhook declaration verifies", () => {
  it.effect("accepts Slack's signature under the secret, or any secret of a rotation list", () =>
    Effect.gen(function*() {
      yield* verify(settings("one"), raw(yield* signed("one")), undefined)
      yield* verify(settings("old", "new"), raw(yield* signed("new")), undefined)
    }))

  it.effect("uses a tenant app's own secret instead of the deployment's", () =>
    Effect.gen(function*() {
      const app = Option.some(tenantApp("tenant-secret"))
      yield* verify(settings("deployment"), raw(yield* signed("tenant-secret")), app)
      const error = yield* rejection(verify(settings("deployment"), raw(yield* signed("deployment")), app))
      expect(error.reason).toBe("BadSignature")
    }))

  it.effect("rejects a wrong secret, a tampered body, a missing header, a signature that is not v0", () =>
    Effect.gen(function*() {
      const good = yield* signed("one")
      expect((yield* rejection(verify(settings("one"), raw(yield* signed("two")), undefined))).reason).toBe("BadSignature")
      const tampered = { ...good, body: good.body.replace("abc", "abd") }
      expect((yield* rejection(verify(settings("one"), raw(tampered), undefined))).reason).toBe("BadSignature")
      const { ["x-slack-signature"]: _dropped, ...unsigned } = good.headers
      expect((yield* rejection(verify(settings("one"), raw({ ...good, headers: unsigned }), undefined))).reason).toBe("BadSignature")
      const v1 = { ...good, headers: { ...good.headers, "x-slack-signature": good.headers["x-slack-signature"]!.replace("v0=", "v1=") } }
      expect((yield* rejection(verify(settings("one"), raw(v1), undefined))).reason).toBe("BadSignature")
    }))

  it.effect("the timestamp is signed: moving it breaks the signature", () =>
    Effect.gen(function*() {
      const good = yield* signed("one")
      const moved = { ...good, headers: { ...good.headers, "x-slack-request-timestamp": String(NOW / 1000 + 1) } }
      expect((yield* rejection(verify(settings("one"), raw(moved), undefined))).reason).toBe("BadSignature")
    }))

  it.effect("accepts five minutes either way and rejects a second more, old or ahead", () =>
    Effect.gen(function*() {
      const seconds = NOW / 1000
      yield* verify(settings("one"), raw(yield* signed("one", Payloads.urlVerification("a"), seconds - 300)), undefined)
      yield* verify(settings("one"), raw(yield* signed("one", Payloads.urlVerification("a"), seconds + 300)), undefined)
      const old = yield* rejection(verify(settings("one"), raw(yield* signed("one", Payloads.urlVerification("a"), seconds - 301)), undefined))
      expect(old).toMatchObject({ reason: "StaleTimestamp", message: expect.stringContaining("301s old") })
      const ahead = yield* rejection(verify(settings("one"), raw(yield* signed("one", Payloads.urlVerification("a"), seconds + 301)), undefined))
      expect(ahead).toMatchObject({ reason: "StaleTimestamp", message: expect.stringContaining("in the future") })
    }))

  it.effect("is NotConfigured without a signing secret", () =>
    Effect.gen(function*() {
      expect((yield* rejection(verify(settings(), raw(yield* signed("one")), undefined))).reason).toBe("NotConfigured")
    }))
})

const body = (payload: unknown): RawWebhook => ({ headers: new Headers(), body: new TextEncoder().encode(JSON.stringify(payload)), receivedAt: NOW })

const envelope = (event: Record<string, string | ReadonlyArray<string> | Record<string, ReadonlyArray<string>>>, options: { readonly enterpriseId?: string } = {}) =>
  Payloads.eventCallback({ teamId: "T1", appId: "A1", botUserId: "UBOT", eventId: "Ev0001", event: { ...event }, ...options })

describe("the Slack webhook declaration decodes", () => {
  it.effect("url_verification becomes the handshake with the challenge", () =>
    Effect.gen(function*() {
      const decoded = yield* decode(body(Payloads.urlVerification("the-challenge")))
      expect(Option.getOrNull(decoded.handshake)).toEqual({ status: 200, contentType: "text/plain; charset=utf-8", body: "the-challenge" })
    }))

  it.effect("event_callback: event_id is the delivery id, the team the account, the event its type", () =>
    Effect.gen(function*() {
      const decoded = yield* decode(body(envelope({ type: "message", channel: "D1", ts: "1.1", user: "U1", text: "hi", channel_type: "im" })))
      expect(decoded).toMatchObject({ deliveryId: "Ev0001", eventType: "message.im", externalAccountId: Option.some("T1"), lifecycle: Option.none() })
      const edit = yield* decode(body(envelope({ type: "message", subtype: "message_deleted", channel: "C1", ts: "1.1", channel_type: "channel" })))
      expect(edit.eventType).toBe("message.channels:message_deleted")
    }))

  it.effect("an org-wide install is routed by its enterprise id", () =>
    Effect.gen(function*() {
      const decoded = yield* decode(body(envelope({ type: "app_mention", channel: "C1", ts: "1.1", user: "U1" }, { enterpriseId: "E1" })))
      expect(decoded.externalAccountId).toEqual(Option.some("E1"))
    }))

  it.effect("tokens_revoked of the bot and app_uninstalled revoke; user tokens alone do not", () =>
    Effect.gen(function*() {
      const bot = yield* decode(body(envelope({ type: "tokens_revoked", tokens: { oauth: [], bot: ["UBOT"] } })))
      expect(bot.lifecycle).toEqual(Option.some("revoked"))
      const users = yield* decode(body(envelope({ type: "tokens_revoked", tokens: { oauth: ["U1"], bot: [] } })))
      expect(users.lifecycle).toEqual(Option.none())
      const uninstalled = yield* decode(body(envelope({ type: "app_uninstalled" })))
      expect(uninstalled.lifecycle).toEqual(Option.some("revoked"))
    }))

  it.effect("unknown bodies decode with a stable id derived from the body; unknown fields are fine", () =>
    Effect.gen(function*() {
      const payload = { type: "some_future_type", team_id: "T1", whatever: { nested: true } }
      const first = yield* decode(body(payload))
      const second = yield* decode(body(payload))
      expect(first.deliveryId).toBe(second.deliveryId)
      expect(first).toMatchObject({ eventType: "some_future_type", externalAccountId: Option.some("T1") })
      const extra = yield* decode(body({ ...envelope({ type: "app_mention", channel: "C1", ts: "1.1", user: "U1" }), brand_new_field: [1, 2] }))
      expect(extra.eventType).toBe("app_mention")
    }))

  it.effect("rejects bodies with nothing to route by: not JSON, not UTF-8, no event type, no event_id", () =>
    Effect.gen(function*() {
      const notJson: RawWebhook = { headers: new Headers(), body: new TextEncoder().encode("token=x&challenge=y"), receivedAt: NOW }
      expect((yield* rejection(decode(notJson))).reason).toBe("Malformed")
      const notUtf8: RawWebhook = { headers: new Headers(), body: new Uint8Array([0xff, 0xfe, 0x7b]), receivedAt: NOW }
      expect((yield* rejection(decode(notUtf8))).reason).toBe("Malformed")
      const noId = { ...envelope({ type: "app_mention", channel: "C1", ts: "1.1" }), event_id: "" }
      expect((yield* rejection(decode(body(noId)))).reason).toBe("Malformed")
      for (const nothing of [[], {}, { type: "event_callback", event_id: "Ev1", team_id: "T1" }, { type: "url_verification" }]) {
        expect((yield* rejection(decode(body(nothing)))).reason).toBe("Malformed")
      }
    }))

  it.effect("a handled event without its channel is accepted, and decided as ignored with the reason", () =>
    Effect.gen(function*() {
      const decoded = yield* decode(body(envelope({ type: "app_mention", ts: "1.1" })))
      expect(decoded).toMatchObject({ deliveryId: "Ev0001", eventType: "app_mention" })
      expect(decoded.decide(installation, publication())).toMatchObject({
        _tag: "Ignore",
        reason: expect.stringContaining("app_mention payload is not in the documented shape")
      })
    }))
})
