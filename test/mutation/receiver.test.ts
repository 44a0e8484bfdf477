/**
 * The webhook receiver's parts at the unit level: signature schemes (prefix, encodings, signed
 * template, rotation, timestamp window both ways), body parsing, envelope and lazy event
 * decoding, the headers kept with a stored delivery, and the capped body read.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import { signHmacSha256, signHmacSha256Hex } from "../../kernel/crypto/Hmac.ts"
import { WebhookRejected } from "../../kernel/domain/Errors.ts"
import { base64Encode, hexEncode, sha256Hex } from "../../kernel/encoding/Encoding.ts"
import { custom, hmacSha256, type HmacSha256Scheme, type TimestampWindow } from "../../kernel/provider/Signature.ts"
import type { RawWebhook } from "../../kernel/provider/Webhook.ts"
import { readBodyCapped } from "../../kernel/webhooks/ReadBody.ts"
import { parseBody, receiverOf } from "../../kernel/webhooks/Receiver.ts"
import { declaredSignatureHeaders, withoutCredentials } from "../../kernel/webhooks/StoredHeaders.ts"
import { checkBodyTimestamp, checkWindow, verifySignature } from "../../kernel/webhooks/VerifySignature.ts"
import { hooks, hooksWebhook, Sightings, signedRequest } from "./webhookWorld.ts"
import { NOW, tenantA } from "./world.ts"
import { InstallationId, ProviderId, PublicationId } from "../../kernel/domain/Ids.ts"
import type { Installation } from "../../kernel/domain/Installation.ts"
import type { Publication } from "../../kernel/domain/Publication.ts"

const encoder = new TextEncoder()
const raw = (body: string, headers: Record<string, string> = {}, receivedAt = NOW): RawWebhook => ({
  headers: new Headers(headers),
  body: encoder.encode(body),
  receivedAt
})
const rejection = <A>(effect: Effect.Effect<A, WebhookRejected>) =>
  Effect.map(Effect.flip(effect), (error) => ({ reason: error.reason, message: error.message }))

const window = (overrides: Partial<TimestampWindow> = {}): TimestampWindow => ({
  from: { header: "x-ts" },
  unit: "seconds",
  maxAgeMs: 300_000,
  ...overrides
})

describe("checkWindow", () => {
  it.effect("admits a delivery up to its age limit, both ways, in seconds or milliseconds", () =>
    Effect.gen(function*() {
      const seconds = NOW / 1000
      yield* checkWindow(window(), seconds - 300, NOW)
      yield* checkWindow(window(), seconds + 300, NOW)
      yield* checkWindow(window({ unit: "milliseconds" }), NOW - 300_000, NOW)
      expect(yield* rejection(checkWindow(window(), seconds - 301, NOW))).toEqual({
        reason: "StaleTimestamp",
        message: "x-ts is 301s old; the window is 300s"
      })
      expect(yield* rejection(checkWindow(window({ unit: "milliseconds", label: "Sent" }), NOW - 300_001, NOW))).toEqual({
        reason: "StaleTimestamp",
        message: "Sent is 300s old; the window is 300s"
      })
      expect(yield* rejection(checkWindow(window(), seconds + 301, NOW))).toEqual({
        reason: "StaleTimestamp",
        message: "x-ts is 301s in the future; the window is 300s"
      })
      // A tighter future bound of its own.
      yield* checkWindow(window({ maxFutureMs: 10_000 }), seconds + 10, NOW)
      expect((yield* rejection(checkWindow(window({ maxFutureMs: 10_000 }), seconds + 11, NOW))).message).toBe(
        "x-ts is 11s in the future; the window is 10s"
      )
      expect(yield* rejection(checkWindow(window({ from: { field: "sent_at" } }), Number.NaN, NOW))).toEqual({
        reason: "StaleTimestamp",
        message: "sent_at is not a number"
      })
      expect((yield* rejection(checkWindow(window(), Number.POSITIVE_INFINITY, NOW))).message).toBe("x-ts is not a number")
    }))
})

const secret = Redacted.make("shh")
const scheme = (overrides: Partial<HmacSha256Scheme> = {}) =>
  hmacSha256({ header: "X-Sig", secrets: () => [secret], notConfigured: "SIG_SECRET is not set", ...overrides })

describe("verifySignature", () => {
  it.effect("HMAC of the body, hex by default, the header trimmed, every secret tried", () =>
    Effect.gen(function*() {
      const mac = yield* signHmacSha256Hex(secret, "{}")
      yield* verifySignature(scheme(), raw("{}", { "x-sig": ` ${mac} ` }), Option.none())
      yield* verifySignature(scheme({ signs: "{body}" }), raw("{}", { "x-sig": mac }), Option.none())
      yield* verifySignature(scheme({ secrets: () => [Redacted.make("old"), secret] }), raw("{}", { "x-sig": mac }), Option.none())
      expect(yield* rejection(verifySignature(scheme(), raw("{} ", { "x-sig": mac }), Option.none()))).toEqual({
        reason: "BadSignature",
        message: "X-Sig does not match the body under any configured secret"
      })
    }))

  it.effect("a prefix, base64, a label, and a template with the timestamp before and after the body", () =>
    Effect.gen(function*() {
      const signed = yield* signHmacSha256(secret, "v0:1700000000:{}:1700000000")
      const window = { from: { header: "x-ts" }, unit: "seconds", maxAgeMs: 300_000 } as const
      const slack = scheme({ prefix: "v0=", encoding: "base64", signs: "v0:{timestamp}:{body}:{timestamp}", timestamp: window, label: "Sig" })
      const headers = { "x-sig": `v0=${base64Encode(signed)}`, "x-ts": "1700000000" }
      yield* verifySignature(slack, raw("{}", headers, 1700000000_000), Option.none())
      expect(yield* rejection(verifySignature(slack, raw("{}", { ...headers, "x-sig": base64Encode(signed) }, 1700000000_000), Option.none())))
        .toEqual({ reason: "BadSignature", message: "Sig is not v0=<signature>" })
      expect((yield* rejection(verifySignature(slack, raw("{}", { ...headers, "x-sig": `v0=${hexEncode(signed)}` }), Option.none()))).message)
        .toBe("Sig is not v0=<an HMAC-SHA256 in base64>")
      expect((yield* rejection(verifySignature(scheme(), raw("{}", { "x-sig": "abcd" }), Option.none()))).message).toBe(
        "X-Sig is not <an HMAC-SHA256 in hex>"
      )
      expect((yield* rejection(verifySignature(scheme(), raw("{}", { "x-sig": "zz".repeat(32) }), Option.none()))).message).toBe(
        "X-Sig is not <an HMAC-SHA256 in hex>"
      )
      // Signed correctly but too old: the window is checked after the signature.
      expect(yield* rejection(verifySignature(slack, raw("{}", headers, 1700000000_000 + 301_000), Option.none()))).toMatchObject({
        reason: "StaleTimestamp"
      })
      // Only digits (and a fraction) count as a time.
      const odd = yield* signHmacSha256(secret, "v0:1e3:{}:1e3")
      expect(yield* rejection(verifySignature(slack, raw("{}", { "x-sig": `v0=${base64Encode(odd)}`, "x-ts": "1e3" }), Option.none())))
        .toEqual({ reason: "StaleTimestamp", message: "x-ts is not a number" })
      const fraction = yield* signHmacSha256(secret, "v0:1700000000.25:{}:1700000000.25")
      yield* verifySignature(slack, raw("{}", { "x-sig": `v0=${base64Encode(fraction)}`, "x-ts": "1700000000.25" }, 1700000000_000), Option.none())
    }))

  it.effect("fails closed: no secret, no header, no timestamp header", () =>
    Effect.gen(function*() {
      const mac = yield* signHmacSha256Hex(secret, "{}")
      expect(yield* rejection(verifySignature(scheme({ secrets: () => [Redacted.make("")] }), raw("{}", { "x-sig": mac }), Option.none())))
        .toEqual({ reason: "NotConfigured", message: "SIG_SECRET is not set" })
      expect(yield* rejection(verifySignature(scheme(), raw("{}", { "x-sig": "  " }), Option.none()))).toEqual({
        reason: "BadSignature",
        message: "X-Sig header is missing"
      })
      expect(yield* rejection(verifySignature(scheme({ label: "Signature" }), raw("{}"), Option.none()))).toEqual({
        reason: "BadSignature",
        message: "Signature header is missing"
      })
      const timed = scheme({ timestamp: { from: { header: "x-ts" }, unit: "seconds", maxAgeMs: 1000, label: "Sent" } })
      expect(yield* rejection(verifySignature(timed, raw("{}", { "x-sig": mac, "x-ts": " " }), Option.none()))).toEqual({
        reason: "BadSignature",
        message: "Sent header is missing"
      })
      expect(yield* rejection(verifySignature(timed, raw("{}", { "x-sig": mac }), Option.none()))).toEqual({
        reason: "BadSignature",
        message: "Sent header is missing"
      })
      // A template may name {timestamp} without a timestamp window: it is then empty.
      const untimed = scheme({ signs: "{timestamp}.{body}" })
      yield* verifySignature(untimed, raw("{}", { "x-sig": yield* signHmacSha256Hex(secret, ".{}") }), Option.none())
      // A body timestamp is not looked for in the headers.
      const bodyTimed = scheme({ timestamp: { from: { field: "ts" }, unit: "seconds", maxAgeMs: 1000 } })
      yield* verifySignature(bodyTimed, raw("{}", { "x-sig": mac }), Option.none())
    }))

  it.effect("a custom scheme decides alone", () =>
    Effect.gen(function*() {
      const seen: Array<string> = []
      const scheme = custom((request) => Effect.sync(() => void seen.push(new TextDecoder().decode(request.body))))
      yield* verifySignature(scheme, raw("hello"), Option.none())
      expect(seen).toEqual(["hello"])
    }))
})

describe("checkBodyTimestamp", () => {
  it.effect("checks a timestamp field of the body, and only for a scheme that reads one", () =>
    Effect.gen(function*() {
      const bodyTimed = scheme({ timestamp: { from: { field: "sent" }, unit: "milliseconds", maxAgeMs: 1000 } })
      yield* checkBodyTimestamp(bodyTimed, { sent: NOW - 1000 }, NOW)
      expect(yield* rejection(checkBodyTimestamp(bodyTimed, { sent: NOW - 1001 }, NOW))).toMatchObject({ reason: "StaleTimestamp" })
      expect(yield* rejection(checkBodyTimestamp(bodyTimed, { sent: "now" }, NOW))).toEqual({
        reason: "Malformed",
        message: "the body has no numeric sent"
      })
      expect(yield* rejection(checkBodyTimestamp(bodyTimed, {}, NOW))).toMatchObject({ reason: "Malformed" })
      yield* checkBodyTimestamp(scheme(), {}, NOW)
      yield* checkBodyTimestamp(scheme({ timestamp: window() }), {}, NOW)
      yield* checkBodyTimestamp(custom(() => Effect.void), {}, NOW)
    }))
})

describe("parseBody", () => {
  it.effect("JSON as UTF-8, or a form's payload field where the provider allows it", () =>
    Effect.gen(function*() {
      const json = hooksWebhook(new Sightings())
      expect(yield* parseBody(json, raw('{"a":1}'))).toEqual({ text: '{"a":1}', value: { a: 1 } })
      expect(yield* rejection(parseBody(json, raw("{")))).toEqual({ reason: "Malformed", message: "The webhook body is not valid JSON" })
      expect(yield* rejection(parseBody(json, { ...raw(""), body: new Uint8Array([0xff, 0xfe]) }))).toEqual({
        reason: "Malformed",
        message: "The webhook body is not valid UTF-8"
      })
      const form = `payload=${encodeURIComponent('{"b":2}')}`
      const formHeaders = { "content-type": "application/x-www-form-urlencoded; charset=utf-8" }
      expect(yield* rejection(parseBody(json, raw(form, formHeaders)))).toMatchObject({ reason: "Malformed" })
      const either = { ...json, body: "jsonOrFormPayload" as const }
      expect(yield* parseBody(either, raw(form, formHeaders))).toEqual({ text: form, value: { b: 2 } })
      expect(yield* parseBody(either, raw('{"c":3}', { "content-type": "application/json" }))).toEqual({ text: '{"c":3}', value: { c: 3 } })
      expect(yield* parseBody(either, raw('{"d":4}'))).toEqual({ text: '{"d":4}', value: { d: 4 } })
      expect(yield* rejection(parseBody(either, raw("other=1", formHeaders)))).toMatchObject({ reason: "Malformed" })
    }))
})

const installation: Installation = {
  id: InstallationId.make("ins_1"),
  tenantId: tenantA,
  providerId: ProviderId.make("hooks"),
  externalAccountId: "acct-1",
  displayName: "Hooks",
  status: "active",
  grantedScopes: [],
  registrationId: null,
  metadata: {},
  createdAt: NOW,
  updatedAt: NOW
}
const publication: Publication = {
  id: PublicationId.make("pub_1"),
  tenantId: tenantA,
  installationId: installation.id,
  agentId: "agent-1",
  scopes: [],
  granularity: "workspace",
  filters: {},
  status: "active",
  createdAt: NOW,
  updatedAt: NOW
}

describe("the receiver", () => {
  const seconds = NOW / 1000
  const rawOf = (request: Request) =>
    Effect.promise(async () => ({ headers: request.headers, body: new Uint8Array(await request.arrayBuffer()), receivedAt: NOW }))

  it.effect("verifies before it parses, then reads only the envelope", () =>
    Effect.gen(function*() {
      const sightings = new Sightings()
      const receiver = receiverOf(hooks(sightings, { maxBodyBytes: 4096 }))
      expect(receiver.maxBodyBytes).toBe(4096)
      const body = JSON.stringify({ id: "d1", type: "thing", account: "acct-1", lifecycle: "suspended", thing: { id: "t1" } })
      const decoded = yield* receiver.receive(yield* rawOf(yield* signedRequest(body, seconds)), Option.none())
      expect(decoded).toMatchObject({
        deliveryId: "d1",
        bodyText: body,
        eventType: "thing",
        externalAccountId: Option.some("acct-1"),
        lifecycle: Option.some("suspended"),
        handshake: Option.none()
      })
      expect(decoded.contentDigest).toBe(yield* Effect.promise(() => sha256Hex(encoder.encode(body))))
      expect(sightings.prepared).toBe(0)
      // Not signed: refused before the (invalid) body is looked at.
      const forged = yield* rawOf(yield* signedRequest("{", seconds, { secret: "wrong" }))
      expect(yield* rejection(receiver.receive(forged, Option.none()))).toMatchObject({ reason: "BadSignature" })
      expect(yield* rejection(receiver.receive(yield* rawOf(yield* signedRequest('{"type":"thing"}', seconds)), Option.none())))
        .toEqual({ reason: "Malformed", message: "The Hooks webhook cannot be routed: the delivery id is missing" })
      // A reread skips the signature (stored deliveries keep none).
      expect((yield* receiver.reread(raw(body))).deliveryId).toBe("d1")
    }))

  it.effect("checks a body timestamp on receipt, never on a reread", () =>
    Effect.gen(function*() {
      const timed = {
        ...hooksWebhook(new Sightings()),
        signature: scheme({ timestamp: { from: { field: "sent" }, unit: "seconds", maxAgeMs: 60_000 } })
      }
      const receiver = receiverOf({ displayName: "Timed", webhook: timed })
      const body = JSON.stringify({ id: "d", type: "quiet", sent: seconds - 120 })
      const signed = raw(body, { "x-sig": yield* signHmacSha256Hex(secret, body) })
      expect(yield* rejection(receiver.receive(signed, Option.none()))).toMatchObject({ reason: "StaleTimestamp" })
      expect((yield* receiver.reread(signed)).deliveryId).toBe("d")
      const fresh = JSON.stringify({ id: "f", type: "quiet", sent: seconds })
      expect((yield* receiver.receive(raw(fresh, { "x-sig": yield* signHmacSha256Hex(secret, fresh) }), Option.none())).deliveryId).toBe("f")
    }))

  it.effect("is built once per declaration", () =>
    Effect.sync(() => {
      const provider = hooks(new Sightings())
      expect(receiverOf(provider)).toBe(receiverOf({ ...provider }))
      expect(receiverOf(hooks(new Sightings()))).not.toBe(receiverOf(provider))
    }))

  it.effect("decodes the event once, on first use, and decides per publication", () =>
    Effect.gen(function*() {
      const sightings = new Sightings()
      const receiver = receiverOf(hooks(sightings))
      const decide = (body: object) =>
        Effect.map(receiver.reread(raw(JSON.stringify(body))), (decoded) => decoded.decide(installation, publication))
      const decoded = yield* receiver.reread(raw(JSON.stringify({ id: "d", type: "thing", thing: { id: "t1" } })))
      expect(decoded.decide(installation, publication)).toMatchObject({ _tag: "Dispatch", intent: { prompt: "Thing t1 for agent-1, thing d -" } })
      expect(decoded.decide(installation, { ...publication, agentId: "agent-2" })).toMatchObject({ intent: { prompt: "Thing t1 for agent-2, thing d -" } })
      expect(sightings.prepared).toBe(1)
      // The handler sees the envelope it was routed by.
      expect(yield* decide({ id: "d9", type: "thing.created", account: "acct-9", thing: { id: "t9" } })).toMatchObject({
        intent: { prompt: "Thing t9 for agent-1, thing.created d9 acct-9" }
      })
      // `thing.created` falls back to the `thing` handler; `.thing` and unknown events are ignored with a reason.
      expect(yield* decide({ id: "d", type: "thing.created", thing: { id: "t2" } })).toMatchObject({ _tag: "Dispatch" })
      expect(yield* decide({ id: "d", type: "other.thing" })).toEqual({ _tag: "Ignore", reason: `Hooks event "other.thing" is not handled by this provider` })
      expect(yield* decide({ id: "d", type: ".thing" })).toMatchObject({ _tag: "Ignore" })
      // Without a dot there is no prefix to fall back to (`things` is not `thing`).
      expect(yield* decide({ id: "d", type: "things", thing: { id: "t4" } })).toMatchObject({ _tag: "Ignore" })
      expect(yield* decide({ id: "d", type: "thing", thing: { id: "t3", ignored: true } })).toEqual({ _tag: "Ignore", reason: "not for agents" })
      const shapeless = yield* decide({ id: "d", type: "thing", thing: { id: 1 } })
      expect(shapeless._tag === "Ignore" && shapeless.reason).toMatch(/^Hooks thing payload is not in the documented shape: ./)
    }))

  it.effect("acknowledges only events whose handler does, and only well-formed ones", () =>
    Effect.gen(function*() {
      const sightings = new Sightings()
      const receiver = receiverOf(hooks(sightings))
      const decoded = yield* receiver.reread(raw(JSON.stringify({ id: "d", type: "thing", thing: { id: "t1" } })))
      yield* decoded.acknowledge!(installation, Redacted.make("tok"))
      expect(sightings.acknowledged).toEqual(["t1:tok"])
      expect((yield* receiver.reread(raw(JSON.stringify({ id: "d", type: "quiet" })))).acknowledge).toBeUndefined()
      expect((yield* receiver.reread(raw(JSON.stringify({ id: "d", type: "unknown" })))).acknowledge).toBeUndefined()
      // A handler may say it acknowledges and still prepare an event with nothing to send.
      yield* (yield* receiver.reread(raw(JSON.stringify({ id: "d", type: "lazy" })))).acknowledge!(installation, Redacted.make("tok"))
      const broken = yield* receiver.reread(raw(JSON.stringify({ id: "d", type: "thing", thing: {} })))
      yield* broken.acknowledge!(installation, Redacted.make("tok"))
      expect(sightings.acknowledged).toEqual(["t1:tok"])
    }).pipe(Effect.provide(FetchHttpClient.layer)))

  it.effect("answers a handshake from the envelope", () =>
    Effect.gen(function*() {
      const decoded = yield* receiverOf(hooks(new Sightings())).reread(raw(JSON.stringify({ id: "d", type: "verify", challenge: "c-1" })))
      expect(decoded.handshake).toEqual(Option.some({ status: 200, contentType: "text/plain", body: "c-1" }))
    }))
})

describe("stored headers", () => {
  it("keep what a reread needs, never a signature or a credential", () => {
    expect(declaredSignatureHeaders(hooksWebhook(new Sightings()))).toEqual(["x-hooks-signature"])
    expect(declaredSignatureHeaders({ ...hooksWebhook(new Sightings()), signature: scheme({ header: "X-Custom-Mac" }) })).toEqual(["x-custom-mac"])
    expect(declaredSignatureHeaders({ ...hooksWebhook(new Sightings()), signature: custom(() => Effect.void) })).toEqual([])
    const headers = new Headers({
      "X-Hooks-Delivery": "d1",
      "X-Hooks-Timestamp": "1",
      "Content-Type": "application/json",
      "X-Custom-Mac": "declared",
      Authorization: "Bearer x",
      Cookie: "a=b",
      "X-Hub-Signature-256": "sha256=...",
      "Linear-Signature": "abc",
      "X-Slack-Signature": "v0=...",
      "Stripe-Signature": "t=1",
      "X-Api-Key": "k",
      "X-Vendor-Token": "t",
      "X-Some-Secret": "s",
      "X-Body-HMAC": "h"
    })
    const expected = { "x-hooks-delivery": "d1", "x-hooks-timestamp": "1", "content-type": "application/json" }
    expect(withoutCredentials(headers, ["x-custom-mac"])).toEqual(expected)
    const record = Object.fromEntries(headers.entries())
    expect(withoutCredentials({ ...record, "X-Upper": "kept" }, ["x-custom-mac"])).toEqual({ ...expected, "x-upper": "kept" })
    expect(withoutCredentials({ "x-custom-mac": "m" }, [])).toEqual({ "x-custom-mac": "m" })
    for (const name of ["proxy-authorization", "x-hub-signature", "x-gitlab-token", "x-shopify-hmac-sha256", "webhook-signature", "svix-signature", "x-twilio-signature", "x-signature-ed25519", "x-apikey", "x-api_key"]) {
      expect(withoutCredentials({ [name]: "v" }, []), name).toEqual({})
    }
  })
})

describe("readBodyCapped", () => {
  const streamed = (chunks: ReadonlyArray<string>, headers: Record<string, string> = {}) =>
    new Request("https://sb.test", {
      method: "POST",
      headers,
      body: new ReadableStream({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(encoder.encode(chunk))
          controller.close()
        }
      }),
      duplex: "half"
    } as RequestInit)

  it.effect("reads every chunk up to the limit, and refuses a byte more", () =>
    Effect.gen(function*() {
      expect(new TextDecoder().decode(yield* readBodyCapped(streamed(["ab", "cd", "e"]), 5))).toBe("abcde")
      expect(yield* rejection(readBodyCapped(streamed(["ab", "cd", "ef"]), 5))).toEqual({ reason: "TooLarge", message: "The body is larger than 5 bytes" })
      expect((yield* readBodyCapped(new Request("https://sb.test"), 5)).length).toBe(0)
      expect(new TextDecoder().decode(yield* readBodyCapped(new Request("https://sb.test", { method: "POST", body: "12345" }), 5))).toBe("12345")
    }))

  it.effect("refuses a declared length over the limit before reading anything, and ignores a nonsense one", () =>
    Effect.gen(function*() {
      let pulled = false
      const request = new Request("https://sb.test", {
        method: "POST",
        headers: { "content-length": "6" },
        body: new ReadableStream({ pull: () => void (pulled = true) }),
        duplex: "half"
      } as RequestInit)
      expect(yield* rejection(readBodyCapped(request, 5))).toMatchObject({ reason: "TooLarge" })
      expect(pulled).toBe(false)
      expect(new TextDecoder().decode(yield* readBodyCapped(streamed(["abc"], { "content-length": "lots" }), 5))).toBe("abc")
      expect(new TextDecoder().decode(yield* readBodyCapped(streamed(["abc"], { "content-length": "5" }), 5))).toBe("abc")
    }))

  it.effect("a stream that errors is a malformed body", () =>
    Effect.gen(function*() {
      const request = new Request("https://sb.test", {
        method: "POST",
        body: new ReadableStream({ pull: (controller) => controller.error(new Error("reset")) }),
        duplex: "half"
      } as RequestInit)
      expect(yield* rejection(readBodyCapped(request, 5))).toEqual({ reason: "Malformed", message: "The body could not be read" })
    }))
})
