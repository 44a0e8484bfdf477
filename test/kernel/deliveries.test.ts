/**
 * The Deliveries service on its own layer: events and outbox entries written straight to the
 * SQL stores in memory, and a recording Dispatch double for replay.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { Deliveries } from "../../kernel/deliveries/Deliveries.ts"
import { Dispatch, POLL_EVERY_MS } from "../../kernel/dispatch/Dispatch.ts"
import { EventId, type TenantId } from "../../kernel/domain/Ids.ts"
import { Registry } from "../../kernel/registry/Registry.ts"
import { OutboxStore } from "../../kernel/store/OutboxStore.ts"
import { SessionBindingStore } from "../../kernel/store/SessionBindingStore.ts"
import { WebhookEventStore } from "../../kernel/store/WebhookEventStore.ts"
import { withInstallations } from "../store/cases/publications.ts"
import { binding, dispatch, outboxEntry, publication, T0, tenantA, tenantB, webhookEvent } from "../store/fixtures.ts"
import { storesInMemory } from "../support/storesInMemory.ts"

/** The replays the service asked of the outbox. */
const replays: Array<{ readonly tenantId: TenantId; readonly eventId: EventId }> = []
const DispatchDouble = Layer.effect(
  Dispatch,
  Effect.map(WebhookEventStore, (events) =>
    Dispatch.of({
      decide: () => Effect.void,
      deliver: () => Effect.void,
      drain: Effect.void,
      poll: Effect.succeed(POLL_EVERY_MS),
      replay: (tenantId, eventId) =>
        Effect.sync(() => replays.push({ tenantId, eventId })).pipe(
          Effect.andThen(events.get(tenantId, eventId)),
          Effect.map((found) => Option.isSome(found) ? "replayed" as const : "missing" as const)
        )
    }))
)

const TestLayer = Deliveries.layer.pipe(
  Layer.provide(DispatchDouble),
  Layer.provide(Layer.succeed(Registry, Registry.make([]))),
  Layer.provideMerge(storesInMemory)
)

const evt1 = EventId.make("evt_1")

/** tenantA: evt_1 (two dispatches) and evt_2 (none); tenantB: evt_b. */
const seeded = Effect.gen(function*() {
  const events = yield* WebhookEventStore
  const outbox = yield* OutboxStore
  yield* events.insertIfAbsent(webhookEvent(tenantA, "evt_1"))
  yield* events.insertIfAbsent(webhookEvent(tenantA, "evt_2", { deliveryId: "dlv_2", receivedAt: T0 + 1 }))
  yield* events.insertIfAbsent(webhookEvent(tenantB, "evt_b", { deliveryId: "dlv_b" }))
  yield* outbox.enqueue(outboxEntry(tenantA, "evt_1:pub_1"))
  yield* outbox.enqueue(outboxEntry(tenantA, "evt_1:pub_2", {
    dispatch: { ...dispatch(tenantA, "evt_1:pub_2", "evt_1"), agentId: "agent_2" },
    status: "dead",
    attempts: 5,
    lastError: "sink said 500"
  }))
})

describe("Deliveries", () => {
  it.effect("lists the tenant's deliveries with their dispatches, without bodies or headers", () =>
    Effect.gen(function*() {
      yield* seeded
      const listed = yield* (yield* Deliveries).list(tenantA, { limit: 50 })
      expect(listed.map((delivery) => delivery.event.id).sort()).toEqual(["evt_1", "evt_2"])
      for (const delivery of listed) {
        expect(delivery.event).not.toHaveProperty("body")
        expect(delivery.event).not.toHaveProperty("headers")
      }
      const first = listed.find((delivery) => delivery.event.id === evt1)
      expect(first?.dispatches.map((entry) => [entry.id, entry.agentId, entry.status, entry.attempts, entry.lastError]).sort()).toEqual([
        ["evt_1:pub_1", "agent_1", "pending", 0, null],
        ["evt_1:pub_2", "agent_2", "dead", 5, "sink said 500"]
      ])
      expect(first?.dispatches[0]).not.toHaveProperty("prompt")
      expect(listed.find((delivery) => delivery.event.id === "evt_2")?.dispatches).toEqual([])
      expect(yield* (yield* Deliveries).list(tenantA, { limit: 1 })).toHaveLength(1)
    }).pipe(Effect.provide(TestLayer)))

  it.effect("gets one delivery with its body and headers but no signature; another tenant's is not there", () =>
    Effect.gen(function*() {
      yield* seeded
      const deliveries = yield* Deliveries
      const found = yield* deliveries.get(tenantA, evt1)
      // The fixture was stored with a `linear-signature` header (as rows from before 0003 were).
      const { "linear-signature": signature, ...unsigned } = webhookEvent(tenantA, "evt_1").headers
      expect(signature).toBe("abc")
      expect(Option.map(found, (delivery) => delivery.event)).toEqual(
        Option.some({ ...webhookEvent(tenantA, "evt_1"), headers: unsigned })
      )
      expect(Option.map(found, (delivery) => delivery.dispatches.length)).toEqual(Option.some(2))
      expect(yield* deliveries.get(tenantB, evt1)).toEqual(Option.none())
      expect((yield* deliveries.list(tenantB, { limit: 50 })).map((delivery) => delivery.event.id)).toEqual(["evt_b"])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("replays through Dispatch, for the tenant asking", () =>
    Effect.gen(function*() {
      yield* seeded
      replays.length = 0
      const deliveries = yield* Deliveries
      expect(yield* deliveries.replay(tenantA, evt1)).toBe("replayed")
      expect(yield* deliveries.replay(tenantB, evt1)).toBe("missing")
      // Dispatch finds the event for the tenant that asks, or answers why not (the real one over
      // HTTP: test/reliability/fuzz-tenants.test.ts for another tenant's, retention.test.ts for an
      // emptied one).
      expect(replays).toEqual([{ tenantId: tenantA, eventId: evt1 }, { tenantId: tenantB, eventId: evt1 }])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("lists the tenant's session bindings", () =>
    Effect.gen(function*() {
      const publications = yield* withInstallations(tenantA, "ins_1")
      yield* publications.insert(publication(tenantA, "pub_1", "ins_1"))
      yield* (yield* SessionBindingStore).bind(binding(tenantA, "pub_1", "linear:issue:ENG-1", "ses_1"))
      const deliveries = yield* Deliveries
      expect((yield* deliveries.sessions(tenantA, { limit: 50 })).map((session) => session.sessionId)).toEqual(["ses_1"])
      expect(yield* deliveries.sessions(tenantB, { limit: 50 })).toEqual([])
    }).pipe(Effect.provide(TestLayer)))
})
