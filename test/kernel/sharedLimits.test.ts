/**
 * Limits shared through the database (`kernel/limits/SharedBuckets.ts`): two `Limits` over one
 * database stand for two instances behind a load balancer. Together they pass a tenant's
 * allowance once (not once each), a refused key is not asked about again until it could pass, a
 * client past its failed authentications is refused on the instance that saw it and on the next
 * that asks, and an unreachable database admits.
 */
import { it } from "@effect/vitest"
import { Clock, Effect, Logger, Option, Result } from "effect"
import { TestClock } from "effect/testing"
import { expect } from "vitest"
import { StoreError } from "../../kernel/domain/Errors.ts"
import { Limits } from "../../kernel/limits/Limits.ts"
import { LimitBucketStore } from "../../kernel/store/LimitBucketStore.ts"
import { bucketDatabase } from "./bucketDatabase.ts"

const admitted = <A, E>(effect: Effect.Effect<A, E>) => Effect.map(Effect.result(effect), Result.isSuccess)
const tenant = (tenantId: string) => [{ tenantId }]

/** The store, counting the takes that reach it. */
const counted = Effect.map(Effect.service(LimitBucketStore), (store) => {
  const calls = { takes: 0, prunes: [] as Array<number> }
  return {
    calls,
    store: LimitBucketStore.of({
      take: (...args) => (calls.takes++, store.take(...args)),
      prune: (before) => (calls.prunes.push(before), store.prune(before))
    })
  }
})

it.effect("two instances pass a tenant's allowance once between them, in leases of a second's worth", () =>
  Effect.gen(function*() {
    const { calls, store } = yield* counted
    const limits = { webhooksPerMinute: 600, toolCallsPerMinute: 0 }
    const instances = [yield* Limits.make(limits, store), yield* Limits.make(limits, store)]
    let passed = 0
    // Alternating, as a balancer spreads one tenant's deliveries, until both refuse.
    for (let index = 0; index < 2_000; index++) {
      if (yield* admitted(instances[index % 2]!.admitWebhook(tenant("t1"), Option.none()))) passed++
    }
    expect(passed).toBe(600)
    // A lease is 10 (600 a minute, a second's worth): 60 takes granted, and one refusal each.
    expect(calls.takes).toBe(62)
    // The other tenant and the other kind are untouched.
    expect(yield* admitted(instances[0]!.admitWebhook(tenant("t2"), Option.none()))).toBe(true)
    // A second later, 10 more between them: one lease, spent by whichever asks first.
    yield* TestClock.adjust("1 second")
    passed = 0
    for (let index = 0; index < 40; index++) {
      if (yield* admitted(instances[index % 2]!.admitWebhook(tenant("t1"), Option.none()))) passed++
    }
    expect(passed).toBe(10)
  }).pipe(Effect.provide(bucketDatabase)))

it.effect("a refused key is refused locally until its bucket would hold a token, with the wait", () =>
  Effect.gen(function*() {
    const { calls, store } = yield* counted
    const limits = yield* Limits.make({ webhooksPerMinute: 6, toolCallsPerMinute: 0 }, store)
    for (let index = 0; index < 6; index++) yield* limits.admitWebhook(tenant("t1"), Option.none())
    const takes = calls.takes
    const refusals = yield* Effect.forEach(Array.from({ length: 50 }), () => Effect.result(limits.admitWebhook(tenant("t1"), Option.none())))
    expect(refusals.map((refusal) => Result.isFailure(refusal) ? refusal.failure.retryAfterSeconds : "admitted")).toEqual(Array(50).fill(10))
    const first = refusals[0]!
    expect(Result.isFailure(first) ? first.failure.tenantId : undefined).toBe("t1")
    expect(calls.takes - takes, "one take for the first refusal, none for the others").toBe(1)
    yield* TestClock.adjust("10 seconds")
    expect(yield* admitted(limits.admitWebhook(tenant("t1"), Option.none()))).toBe(true)
  }).pipe(Effect.provide(bucketDatabase)))

