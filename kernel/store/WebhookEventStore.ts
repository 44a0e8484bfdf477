/**
 * Received webhook deliveries. Two unique keys make the dedupe, both per tenant and provider: the
 * vendor's delivery id (a vendor's retry or redelivery), and the digest of the signed content (a
 * captured body re-sent under a new delivery id: a replay). Digests are kept as long as their
 * event: see `insertIfAbsent`.
 */
import { Context, type Effect, type Option } from "effect"
import type { StoreError } from "../domain/Errors.ts"
import type { EventId, ProviderId, TenantId } from "../domain/Ids.ts"
import type { WebhookEvent, WebhookEventStatus } from "../domain/WebhookEvent.ts"

export interface WebhookEventQuery {
  readonly providerId?: ProviderId | undefined
  readonly status?: WebhookEventStatus | undefined
  readonly limit: number
  /** Events received strictly before this time (epoch ms), for paging back. */
  readonly before?: number | undefined
  /** Events received at or after this time (epoch ms). */
  readonly since?: number | undefined
  /** Keyset paging: events strictly after this one in the newest-first order (ties on time broken by id). */
  readonly after?: WebhookEventCursor | undefined
}

/** Where a page ended: the last event's receipt time and id. */
export interface WebhookEventCursor {
  readonly receivedAt: number
  readonly id: EventId
}

export interface InsertOptions {
  /**
   * Hex SHA-256 of the signed content (the raw body). Unique per (tenant, provider) for as long
   * as the event's row is kept, which is for good: GitHub signs no timestamp, so any shorter window
   * would let an older capture be replayed. Retention (`pruneBodies`) empties old bodies but keeps
   * the rows, with their digests.
   * Absent for events that were not received signed (tests, imports): they dedupe on the id alone.
   */
  readonly contentDigest?: string | undefined
}

export class WebhookEventStore extends Context.Service<WebhookEventStore, {
  /**
   * Inserts unless the (tenant, provider, delivery id) or the (tenant, provider, content digest)
   * exists; false means a duplicate. Atomic: of concurrent copies exactly one inserts.
   */
  readonly insertIfAbsent: (event: WebhookEvent, options?: InsertOptions) => Effect.Effect<boolean, StoreError>
  readonly get: (tenantId: TenantId, id: EventId) => Effect.Effect<Option.Option<WebhookEvent>, StoreError>
  readonly list: (tenantId: TenantId, query: WebhookEventQuery) => Effect.Effect<ReadonlyArray<WebhookEvent>, StoreError>
  readonly setStatus: (
    tenantId: TenantId,
    id: EventId,
    status: WebhookEventStatus,
    reason: string | null,
    at: number
  ) => Effect.Effect<boolean, StoreError>
  /**
   * Retention: empties the body and headers of up to `limit` of the tenant's events received
   * before `before` and decided (not `received`), oldest first; answers how many. The rows stay,
   * with their status and dedupe keys (a delivery id or body seen before is still a duplicate).
   * An emptied body is `""` (a stored delivery's never is). Resumes where the last call stopped.
   */
  readonly pruneBodies: (tenantId: TenantId, before: number, limit: number) => Effect.Effect<number, StoreError>
  /** Events still `received` (acknowledged but not yet decided) since before `olderThan`, any tenant. */
  readonly listUndecided: (olderThan: number, limit: number) => Effect.Effect<ReadonlyArray<WebhookEvent>, StoreError>
  /**
   * As `listUndecided`, oldest first, but each event returned is taken for `leaseMs` (its
   * `updatedAt` becomes `now`): sweeps running meanwhile, on other instances sharing the
   * database, skip it, so they divide the leftovers instead of each deciding all of them.
   */
  readonly claimUndecided: (
    olderThan: number,
    now: number,
    leaseMs: number,
    limit: number
  ) => Effect.Effect<ReadonlyArray<WebhookEvent>, StoreError>
  /**
   * When the first event still `received` that arrived at or after `since` arrived, any tenant;
   * none when there is no such event. The poller wakes as it becomes a leftover to decide.
   */
  readonly firstUndecidedSince: (since: number) => Effect.Effect<Option.Option<number>, StoreError>
}>()("switchboard/store/WebhookEventStore") {}
