/**
 * Retention (`kernel/retention/Retention.ts`) on the SQL stores in memory and a moved clock:
 * past SWITCHBOARD_RETENTION_DAYS an event's body is emptied and its finished dispatches deleted,
 * for every tenant and the unrouted events; what is recent, undecided or pending stays; the rows
 * still dedupe; an emptied delivery says so and cannot be replayed; without the setting nothing
 * changes.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Logger, Option, Redacted, References } from "effect"
import { TestClock } from "effect/testing"
import { Deliveries } from "../../kernel/deliveries/Deliveries.ts"
import { Dispatch, POLL_EVERY_MS } from "../../kernel/dispatch/Dispatch.ts"
import { EventId, TenantId } from "../../kernel/domain/Ids.ts"
import { UNROUTED_TENANT } from "../../kernel/domain/WebhookEvent.ts"
import { KernelConfig } from "../../kernel/KernelConfig.ts"
import { Registry } from "../../kernel/registry/Registry.ts"
import { Retention } from "../../kernel/retention/Retention.ts"
import { OutboxStore } from "../../kernel/store/OutboxStore.ts"
import { TenantStore } from "../../kernel/store/TenantStore.ts"
import { WebhookEventStore } from "../../kernel/store/WebhookEventStore.ts"
import { outboxEntry, T0, tenantA, webhookEvent } from "../store/fixtures.ts"
import { storesInMemory } from "../support/storesInMemory.ts"

const DAY = 86_400_000
const unrouted = TenantId.make(UNROUTED_TENANT)

const config = (retentionDays: number | undefined) =>
  Layer.succeed(KernelConfig, KernelConfig.of({
    publicUrl: "http://switchboard.test",
    signingKey: Redacted.make("s".repeat(32)),
    vaultKeys: [],
    adminToken: Option.none(),
    returnUrlOrigins: [],
    maxBodyBytes: 1024 * 1024,
    retentionDays
  }))

const NoDispatch = Layer.succeed(Dispatch, Dispatch.of({
  decide: () => Effect.void,
  deliver: () => Effect.void,
  drain: Effect.void,
  poll: Effect.succeed(POLL_EVERY_MS),
  replay: () => Effect.succeed("replayed" as const)
}))

const world = (retentionDays: number | undefined) =>
  Layer.mergeAll(Retention.layer, Deliveries.layer.pipe(Layer.provide(NoDispatch), Layer.provide(Layer.succeed(Registry, Registry.make([]))))).pipe(
    Layer.provide(config(retentionDays)),
    Layer.provideMerge(storesInMemory)
  )

/** Tenant A with an old and a recent event (each dispatched, once delivered and once pending), an old undecided one; an old unrouted one. */
const seeded = Effect.gen(function*() {
  const tenants = yield* TenantStore
  const events = yield* WebhookEventStore
  const outbox = yield* OutboxStore
  yield* tenants.createTenant({ id: tenantA, name: "A", createdAt: T0 })
  yield* events.insertIfAbsent(webhookEvent(tenantA, "evt_old", { status: "dispatched" }), { contentDigest: "a".repeat(64) })
  yield* events.insertIfAbsent(webhookEvent(tenantA, "evt_stuck", { receivedAt: T0 + 1 }))
  yield* events.insertIfAbsent(webhookEvent(tenantA, "evt_new", { status: "dispatched", receivedAt: T0 + 40 * DAY }))
  yield* events.insertIfAbsent(webhookEvent(unrouted, "evt_unrouted", { status: "ignored", tenantId: unrouted }))
  yield* outbox.enqueue(outboxEntry(tenantA, "evt_old:pub_1", { status: "delivered" }))
  yield* outbox.enqueue(outboxEntry(tenantA, "evt_old:pub_2", { status: "pending" }))
  yield* outbox.enqueue(outboxEntry(tenantA, "evt_new:pub_1", { status: "delivered", createdAt: T0 + 40 * DAY }))
})

const bodyOf = (tenantId: TenantId, id: string) =>
  Effect.map(Effect.flatMap(WebhookEventStore, (events) => events.get(tenantId, EventId.make(id))), (event) => Option.map(event, (found) => found.body))

describe("Retention", () => {
  it.effect("past the setting's days: bodies emptied, finished dispatches deleted; the rest kept", () => {
    const lines: Array<unknown> = []
    return Effect.gen(function*() {
      yield* seeded
      yield* TestClock.setTime(T0 + 45 * DAY)
      expect(yield* (yield* Retention).pass).toEqual({ bodies: 2, dispatches: 1 })
      expect(yield* bodyOf(tenantA, "evt_old")).toEqual(Option.some(""))
      expect(yield* bodyOf(unrouted, "evt_unrouted")).toEqual(Option.some(""))
      expect((yield* bodyOf(tenantA, "evt_stuck")).pipe(Option.getOrElse(() => ""))).not.toBe("")
      expect((yield* bodyOf(tenantA, "evt_new")).pipe(Option.getOrElse(() => ""))).not.toBe("")
      const left = (yield* (yield* OutboxStore).list(tenantA, { limit: 10 })).map((entry) => entry.id).sort()
      expect(left).toEqual(["evt_new:pub_1", "evt_old:pub_2"])
      expect(lines).toEqual([{ message: ["retention: emptied old event bodies and deleted finished dispatches"], annotations: { bodies: 2, dispatches: 1, olderThanDays: 30 } }])
      // Again: nothing new, and no line.
      expect(yield* (yield* Retention).pass).toEqual({ bodies: 0, dispatches: 0 })
      expect(lines).toHaveLength(1)

      // The emptied row still dedupes: a redelivery of the old event is a duplicate.
      expect(yield* (yield* WebhookEventStore).insertIfAbsent(webhookEvent(tenantA, "evt_again", { deliveryId: "dlv_evt_old" }))).toBe(false)
      // Shown as emptied; the recent one is not. (Its replay is refused by Dispatch, which reads
      // the row anyway: test/reliability/retention.test.ts, over HTTP.)
      const deliveries = yield* Deliveries
      const old = yield* deliveries.get(tenantA, EventId.make("evt_old"))
      expect(Option.map(old, (delivery) => [delivery.pruned, delivery.event.body, delivery.event.headers])).toEqual(Option.some([true, "", {}]))
      expect(Option.map(yield* deliveries.get(tenantA, EventId.make("evt_new")), (delivery) => delivery.pruned)).toEqual(Option.some(false))
    }).pipe(
      Effect.provide(world(30)),
      Effect.provide(Logger.layer([Logger.make((options) => void lines.push({ message: options.message, annotations: { ...options.fiber.getRef(References.CurrentLogAnnotations) } }))]))
    )
  })

  it.effect("without the setting, nothing is pruned however old", () =>
    Effect.gen(function*() {
      yield* seeded
      yield* TestClock.setTime(T0 + 3_650 * DAY)
      expect(yield* (yield* Retention).pass).toEqual({ bodies: 0, dispatches: 0 })
      expect((yield* bodyOf(tenantA, "evt_old")).pipe(Option.getOrElse(() => ""))).not.toBe("")
      expect(yield* (yield* OutboxStore).list(tenantA, { limit: 10 })).toHaveLength(3)
    }).pipe(Effect.provide(world(undefined))))
})
