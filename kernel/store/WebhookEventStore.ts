/** Received webhook deliveries. The unique key (tenant, provider, delivery id) is the dedupe. */
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
}

export class WebhookEventStore extends Context.Service<WebhookEventStore, {
  /** Inserts unless the (tenant, provider, delivery id) exists; false means a duplicate. */
  readonly insertIfAbsent: (event: WebhookEvent) => Effect.Effect<boolean, StoreError>
  readonly get: (tenantId: TenantId, id: EventId) => Effect.Effect<Option.Option<WebhookEvent>, StoreError>
  readonly list: (tenantId: TenantId, query: WebhookEventQuery) => Effect.Effect<ReadonlyArray<WebhookEvent>, StoreError>
  readonly setStatus: (
    tenantId: TenantId,
    id: EventId,
    status: WebhookEventStatus,
    reason: string | null,
    at: number
  ) => Effect.Effect<boolean, StoreError>
  /** Events still `received` (acknowledged but not yet decided) since before `olderThan`, any tenant. */
  readonly listUndecided: (olderThan: number, limit: number) => Effect.Effect<ReadonlyArray<WebhookEvent>, StoreError>
}>()("switchboard/store/WebhookEventStore") {}
