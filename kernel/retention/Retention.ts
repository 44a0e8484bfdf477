/**
 * Retention: with SWITCHBOARD_RETENTION_DAYS set, what is older than that many days stops taking
 * space. An event's body and headers are emptied (the bulk of a row: an 8 KB body against a few
 * hundred bytes of the rest) while its row stays, with its status and both dedupe keys, so a
 * delivery id or a body seen before is still a duplicate, however old (GitHub signs no time: a
 * captured body would otherwise pass once its row was gone). Finished dispatches (delivered or
 * dead) are deleted from the outbox with their payloads. Undecided events and pending dispatches
 * are never touched. A delivery whose body was emptied cannot be replayed (`Deliveries.replay`).
 *
 * A pass goes tenant by tenant (and the unrouted events), oldest first, in batches, each tenant
 * resuming where its last pass stopped (`WebhookEventStore.pruneBodies`). The poller runs one
 * every ten minutes on Bun, Deno and Node; on Workers the cron's `drain` runs one in every tenth
 * minute (the cron fires every minute, and a pass is a few statements per tenant). Instances
 * passing together do some of the same work twice, never harm. The database keeps the space
 * emptied for new rows (SQLite's file does not shrink without VACUUM).
 */
import { Clock, Context, Effect, Layer } from "effect"
import type { StoreError } from "../domain/Errors.ts"
import { TenantId } from "../domain/Ids.ts"
import { UNROUTED_TENANT } from "../domain/WebhookEvent.ts"
import { KernelConfig } from "../KernelConfig.ts"
import { OutboxStore } from "../store/OutboxStore.ts"
import { TenantStore } from "../store/TenantStore.ts"
import { WebhookEventStore } from "../store/WebhookEventStore.ts"

const DAY_MS = 86_400_000
/**
 * Rows per statement, and statements per tenant and kind in one pass (100,000 rows: a tenant's
 * first pass over a long history spreads over a few passes; ten minutes of even 150 webhooks a
 * second fit in one).
 */
const BATCH = 500
const MAX_BATCHES = 200

/** How often retention passes: the poller's interval, and on Workers the cron minutes it runs in. */
export const RETENTION_EVERY_MINUTES = 10

export interface RetentionPass {
  /** Event bodies emptied. */
  readonly bodies: number
  /** Finished dispatches deleted. */
  readonly dispatches: number
}

export class Retention extends Context.Service<Retention, {
  /** One pass over every tenant; nothing to do without SWITCHBOARD_RETENTION_DAYS. */
  readonly pass: Effect.Effect<RetentionPass, StoreError>
}>()("switchboard/retention/Retention") {
  static readonly layer = Layer.effect(
    Retention,
    Effect.gen(function*() {
      const days = (yield* KernelConfig).retentionDays ?? 0
      const tenants = yield* TenantStore
      const events = yield* WebhookEventStore
      const outbox = yield* OutboxStore

      /** Batches until one comes back short (nothing more before the cutoff) or the pass's share is spent. */
      const drained = (prune: (limit: number) => Effect.Effect<number, StoreError>) =>
        Effect.gen(function*() {
          let total = 0
          for (let batch = 0; batch < MAX_BATCHES; batch++) {
            const count = yield* prune(BATCH)
            total += count
            if (count < BATCH) break
          }
          return total
        })

      const pass = Effect.gen(function*() {
        if (days <= 0) return { bodies: 0, dispatches: 0 }
        const before = (yield* Clock.currentTimeMillis) - days * DAY_MS
        const ids = [...(yield* tenants.listTenants).map((tenant) => tenant.id), TenantId.make(UNROUTED_TENANT)]
        let bodies = 0
        let dispatches = 0
        for (const tenantId of ids) {
          bodies += yield* drained((limit) => events.pruneBodies(tenantId, before, limit))
          dispatches += yield* drained((limit) => outbox.pruneDone(tenantId, before, limit))
        }
        if (bodies + dispatches > 0) {
          yield* Effect.logInfo("retention: emptied old event bodies and deleted finished dispatches").pipe(
            Effect.annotateLogs({ bodies, dispatches, olderThanDays: days })
          )
        }
        return { bodies, dispatches }
      }).pipe(Effect.withSpan("Retention.pass"))

      return Retention.of({ pass })
    })
  )
}
