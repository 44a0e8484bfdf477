/**
 * A tenant's recent activity per minute and provider, aggregated by the database from the rows
 * it keeps anyway (`webhook_events`, `outbox`), for the Console's Overview. Each read is one
 * grouped statement over the tenant's index on receipt or creation time, bounded by `since`.
 */
import { Context, type Effect } from "effect"
import type { StoreError } from "../domain/Errors.ts"
import type { TenantId } from "../domain/Ids.ts"

/** `minute`: the minute's start, epoch ms. */
export interface DeliveryMinute {
  readonly minute: number
  readonly providerId: string
  readonly count: number
}

/** Dispatches that ended in a minute (delivered or dead), and how long the delivered ones took on average. */
export interface DispatchMinute {
  readonly minute: number
  readonly providerId: string
  readonly delivered: number
  readonly dead: number
  /** Mean milliseconds from enqueue to delivery; null when none was delivered that minute. */
  readonly meanLatencyMs: number | null
}

export class ActivityStore extends Context.Service<ActivityStore, {
  readonly deliveriesPerMinute: (tenantId: TenantId, since: number) => Effect.Effect<ReadonlyArray<DeliveryMinute>, StoreError>
  readonly dispatchesPerMinute: (tenantId: TenantId, since: number) => Effect.Effect<ReadonlyArray<DispatchMinute>, StoreError>
}>()("switchboard/store/ActivityStore") {}
