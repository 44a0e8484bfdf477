/**
 * The dispatch outbox. An entry is claimed with a lease (its next attempt time moves forward
 * in the same statement that reads it), so two pollers never deliver it at once.
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
  readonly nextAttemptAt: number
  readonly lastError: string | null
  readonly createdAt: number
  readonly updatedAt: number
}

export interface OutboxQuery {
  readonly status?: OutboxStatus | undefined
  readonly eventId?: EventId | undefined
  readonly limit: number
}

export class OutboxStore extends Context.Service<OutboxStore, {
  /** Inserts unless an entry with the same id exists; returns whether it inserted. */
  readonly enqueue: (entry: OutboxEntry) => Effect.Effect<boolean, StoreError>
  /**
   * Claims up to `limit` pending entries due at `now` (any tenant), pushing their next attempt
   * to `now + leaseMs` and counting the attempt, in one statement.
   */
  readonly claimDue: (now: number, leaseMs: number, limit: number) => Effect.Effect<ReadonlyArray<OutboxEntry>, StoreError>
  /** Claims one entry by id if it is pending (used right after enqueue, without waiting for the poller). */
  readonly claim: (
    tenantId: TenantId,
    id: string,
    now: number,
    leaseMs: number
  ) => Effect.Effect<Option.Option<OutboxEntry>, StoreError>
  readonly markDelivered: (tenantId: TenantId, id: string, at: number) => Effect.Effect<void, StoreError>
  /** Records a failed attempt: pending again at `nextAttemptAt`, or dead when that is null. */
  readonly markFailed: (
    tenantId: TenantId,
    id: string,
    error: string,
    nextAttemptAt: number | null,
    at: number
  ) => Effect.Effect<void, StoreError>
  /** Makes a delivered or dead entry pending again, due now (replay). */
  readonly requeue: (tenantId: TenantId, id: string, at: number) => Effect.Effect<boolean, StoreError>
  readonly get: (tenantId: TenantId, id: string) => Effect.Effect<Option.Option<OutboxEntry>, StoreError>
  readonly list: (tenantId: TenantId, query: OutboxQuery) => Effect.Effect<ReadonlyArray<OutboxEntry>, StoreError>
}>()("switchboard/store/OutboxStore") {}
