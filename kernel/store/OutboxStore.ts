/**
 * The dispatch outbox. An entry is claimed with a lease: the statement that reads it also moves
 * its next attempt time past the lease and counts the attempt, so two pollers never deliver it
 * at once. The pair (attempt number, lease end) is the claim's fencing token: only its holder
 * can renew the lease or record a failure, and a claim taken after the lease ran out changes
 * both, so a process that lost its lease can no longer touch the entry.
 *
 * Claims keep the order of one session: within a tenant, publication and session key, an entry
 * is claimable only once every entry ahead of it has left `pending` (the session's create goes
 * first, then the others in the order they were enqueued). Other session keys are not held back.
 */
import { Context, type Effect, type Option } from "effect"
import type { StoreError } from "../domain/Errors.ts"
import type { EventId, TenantId } from "../domain/Ids.ts"
import type { SessionDispatch } from "../domain/SessionDispatch.ts"

export type OutboxStatus = "pending" | "delivered" | "dead"

export interface OutboxEntry {
  /** Equals `dispatch.id`: one entry per delivery and publication. */
  readonly id: string
  readonly tenantId: TenantId
  readonly eventId: EventId
  readonly dispatch: SessionDispatch
  readonly status: OutboxStatus
  readonly attempts: number
  /** When pending: when it is due; while claimed, when the claim's lease ends. */
  readonly nextAttemptAt: number
  readonly lastError: string | null
  readonly createdAt: number
  readonly updatedAt: number
}

/** Who holds a claimed entry: the attempt it counted and when its lease ends. */
export interface Lease {
  readonly attempt: number
  readonly until: number
}

/** The lease a claim returned along with the entry. */
export const leaseOf = (entry: OutboxEntry): Lease => ({ attempt: entry.attempts, until: entry.nextAttemptAt })

export interface OutboxQuery {
  readonly status?: OutboxStatus | undefined
  readonly eventId?: EventId | undefined
  readonly limit: number
}

/** How long a resume waits for its session's create by default (see `ClaimOptions`). */
export const DEFAULT_OPENER_GRACE_MS = 5_000

export interface ClaimOptions {
  /**
   * A resume waits this long for its session's create to be enqueued when none is there yet
   * (the create is bound first and written a moment later, possibly by another process).
   * Default `DEFAULT_OPENER_GRACE_MS`.
   */
  readonly openerGraceMs: number
}

/** The outbox across tenants, for `/health` and the depth gauges. */
export interface OutboxDepth {
  readonly pending: number
  readonly dead: number
  /** When the oldest pending entry was enqueued (epoch ms); null when none is pending. */
  readonly oldestPendingAt: number | null
}

export class OutboxStore extends Context.Service<OutboxStore, {
  /** Inserts unless an entry with the same id exists; returns whether it inserted. */
  readonly enqueue: (entry: OutboxEntry) => Effect.Effect<boolean, StoreError>
  /**
   * Claims up to `limit` pending entries due at `now` (any tenant) whose session has nothing
   * ahead of them, pushing their next attempt to `now + leaseMs` and counting the attempt, in
   * one statement.
   */
  readonly claimDue: (
    now: number,
    leaseMs: number,
    limit: number,
    options?: ClaimOptions
  ) => Effect.Effect<ReadonlyArray<OutboxEntry>, StoreError>
  /** Claims one entry by id if it is pending, due and first of its session (used right after enqueue). */
  readonly claim: (
    tenantId: TenantId,
    id: string,
    now: number,
    leaseMs: number,
    options?: ClaimOptions
  ) => Effect.Effect<Option.Option<OutboxEntry>, StoreError>
  /** Extends a lease its holder still has; returns the new lease, or none when it was lost. */
  readonly renew: (
    tenantId: TenantId,
    id: string,
    lease: Lease,
    until: number
  ) => Effect.Effect<Option.Option<Lease>, StoreError>
  /** Whoever delivered it, a delivered entry is done (the platform has it): no lease needed. */
  readonly markDelivered: (tenantId: TenantId, id: string, at: number) => Effect.Effect<void, StoreError>
  /**
   * Records a failed attempt by the lease holder: pending again at `nextAttemptAt`, or dead when
   * that is null. Returns false (and changes nothing) when the lease was lost to another claim.
   */
  readonly markFailed: (
    tenantId: TenantId,
    id: string,
    lease: Lease,
    error: string,
    nextAttemptAt: number | null,
    at: number
  ) => Effect.Effect<boolean, StoreError>
  /** Makes a delivered or dead entry pending again, due now (replay). */
  readonly requeue: (tenantId: TenantId, id: string, at: number) => Effect.Effect<boolean, StoreError>
  readonly get: (tenantId: TenantId, id: string) => Effect.Effect<Option.Option<OutboxEntry>, StoreError>
  readonly list: (tenantId: TenantId, query: OutboxQuery) => Effect.Effect<ReadonlyArray<OutboxEntry>, StoreError>
  /**
   * Retention: deletes up to `limit` of the tenant's entries created before `before` that are
   * done (delivered or dead), oldest first; answers how many. Pending entries stay.
   */
  readonly pruneDone: (tenantId: TenantId, before: number, limit: number) => Effect.Effect<number, StoreError>
  /**
   * When the next pending entry falls due after `now` (a lease or a backoff ends), any tenant;
   * none when no pending entry waits. The poller sleeps until then when that comes before its
   * next pass, so what a dead process held is retried as its lease ends.
   */
  readonly nextDueAfter: (now: number) => Effect.Effect<Option.Option<number>, StoreError>
  /** Pending and dead counts and the oldest pending entry's age, all tenants (two indexed counts). */
  readonly depth: Effect.Effect<OutboxDepth, StoreError>
}>()("switchboard/store/OutboxStore") {}
