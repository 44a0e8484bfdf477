/**
 * Conformance cases for retention's store methods: `WebhookEventStore.pruneBodies` empties old,
 * decided bodies of one tenant, oldest first and in batches, and keeps the rows and their dedupe
 * keys; `OutboxStore.pruneDone` deletes old finished entries of one tenant and keeps pending ones.
 */
import { Effect, Option } from "effect"
import { EventId } from "../../../kernel/domain/Ids.ts"
import { OutboxStore } from "../../../kernel/store/OutboxStore.ts"
import { WebhookEventStore } from "../../../kernel/store/WebhookEventStore.ts"
import { expectEqual, expectSome, outboxEntry, type StoreCase, T0, tenantA, tenantB, webhookEvent } from "../fixtures.ts"

const digest = (n: number) => n.toString(16).padStart(64, "0")
const HOUR = 3_600_000

export const retentionCases: ReadonlyArray<StoreCase> = [
  {
    name: "WebhookEventStore.pruneBodies: empties old decided bodies of one tenant, oldest first, and keeps the rows' dedupe",
    body: Effect.gen(function*() {
      const events = yield* WebhookEventStore
      // Tenant A: five decided events an hour apart, one still undecided among them; tenant B: one old event.
      for (let n = 0; n < 5; n++) {
        yield* events.insertIfAbsent(
          webhookEvent(tenantA, `evt_${n}`, { receivedAt: T0 + n * HOUR, status: n === 1 ? "received" : "dispatched" }),
          { contentDigest: digest(n) }
        )
      }
      yield* events.insertIfAbsent(webhookEvent(tenantB, "evt_b", { status: "ignored" }), { contentDigest: digest(9) })
      const bodyOf = (tenant: typeof tenantA, id: string) =>
        events.get(tenant, EventId.make(id)).pipe(Effect.flatMap((found) => expectSome(found, id)), Effect.map((event) => event.body))

      // Before T0 + 3h: evt_0 and evt_2 (evt_1 is undecided), in batches of one.
      yield* expectEqual(yield* events.pruneBodies(tenantA, T0 + 3 * HOUR, 1), 1, "a batch of one")
      yield* expectEqual(yield* bodyOf(tenantA, "evt_0"), "", "the oldest first")
      yield* expectEqual((yield* bodyOf(tenantA, "evt_2")) !== "", true, "the next waits for the next batch")
      yield* expectEqual(yield* events.pruneBodies(tenantA, T0 + 3 * HOUR, 1), 1, "the next batch")
      yield* expectEqual(yield* events.pruneBodies(tenantA, T0 + 3 * HOUR, 10), 0, "nothing more before the cutoff")
      const emptied = yield* expectSome(yield* events.get(tenantA, EventId.make("evt_2")), "evt_2")
      yield* expectEqual([emptied.body, emptied.headers, emptied.status], ["", {}, "dispatched"], "emptied, status kept")
      yield* expectEqual((yield* bodyOf(tenantA, "evt_1")) !== "", true, "undecided: kept")
      yield* expectEqual((yield* bodyOf(tenantA, "evt_3")) !== "", true, "after the cutoff: kept")
      yield* expectEqual((yield* bodyOf(tenantB, "evt_b")) !== "", true, "another tenant's: kept")

      // The rows still dedupe, on the delivery id and on the body's digest.
      yield* expectEqual(yield* events.insertIfAbsent(webhookEvent(tenantA, "evt_x", { deliveryId: "dlv_evt_0" })), false, "a redelivery")
      yield* expectEqual(
        yield* events.insertIfAbsent(webhookEvent(tenantA, "evt_y", { deliveryId: "dlv_new" }), { contentDigest: digest(2) }),
        false,
        "a replayed body"
      )

      // A later cutoff goes on from where the last stopped.
      yield* expectEqual(yield* events.pruneBodies(tenantA, T0 + 10 * HOUR, 10), 2, "evt_3 and evt_4")
      yield* expectEqual(yield* events.pruneBodies(tenantB, T0 + HOUR, 10), 1, "tenant B's")
      yield* expectEqual(Option.isSome(yield* events.get(tenantB, EventId.make("evt_b"))), true, "its row stays")
    })
  },
  {
    name: "OutboxStore.pruneDone: deletes old delivered and dead entries of one tenant, keeps pending ones",
    body: Effect.gen(function*() {
      const outbox = yield* OutboxStore
      yield* outbox.enqueue(outboxEntry(tenantA, "evt_1:pub_1", { status: "delivered" }))
      yield* outbox.enqueue(outboxEntry(tenantA, "evt_1:pub_2", { status: "dead", createdAt: T0 + 1 }))
      yield* outbox.enqueue(outboxEntry(tenantA, "evt_1:pub_3", { status: "pending", createdAt: T0 + 2 }))
      yield* outbox.enqueue(outboxEntry(tenantA, "evt_1:pub_4", { status: "delivered", createdAt: T0 + 2 * HOUR }))
      yield* outbox.enqueue(outboxEntry(tenantB, "evt_1:pub_1", { status: "delivered" }))
      yield* expectEqual(yield* outbox.pruneDone(tenantA, T0 + HOUR, 1), 1, "a batch of one")
      yield* expectEqual(yield* outbox.pruneDone(tenantA, T0 + HOUR, 10), 1, "the rest before the cutoff")
      const left = (yield* outbox.list(tenantA, { limit: 10 })).map((entry) => entry.id).sort()
      yield* expectEqual(left, ["evt_1:pub_3", "evt_1:pub_4"], "pending and recent kept")
      yield* expectEqual((yield* outbox.list(tenantB, { limit: 10 })).length, 1, "another tenant's kept")
    })
  }
]
