/**
 * Refused webhook requests kept for operators (`Rejections`): provider (unknown paths under one
 * id), the tenant a tenant's own app URL names (only that provider's app), path, status, reason,
 * message (cut), headers (at most 50, values cut, signature and credential headers redacted,
 * including a provider's declared signature header), never the body; the newest 200 per
 * provider; at most 10 writes per provider per second, all counted; a storage error never fails
 * the request.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Logger, Metric, Option, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { StoreError } from "../../kernel/domain/Errors.ts"
import { ProviderId } from "../../kernel/domain/Ids.ts"
import { UNKNOWN_PROVIDER } from "../../kernel/domain/RejectedWebhook.ts"
import { UNROUTED_TENANT } from "../../kernel/domain/WebhookEvent.ts"
import { Registrations } from "../../kernel/install/Registrations.ts"
import * as Metrics from "../../kernel/observability/Metrics.ts"
import type { IntegrationProvider } from "../../kernel/provider/Provider.ts"
import { hmacSha256 } from "../../kernel/provider/Signature.ts"
import { RejectedWebhookStore } from "../../kernel/store/RejectedWebhookStore.ts"
import { type Rejection, Rejections } from "../../kernel/webhooks/Rejections.ts"
import { hooks, hooksWebhook, Sightings } from "./webhookWorld.ts"
import { installWorld, NOW, tenantA, tenantB, Vendor } from "./world.ts"

/** Hooks' twin whose signature header says nothing about being one: only its declaration redacts it. */
const macs: IntegrationProvider = {
  ...hooks(new Sightings()),
  id: ProviderId.make("macs"),
  webhook: {
    ...hooksWebhook(new Sightings()),
    signature: hmacSha256({ header: "X-Mac", signs: "{body}", secrets: () => [Redacted.make("k")], notConfigured: "unset" })
  }
}

const world = (vendor: Vendor, store?: Layer.Layer<RejectedWebhookStore>) => {
  const base = installWorld(vendor, {}, [hooks(new Sightings(), {}, vendor), macs])
  return Rejections.layer.pipe(
    Layer.provide(store === undefined ? base : Layer.merge(base, store)),
    Layer.provideMerge(base)
  )
}

const inWorld = <A, E, R>(body: (vendor: Vendor) => Effect.Effect<A, E, R>, store?: Layer.Layer<RejectedWebhookStore>) => {
  const vendor = new Vendor()
  return Effect.gen(function*() {
    yield* TestClock.setTime(NOW)
    return yield* body(vendor)
  }).pipe(Effect.provide(world(vendor, store)))
}

const rejection = (overrides: Partial<Rejection> & { readonly url?: string; readonly headers?: HeadersInit } = {}): Rejection => {
  const { url, headers, ...rest } = overrides
  return {
    providerId: "hooks",
    registrationId: Option.none(),
    request: new Request(url ?? "https://switchboard.test/webhook/hooks?secret=q", { method: "POST", body: "the body", headers: headers ?? {} }),
    status: 401,
    reason: "BadSignature",
    message: "The signature does not match",
    tenantId: undefined,
    ...rest
  }
}

const listed = (providerId: string) => Effect.flatMap(Effect.service(RejectedWebhookStore), (store) => store.list({ providerId, limit: 1000 }))

const rejectedCount = (provider: string, reason: string) =>
  Effect.map(Metric.value(Metric.withAttributes(Metrics.webhooksRejected, { provider, reason })), (state) => state.count)

