/**
 * Refused webhook requests, newest first, a bounded number per provider: `record` inserts one
 * and drops that provider's oldest beyond `keep` in the same call, so the table never grows past
 * `keep` rows per provider whatever a caller sends. Reads are by provider (the operator's view)
 * or by tenant (a tenant's own refusals); `perMinute` counts them for the Overview.
 */
import { Context, type Effect } from "effect"
import type { RejectedWebhook } from "../domain/RejectedWebhook.ts"
import type { StoreError } from "../domain/Errors.ts"
import type { TenantId } from "../domain/Ids.ts"

export interface RejectedWebhookQuery {
  readonly providerId?: string | undefined
  readonly tenantId?: TenantId | undefined
  /** Only those received before this time (epoch ms): the next page. */
  readonly before?: number | undefined
  readonly limit: number
}

/** Refusals in one minute for one provider: `minute` is the minute's start, epoch ms. */
export interface MinuteCount {
  readonly minute: number
  readonly providerId: string
  readonly count: number
}

export class RejectedWebhookStore extends Context.Service<RejectedWebhookStore, {
  readonly record: (rejected: RejectedWebhook, keep: number) => Effect.Effect<void, StoreError>
  readonly list: (query: RejectedWebhookQuery) => Effect.Effect<ReadonlyArray<RejectedWebhook>, StoreError>
  /** Counts per minute and provider since `since`, for one tenant or (undefined) all of them. */
  readonly perMinute: (since: number, tenantId: TenantId | undefined) => Effect.Effect<ReadonlyArray<MinuteCount>, StoreError>
}>()("switchboard/store/RejectedWebhookStore") {}