it.effect("a delivery of two tenants passes when both have room and names the one without", () =>
  Effect.gen(function*() {
    const store = yield* Effect.service(LimitBucketStore)
    const limits = yield* Limits.make({ webhooksPerMinute: 3, toolCallsPerMinute: 0 }, store)
    for (let index = 0; index < 3; index++) yield* limits.admitWebhook(tenant("t2"), Option.none())
    const refused = yield* Effect.result(limits.admitWebhook([{ tenantId: "t1" }, { tenantId: "t2" }], Option.none()))
    expect(Result.isFailure(refused) ? refused.failure.tenantId : "admitted").toBe("t2")
    // t1 spent nothing on the refused delivery: its three are all there.
    for (let index = 0; index < 3; index++) expect(yield* admitted(limits.admitWebhook(tenant("t1"), Option.none()))).toBe(true)
    expect(yield* admitted(limits.admitWebhook(tenant("t1"), Option.none()))).toBe(false)
  }).pipe(Effect.provide(bucketDatabase)))

it.effect("a client past its failed authentications on one instance is refused by the next that asks", () =>
  Effect.gen(function*() {
    const store = yield* Effect.service(LimitBucketStore)
    const limits = { webhooksPerMinute: 0, toolCallsPerMinute: 0, authFailuresPerMinute: 4 }
    const [a, b] = [yield* Limits.make(limits, store), yield* Limits.make(limits, store)]
    const client = { client: Option.some("203.0.113.9"), tenantId: Option.none() }
    // Spread over both instances: four failures in all, not four each.
    const failures = yield* Effect.forEach([a, b, a, b, a, b], (limits) => admitted(limits.recordAuthFailure(client)))
    expect(failures).toEqual([true, true, true, true, false, false])
    expect(yield* admitted(a.admitAuthentication(client.client))).toBe(false)
    expect(yield* admitted(b.admitAuthentication(client.client))).toBe(false)
    expect(yield* admitted(a.admitAuthentication(Option.some("198.51.100.7"))), "another client").toBe(true)
  }).pipe(Effect.provide(bucketDatabase)))

it.effect("full buckets are pruned, at most once a minute per instance", () =>
  Effect.gen(function*() {
    const { calls, store } = yield* counted
    const limits = yield* Limits.make({ webhooksPerMinute: 60, toolCallsPerMinute: 0 }, store)
    const start = yield* Clock.currentTimeMillis
    for (let index = 0; index < 5; index++) {
      yield* limits.admitWebhook(tenant(`t${index}`), Option.none())
      yield* TestClock.adjust("10 seconds")
    }
    yield* TestClock.adjust("20 seconds")
    yield* limits.admitWebhook(tenant("t9"), Option.none())
    // Buckets untouched for two minutes (a minute refills any; the rest allows for clocks apart).
    expect(calls.prunes).toEqual([start - 120_000, start + 70_000 - 120_000])
  }).pipe(Effect.provide(bucketDatabase)))

it.effect("a database that cannot answer admits (the request meets the same database next), with a warning a minute", () => {
  const warnings: Array<string> = []
  const capture = Logger.make((options) => void warnings.push(`${options.logLevel}: ${JSON.stringify(options.message)}`))
  return Effect.gen(function*() {
    const down = LimitBucketStore.of({
      take: () => Effect.fail(new StoreError({ operation: "LimitBucketStore.take", message: "connection refused" })),
      prune: () => Effect.void
    })
    const limits = yield* Limits.make({ webhooksPerMinute: 1, toolCallsPerMinute: 1 }, down)
    for (let index = 0; index < 5; index++) {
      expect(yield* admitted(limits.admitWebhook(tenant("t1"), Option.none()))).toBe(true)
      expect(yield* admitted(limits.admitToolCall("t1"))).toBe(true)
    }
    expect(limits.inMemory).toBe(false)
    expect(warnings).toEqual(['Warn: ["limits: the shared buckets could not be read; admitting meanwhile","connection refused"]'])
    yield* TestClock.adjust("1 minute")
    yield* limits.admitToolCall("t1")
    expect(warnings).toHaveLength(2)
  }).pipe(Effect.provide(Logger.layer([capture])))
})
