/** Conformance cases for `OutboxStore`: leases as fencing tokens, and the order of one session. */
import { Effect } from "effect"
import { PublicationId, SessionKey, type TenantId } from "../../../kernel/domain/Ids.ts"
import type { DispatchMode } from "../../../kernel/domain/SessionDispatch.ts"
import { leaseOf, type OutboxEntry, OutboxStore } from "../../../kernel/store/OutboxStore.ts"
import { expectEqual, expectNone, expectSome, ids, outboxEntry, type StoreCase, T0, tenantA, tenantB } from "../fixtures.ts"

const LEASE = 60_000

const inSession = (
  tenantId: TenantId,
  id: string,
  sessionKey: string,
  mode: DispatchMode,
  overrides: Partial<OutboxEntry> & { readonly publicationId?: string } = {}
): OutboxEntry => {
  const { publicationId, ...rest } = overrides
  const entry = outboxEntry(tenantId, id, rest)
  return {
    ...entry,
    dispatch: {
      ...entry.dispatch,
      sessionKey: SessionKey.make(sessionKey),
      mode,
      publicationId: PublicationId.make(publicationId ?? "pub_1")
    }
  }
}

const sorted = (entries: ReadonlyArray<OutboxEntry>) => entries.map((entry) => `${entry.tenantId}/${entry.id}`).sort()

export const outboxLeaseCases: ReadonlyArray<StoreCase> = [
  {
    name: "OutboxStore: only the lease holder renews it or records a failure",
    body: Effect.gen(function*() {
      const store = yield* OutboxStore
      yield* store.enqueue(inSession(tenantA, "d_1", "k_1", "create"))
      const first = leaseOf(yield* expectSome(yield* store.claim(tenantA, "d_1", T0, LEASE), "claim"))
      yield* expectEqual(first, { attempt: 1, until: T0 + LEASE }, "the claim's lease")
      const renewed = yield* expectSome(yield* store.renew(tenantA, "d_1", first, T0 + 2 * LEASE), "renew")
      yield* expectEqual(renewed, { attempt: 1, until: T0 + 2 * LEASE }, "renewed")
      yield* expectNone(yield* store.renew(tenantA, "d_1", first, T0 + 3 * LEASE), "renew with the superseded lease")
      yield* expectEqual(yield* store.claimDue(T0 + LEASE, LEASE, 10), [], "the renewed lease holds past the first end")
      yield* expectNone(yield* store.renew(tenantB, "d_1", renewed, T0 + 3 * LEASE), "renew(B, A's id)")
      // The holder stalls past its lease; another process claims the entry.
      const taken = yield* store.claimDue(T0 + 2 * LEASE, LEASE, 10)
      yield* expectEqual(taken.map(leaseOf), [{ attempt: 2, until: T0 + 3 * LEASE }], "claimed after the lease ended")
      yield* expectNone(yield* store.renew(tenantA, "d_1", renewed, T0 + 4 * LEASE), "the old holder cannot renew")
      yield* expectEqual(
        yield* store.markFailed(tenantA, "d_1", renewed, "Timeout: late", T0 + 5, T0 + 2 * LEASE + 1),
        false,
        "the old holder cannot record a failure"
      )
      const held = yield* expectSome(yield* store.get(tenantA, "d_1"), "get")
      yield* expectEqual([held.status, held.nextAttemptAt, held.lastError], ["pending", T0 + 3 * LEASE, null], "untouched")
      yield* expectEqual(
        yield* store.markFailed(tenantA, "d_1", leaseOf(taken[0]!), "Rejected: 500", T0 + 4 * LEASE, T0 + 2 * LEASE + 2),
        true,
        "the holder records its failure"
      )
      yield* expectNone(yield* store.renew(tenantA, "d_1", leaseOf(taken[0]!), T0 + 5 * LEASE), "no lease after a failure")
      const retried = yield* expectSome(yield* store.get(tenantA, "d_1"), "get")
      yield* expectEqual([retried.nextAttemptAt, retried.lastError], [T0 + 4 * LEASE, "Rejected: 500"], "retry scheduled")
    })
  },
  {
    name: "OutboxStore: a session's entries are claimed one at a time, its create first; other sessions are not held",
    body: Effect.gen(function*() {
      const store = yield* OutboxStore
      // The resume was enqueued before the create it resumes (two webhooks racing).
      yield* store.enqueue(inSession(tenantA, "r_1", "k_1", "resume"))
      yield* store.enqueue(inSession(tenantA, "c_1", "k_1", "create"))
      yield* store.enqueue(inSession(tenantA, "r_2", "k_1", "resume"))
      yield* store.enqueue(inSession(tenantA, "c_2", "k_2", "create"))
      yield* store.enqueue(inSession(tenantA, "c_3", "k_1", "create", { publicationId: "pub_2" }))
      yield* store.enqueue(inSession(tenantB, "c_1", "k_1", "create"))
      // A resume whose create is not in the outbox (yet): waits out the grace.
      yield* store.enqueue(inSession(tenantA, "r_9", "k_9", "resume"))
      const first = yield* store.claimDue(T0, LEASE, 10)
      yield* expectEqual(
        sorted(first),
        [`${tenantA}/c_1`, `${tenantA}/c_2`, `${tenantA}/c_3`, `${tenantB}/c_1`],
        "creates first; other keys, publications and tenants alongside"
      )
      yield* expectNone(yield* store.claim(tenantA, "r_1", T0, LEASE), "claim cannot jump a session's queue")
      // A failed create still holds its session back until it is delivered or dead.
      yield* store.markFailed(tenantA, "c_1", leaseOf(first.find((entry) => entry.id === "c_1")!), "Rejected: 500", T0 + 1, T0)
      yield* expectEqual(ids(yield* store.claimDue(T0 + 1, LEASE, 10)), ["c_1"], "the create is retried, alone")
      yield* store.markDelivered(tenantA, "c_1", T0 + 2)
      yield* expectEqual(ids(yield* store.claimDue(T0 + 2, LEASE, 10)), ["r_1"], "then the first resume")
      yield* expectEqual(ids(yield* store.claimDue(T0 + 2, LEASE, 10)), [], "the second waits for it")
      yield* store.markDelivered(tenantA, "r_1", T0 + 3)
      yield* expectEqual((yield* expectSome(yield* store.claim(tenantA, "r_2", T0 + 3, LEASE), "r_2")).id, "r_2", "then r_2")
      yield* expectEqual(ids(yield* store.claimDue(T0 + 4_999, LEASE, 10)), [], "within the grace")
      yield* expectEqual(ids(yield* store.claimDue(T0 + 5_000, LEASE, 10)), ["r_9"], "after the grace")
    })
  }
]
