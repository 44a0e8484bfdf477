/** Conformance cases for `OutboxStore`: leases (also under a race), retries, dead letters, isolation. */
import { Effect, Option } from "effect"
import { EventId, SessionKey, type TenantId } from "../../../kernel/domain/Ids.ts"
import { leaseOf, type OutboxEntry, OutboxStore } from "../../../kernel/store/OutboxStore.ts"
import {
  expectEqual,
  expectNone,
  expectSome,
  expectTrue,
  ids,
  outboxEntry as sharedOutboxEntry,
  type StoreCase,
  T0,
  tenantA,
  tenantB
} from "../fixtures.ts"
import { outboxLeaseCases } from "./outboxLeases.ts"

const LEASE = 60_000

/**
 * The shared fixture, each entry in a session of its own: the store hands out one entry of a
 * session at a time, which the cases below that are not about order must not depend on.
 */
const outboxEntry = (tenantId: TenantId, id: string, overrides: Partial<OutboxEntry> = {}): OutboxEntry => {
  const entry = sharedOutboxEntry(tenantId, id, overrides)
  return { ...entry, dispatch: { ...entry.dispatch, sessionKey: SessionKey.make(`linear:issue:${id}`) } }
}

const basicCases: ReadonlyArray<StoreCase> = [
  {
    name: "OutboxStore: enqueue once; get and list (JSON round-trip, filters, newest first)",
    body: Effect.gen(function*() {
      const store = yield* OutboxStore
      const first = outboxEntry(tenantA, "d_1")
      yield* expectEqual(yield* store.enqueue(first), true, "enqueue")
      yield* expectEqual(yield* store.enqueue({ ...first, attempts: 9 }), false, "enqueue the same id")
      yield* expectEqual(yield* expectSome(yield* store.get(tenantA, "d_1"), "get"), first, "get round-trips the dispatch")
      yield* expectNone(yield* store.get(tenantA, "d_missing"), "get(missing)")
      const second = outboxEntry(tenantA, "d_2", { eventId: EventId.make("evt_2"), createdAt: T0 + 1, status: "dead" })
      const third = outboxEntry(tenantA, "d_3", { createdAt: T0 + 2 })
      yield* store.enqueue(second)
      yield* store.enqueue(third)
      yield* expectEqual(yield* store.list(tenantA, { limit: 10 }), [third, second, first], "list")
      yield* expectEqual(ids(yield* store.list(tenantA, { limit: 1 })), ["d_3"], "limit")
      yield* expectEqual(ids(yield* store.list(tenantA, { limit: 10, status: "pending" })), ["d_3", "d_1"], "status")
      yield* expectEqual(ids(yield* store.list(tenantA, { limit: 10, eventId: EventId.make("evt_1") })), ["d_3", "d_1"], "event")
      yield* expectEqual(
        ids(yield* store.list(tenantA, { limit: 10, eventId: EventId.make("evt_2"), status: "dead" })),
        ["d_2"],
        "both filters"
      )
    })
  },
  {
    name: "OutboxStore: claimDue leases due entries of any tenant and counts the attempt",
    body: Effect.gen(function*() {
      const store = yield* OutboxStore
      yield* store.enqueue(outboxEntry(tenantA, "d_1", { nextAttemptAt: T0 }))
      yield* store.enqueue(outboxEntry(tenantB, "d_2", { nextAttemptAt: T0 + 10, createdAt: T0 + 1 }))
      yield* store.enqueue(outboxEntry(tenantA, "d_3", { nextAttemptAt: T0 + 1000, createdAt: T0 + 2 }))
      yield* store.enqueue(outboxEntry(tenantA, "d_4", { status: "delivered" }))
      const now = T0 + 10
      const claimed = yield* store.claimDue(now, LEASE, 10)
      yield* expectEqual(
        claimed.map((entry) => [entry.tenantId, entry.id, entry.attempts, entry.nextAttemptAt, entry.updatedAt]),
        [[tenantA, "d_1", 1, now + LEASE, now], [tenantB, "d_2", 1, now + LEASE, now]],
        "claimed"
      )
      yield* expectEqual(yield* store.claimDue(now, LEASE, 10), [], "leased entries are not claimed again")
      const later = now + LEASE
      yield* expectEqual(ids(yield* store.claimDue(later, LEASE, 1)), ["d_3"], "limit takes the earliest due first")
      const again = yield* store.claimDue(later, LEASE, 10)
      yield* expectEqual(again.map((entry) => [entry.id, entry.attempts]), [["d_1", 2], ["d_2", 2]], "expired lease")
    })
  },
  {
    name: "OutboxStore: nextDueAfter is when the next pending entry falls due (a lease, a backoff), any tenant",
    body: Effect.gen(function*() {
      const store = yield* OutboxStore
      yield* expectNone(yield* store.nextDueAfter(T0), "an empty outbox")
      yield* store.enqueue(outboxEntry(tenantA, "d_1", { nextAttemptAt: T0 }))
      yield* store.enqueue(outboxEntry(tenantA, "d_2", { status: "delivered", nextAttemptAt: T0 + 5 }))
      yield* store.enqueue(outboxEntry(tenantA, "d_3", { status: "dead", nextAttemptAt: T0 + 6 }))
      yield* expectNone(yield* store.nextDueAfter(T0), "only an entry due now, and finished ones")
      const [lease] = yield* store.claimDue(T0, LEASE, 10)
      yield* expectEqual(yield* store.nextDueAfter(T0), Option.some(T0 + LEASE), "the lease's end")
      yield* store.enqueue(outboxEntry(tenantB, "d_4", { nextAttemptAt: T0 + 2_000 }))
      yield* expectEqual(yield* store.nextDueAfter(T0 + 1), Option.some(T0 + 2_000), "another tenant's backoff, sooner")
      yield* expectEqual(yield* store.nextDueAfter(T0 + 2_000), Option.some(T0 + LEASE), "strictly after now")
      yield* store.markDelivered(tenantA, "d_1", T0 + 3)
      yield* expectNone(yield* store.nextDueAfter(T0 + 2_000), "a delivered entry's lease no longer counts")
      yield* expectEqual(lease?.id, "d_1", "claimed")
    })
  },
  {
    name: "OutboxStore: concurrent claimDue calls never return the same entry",
    body: Effect.gen(function*() {
      const store = yield* OutboxStore
      yield* Effect.forEach(Array.from({ length: 24 }, (_, n) => outboxEntry(n % 2 ? tenantA : tenantB, `d_${n}`)), store.enqueue)
      const batches = yield* Effect.all(Array.from({ length: 4 }, () => store.claimDue(T0, LEASE, 8)), {
        concurrency: "unbounded"
      })
      const claimed = batches.flatMap((batch) => batch.map((entry) => `${entry.tenantId}/${entry.id}`))
      yield* expectEqual(new Set(claimed).size, claimed.length, "no entry claimed twice")
      yield* expectEqual(claimed.length, 24, "every entry claimed once")
      const racing = yield* Effect.all(
        [store.claimDue(T0 + LEASE, LEASE, 100), store.claim(tenantA, "d_1", T0 + LEASE, LEASE)],
        { concurrency: "unbounded" }
      )
      const viaClaim = Option.isSome(racing[1]) ? 1 : 0
      yield* expectEqual(racing[0].length + viaClaim, 24, "claim and claimDue split the entries")
      yield* expectTrue(!(viaClaim === 1 && racing[0].some((entry) => entry.id === "d_1" && entry.tenantId === tenantA)), "d_1 once")
    })
  },
  {
    name: "OutboxStore: claim takes one pending, due entry under a lease",
    body: Effect.gen(function*() {
      const store = yield* OutboxStore
      yield* store.enqueue(outboxEntry(tenantA, "d_1"))
      yield* store.enqueue(outboxEntry(tenantA, "d_later", { nextAttemptAt: T0 + 1000 }))
      const claimed = yield* expectSome(yield* store.claim(tenantA, "d_1", T0 + 1, LEASE), "claim")
      yield* expectEqual([claimed.attempts, claimed.nextAttemptAt, claimed.status], [1, T0 + 1 + LEASE, "pending"], "leased")
      yield* expectNone(yield* store.claim(tenantA, "d_1", T0 + 2, LEASE), "claimed twice")
      yield* expectEqual(ids(yield* store.claimDue(T0 + 2, LEASE, 10)), [], "a poller skips it during the lease")
      yield* expectNone(yield* store.claim(tenantA, "d_later", T0 + 2, LEASE), "not due yet")
      yield* expectNone(yield* store.claim(tenantA, "d_missing", T0 + 2, LEASE), "missing")
      yield* store.markDelivered(tenantA, "d_1", T0 + 3)
      const delivered = yield* expectSome(yield* store.get(tenantA, "d_1"), "get")
      yield* expectEqual([delivered.status, delivered.updatedAt], ["delivered", T0 + 3], "delivered")
      yield* expectNone(yield* store.claim(tenantA, "d_1", T0 + 2 * LEASE, LEASE), "a delivered entry is not claimable")
    })
  },
  {
    name: "OutboxStore: markFailed retries or dead-letters; requeue replays",
    body: Effect.gen(function*() {
      const store = yield* OutboxStore
      yield* store.enqueue(outboxEntry(tenantA, "d_1"))
      const first = yield* expectSome(yield* store.claim(tenantA, "d_1", T0, LEASE), "claim")
      yield* store.markFailed(tenantA, "d_1", leaseOf(first), "Unreachable: connect ECONNREFUSED", T0 + 500, T0 + 1)
      const retry = yield* expectSome(yield* store.get(tenantA, "d_1"), "get")
      yield* expectEqual(
        [retry.status, retry.nextAttemptAt, retry.lastError, retry.attempts, retry.updatedAt],
        ["pending", T0 + 500, "Unreachable: connect ECONNREFUSED", 1, T0 + 1],
        "retry scheduled"
      )
      const second = yield* store.claimDue(T0 + 500, LEASE, 10)
      yield* expectEqual(ids(second), ["d_1"], "due again at the retry time")
      yield* store.markFailed(tenantA, "d_1", leaseOf(second[0]!), "Rejected: 400", null, T0 + 600)
      const dead = yield* expectSome(yield* store.get(tenantA, "d_1"), "get")
      yield* expectEqual([dead.status, dead.lastError, dead.attempts], ["dead", "Rejected: 400", 2], "dead letter")
      yield* expectEqual(yield* store.claimDue(T0 + 10 * LEASE, LEASE, 10), [], "dead entries are not claimed")
      yield* expectEqual(yield* store.requeue(tenantA, "d_1", T0 + 700), true, "requeue a dead entry")
      const replay = yield* expectSome(yield* store.get(tenantA, "d_1"), "get")
      yield* expectEqual(
        [replay.status, replay.nextAttemptAt, replay.attempts, replay.lastError, replay.updatedAt],
        ["pending", T0 + 700, 0, "Rejected: 400", T0 + 700],
        "pending again, due now, attempts restarted"
      )
      yield* expectEqual(yield* store.requeue(tenantA, "d_1", T0 + 701), false, "a pending entry is not requeued")
      yield* store.markDelivered(tenantA, "d_1", T0 + 800)
      yield* expectEqual(yield* store.requeue(tenantA, "d_1", T0 + 900), true, "requeue a delivered entry")
      yield* expectEqual(yield* store.requeue(tenantA, "d_missing", T0), false, "requeue(missing)")
    })
  },
  {
    name: "OutboxStore: tenant isolation of every scoped method",
    body: Effect.gen(function*() {
      const store = yield* OutboxStore
      const a = outboxEntry(tenantA, "d_a", { nextAttemptAt: T0 })
      yield* store.enqueue(a)
      yield* expectNone(yield* store.claim(tenantB, "d_a", T0, LEASE), "claim(B, A's id)")
      yield* store.markDelivered(tenantB, "d_a", T0 + 1)
      yield* store.markFailed(tenantB, "d_a", { attempt: 0, until: T0 }, "evil", null, T0 + 1)
      yield* expectEqual(yield* store.requeue(tenantB, "d_a", T0 + 1), false, "requeue(B, A's id)")
      yield* expectNone(yield* store.get(tenantB, "d_a"), "get(B, A's id)")
      yield* expectEqual(yield* store.list(tenantB, { limit: 10 }), [], "list(B)")
      yield* expectEqual(yield* expectSome(yield* store.get(tenantA, "d_a"), "A"), a, "A's entry is unchanged")
      // An id is per tenant: B enqueueing the same id gets its own entry.
      yield* expectEqual(yield* store.enqueue(outboxEntry(tenantB, "d_a")), true, "B's enqueue of the same id")
      yield* expectEqual(yield* expectSome(yield* store.get(tenantA, "d_a"), "A"), a, "A's entry after B's enqueue")
    })
  }
]

export const outboxCases: ReadonlyArray<StoreCase> = [...basicCases, ...outboxLeaseCases]