describe("Rejections.record", () => {
  it.effect("keeps what the request said about itself, redacted and cut, never its body", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const rejections = yield* Rejections
        const headers = new Headers({
          "X-Hooks-Signature": "v1=abc",
          "Authorization": "Bearer x",
          "X-Mac": "deadbeef",
          "User-Agent": "u".repeat(600)
        })
        for (let i = 0; i < 60; i++) headers.set(`z-extra-${String(i).padStart(2, "0")}`, `v${i}`)
        yield* rejections.record(rejection({ headers, message: "m".repeat(600), status: 400, reason: "Malformed" }))
        yield* rejections.record(rejection({ providerId: "macs", url: "https://switchboard.test/webhook/macs", headers: { "X-Mac": "deadbeef" } }))
        const [kept] = yield* listed("hooks")
        expect(kept).toMatchObject({
          tenantId: UNROUTED_TENANT,
          providerId: "hooks",
          path: "/webhook/hooks",
          status: 400,
          reason: "Malformed",
          message: "m".repeat(500),
          receivedAt: NOW
        })
        expect(kept!.id).toMatch(/^rej_[\w-]{16}$/)
        expect(Object.keys(kept!.headers)).toHaveLength(50)
        // Names sort: the first 50 keep the five named ones and z-extra-00 to 44.
        expect(kept!.headers).toMatchObject({
          "x-hooks-signature": "[redacted]",
          "authorization": "[redacted]",
          "user-agent": "u".repeat(512),
          "x-mac": "deadbeef",
          "z-extra-44": "v44"
        })
        expect(kept!.headers["z-extra-45"]).toBeUndefined()
        expect(JSON.stringify(kept)).not.toContain("the body")
        // A declared signature header is redacted whatever its name.
        const [mac] = yield* listed("macs")
        expect(mac!.headers).toEqual({ "x-mac": "[redacted]", "content-type": "text/plain;charset=UTF-8" })
      })))

  it.effect("files a path no provider serves under one id, and a long path cut", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const rejections = yield* Rejections
        const long = `/webhook/nobody/${"p".repeat(400)}`
        yield* rejections.record(rejection({ providerId: "nobody", url: `https://switchboard.test${long}`, status: 404, reason: "UnknownProvider" }))
        const [kept] = yield* listed(UNKNOWN_PROVIDER)
        expect(kept).toMatchObject({ providerId: UNKNOWN_PROVIDER, path: long.slice(0, 300), status: 404 })
        expect(yield* listed("nobody")).toEqual([])
      })))

  it.effect("names the tenant the refusal concerns, or whose own app URL it came to (that provider's app only)", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const rejections = yield* Rejections
        const { registration } = yield* (yield* Registrations).create(tenantA, "hooks", "Ours")
        yield* rejections.record(rejection({ registrationId: Option.some(registration.id), reason: "ByApp" }))
        yield* rejections.record(rejection({ providerId: "macs", registrationId: Option.some(registration.id), reason: "OtherProvider" }))
        yield* rejections.record(rejection({ providerId: "nobody", registrationId: Option.some(registration.id), reason: "NoProvider" }))
        yield* rejections.record(rejection({ registrationId: Option.some("reg_missing"), reason: "NoApp" }))
        yield* rejections.record(rejection({ tenantId: tenantB, registrationId: Option.some(registration.id), reason: "RateLimited" }))
        const all = [...(yield* listed("hooks")), ...(yield* listed("macs")), ...(yield* listed(UNKNOWN_PROVIDER))]
        expect(Object.fromEntries(all.map((kept) => [kept.reason, kept.tenantId]))).toEqual({
          ByApp: tenantA,
          OtherProvider: UNROUTED_TENANT,
          NoProvider: UNROUTED_TENANT,
          NoApp: UNROUTED_TENANT,
          RateLimited: tenantB
        })
      })))

  it.effect("writes at most 10 per provider per second, counts every one, and keeps the newest 200", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const rejections = yield* Rejections
        const before = yield* rejectedCount("hooks", "Flood")
        for (let i = 0; i < 12; i++) yield* rejections.record(rejection({ reason: "Flood" }))
        // Another provider has its own budget in the same second.
        yield* rejections.record(rejection({ providerId: "macs", reason: "Flood" }))
        expect(yield* rejectedCount("hooks", "Flood")).toBe(before + 12)
        expect(yield* listed("hooks")).toHaveLength(10)
        expect(yield* listed("macs")).toHaveLength(1)
        yield* TestClock.adjust(999)
        yield* rejections.record(rejection({ reason: "Flood" }))
        expect(yield* listed("hooks")).toHaveLength(10)
        // A new second, a new budget.
        yield* TestClock.adjust(1)
        yield* rejections.record(rejection({ reason: "Flood" }))
        expect(yield* listed("hooks")).toHaveLength(11)
        for (let second = 0; second < 21; second++) {
          yield* TestClock.adjust(1000)
          for (let i = 0; i < 10; i++) yield* rejections.record(rejection({ reason: "Flood" }))
        }
        expect(yield* listed("hooks")).toHaveLength(200)
      })))

  it.effect("a storage error is logged and never fails the request", () => {
    const lines: Array<unknown> = []
    const failing = Layer.succeed(RejectedWebhookStore, RejectedWebhookStore.of({
      record: () => Effect.fail(new StoreError({ operation: "record", message: "disk full" })),
      list: () => Effect.succeed([]),
      perMinute: () => Effect.succeed([])
    }))
    return inWorld(() =>
      Effect.gen(function*() {
        yield* (yield* Rejections).record(rejection())
        expect(lines).toEqual([["could not record a rejected webhook", "disk full"]])
      }).pipe(Effect.provide(Logger.layer([Logger.make(({ message }) => void lines.push(message))]))), failing)
  })
})
