/**
 * Conformance cases for `WebhookEventStore.claimUndecided`, the recovery sweep of instances
 * sharing a database: each leftover event is taken by one sweep for a lease, oldest first, and
 * comes back once the lease has passed (its sweeper may have died).
 */
import { Effect, Option } from "effect"
import { EventId } from "../../../kernel/domain/Ids.ts"
import { WebhookEventStore } from "../../../kernel/store/WebhookEventStore.ts"
import { expectEqual, expectNone, expectSome, ids, type StoreCase, T0, tenantA, tenantB, webhookEvent } from "../fixtures.ts"

const LEASE = 5_000

export const undecidedClaimCases: ReadonlyArray<StoreCase> = [
  {
    name: "WebhookEventStore: claimUndecided takes leftovers oldest first, once per lease",
    body: Effect.gen(function*() {
      const store = yield* WebhookEventStore
      yield* store.insertIfAbsent(webhookEvent(tenantA, "evt_1", { receivedAt: T0 + 1, updatedAt: T0 + 1 }))
      yield* store.insertIfAbsent(webhookEvent(tenantB, "evt_2", { receivedAt: T0 + 2, updatedAt: T0 + 2 }))
      yield* store.insertIfAbsent(webhookEvent(tenantA, "evt_3", { receivedAt: T0 + 3, updatedAt: T0 + 3 }))
      yield* store.insertIfAbsent(webhookEvent(tenantA, "evt_4", { receivedAt: T0 + 100, updatedAt: T0 + 100 }))
      yield* store.setStatus(tenantA, EventId.make("evt_3"), "dispatched", null, T0 + 4)
      const now = T0 + 10_000
      yield* expectEqual(ids(yield* store.claimUndecided(T0 + 100, now, LEASE, 10)), ["evt_1", "evt_2"], "undecided, older than")
      const taken = yield* expectSome(yield* store.get(tenantA, EventId.make("evt_1")), "evt_1")
      yield* expectEqual([taken.status, taken.updatedAt], ["received", now], "the claim is its updatedAt")
      yield* expectEqual(ids(yield* store.claimUndecided(T0 + 100, now + 1, LEASE, 10)), [], "within the lease")
      yield* expectEqual(ids(yield* store.claimUndecided(T0 + 101, now + LEASE, LEASE, 1)), ["evt_1"], "after it, with a limit")
      yield* expectEqual(ids(yield* store.listUndecided(T0 + 101, 10)), ["evt_1", "evt_2", "evt_4"], "still undecided")
    })
  },
  {
    name: "WebhookEventStore: firstUndecidedSince is when the first event still received at or after a time arrived, any tenant",
    body: Effect.gen(function*() {
      const store = yield* WebhookEventStore
      yield* expectNone(yield* store.firstUndecidedSince(T0), "no events")
      yield* store.insertIfAbsent(webhookEvent(tenantA, "evt_1", { receivedAt: T0 + 1, updatedAt: T0 + 1 }))
      yield* store.insertIfAbsent(webhookEvent(tenantB, "evt_2", { receivedAt: T0 + 5, updatedAt: T0 + 5 }))
      yield* store.insertIfAbsent(webhookEvent(tenantA, "evt_3", { receivedAt: T0 + 9, updatedAt: T0 + 9 }))
      yield* expectEqual(yield* store.firstUndecidedSince(T0), Option.some(T0 + 1), "the oldest")
      yield* expectEqual(yield* store.firstUndecidedSince(T0 + 2), Option.some(T0 + 5), "another tenant's, at or after")
      yield* expectEqual(yield* store.firstUndecidedSince(T0 + 5), Option.some(T0 + 5), "at counts")
      yield* store.setStatus(tenantB, EventId.make("evt_2"), "dispatched", null, T0 + 6)
      yield* expectEqual(yield* store.firstUndecidedSince(T0 + 2), Option.some(T0 + 9), "a decided event no longer counts")
      yield* expectNone(yield* store.firstUndecidedSince(T0 + 10), "none since")
    })
  },
  {
    name: "WebhookEventStore: concurrent sweeps divide the leftovers, none taken twice",
    body: Effect.gen(function*() {
      const store = yield* WebhookEventStore
      for (let n = 0; n < 20; n++) {
        yield* store.insertIfAbsent(webhookEvent(tenantA, `evt_${n}`, { receivedAt: T0 + n, updatedAt: T0 + n }))
      }
      const sweeps = yield* Effect.all(
        Array.from({ length: 6 }, () => store.claimUndecided(T0 + 1_000, T0 + 10_000, LEASE, 5)),
        { concurrency: "unbounded" }
      )
      const taken = sweeps.flatMap(ids)
      yield* expectEqual(new Set(taken).size, taken.length, "no event in two sweeps")
      yield* expectEqual(taken.length, 20, "all taken")
    })
  }
]
