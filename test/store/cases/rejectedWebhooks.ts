/**
 * Conformance cases for `RejectedWebhookStore` (the bound per provider, filters, per-minute
 * counts), `OutboxStore.depth` and `ActivityStore` (deliveries and dispatches per minute).
 */
import { Effect } from "effect"
import type { RejectedWebhook } from "../../../kernel/domain/RejectedWebhook.ts"
import { TenantId } from "../../../kernel/domain/Ids.ts"
import { ActivityStore } from "../../../kernel/store/ActivityStore.ts"
import { OutboxStore } from "../../../kernel/store/OutboxStore.ts"
import { WebhookEventStore } from "../../../kernel/store/WebhookEventStore.ts"
import { RejectedWebhookStore } from "../../../kernel/store/RejectedWebhookStore.ts"
import { awkward, expectEqual, expectTrue, outboxEntry, type StoreCase, T0, tenantA, webhookEvent } from "../fixtures.ts"

const rejected = (providerId: string, n: number, overrides: Partial<RejectedWebhook> = {}): RejectedWebhook => ({
  id: `rej_${providerId}_${n}`,
  tenantId: TenantId.make("_unrouted"),
  providerId,
  path: `/webhook/${providerId}`,
  status: 401,
  reason: "BadSignature",
  message: awkward,
  headers: { "content-type": "application/json", "linear-signature": "[redacted]" },
  receivedAt: T0 + n * 1000,
  ...overrides
})

/** Never due: other cases claim due entries of any tenant from the same database. */
const FAR = T0 + 365 * 24 * 60 * 60_000

export const rejectedWebhookCases: ReadonlyArray<StoreCase> = [
  {
    name: "RejectedWebhookStore: keeps the newest per provider, lists newest first, filters",
    body: Effect.gen(function*() {
      const store = yield* RejectedWebhookStore
      for (let n = 1; n <= 5; n++) yield* store.record(rejected("rej_a", n, n === 5 ? { tenantId: tenantA } : {}), 3)
      yield* store.record(rejected("rej_b", 1), 3)
      const kept = yield* store.list({ providerId: "rej_a", limit: 10 })
      yield* expectEqual(kept.map((entry) => entry.id), ["rej_rej_a_5", "rej_rej_a_4", "rej_rej_a_3"], "the newest three")
      yield* expectEqual(kept[1], rejected("rej_a", 4), "a row round-trips")
      yield* expectEqual((yield* store.list({ providerId: "rej_b", limit: 10 })).length, 1, "another provider's list is its own")
      yield* expectEqual(
        (yield* store.list({ providerId: "rej_a", tenantId: tenantA, limit: 10 })).map((entry) => entry.id),
        ["rej_rej_a_5"],
        "by tenant"
      )
      yield* expectEqual(
        (yield* store.list({ providerId: "rej_a", before: T0 + 5000, limit: 1 })).map((entry) => entry.id),
        ["rej_rej_a_4"],
        "the next page"
      )
    })
  },
  {
    name: "RejectedWebhookStore: counts per minute and provider",
    body: Effect.gen(function*() {
      const store = yield* RejectedWebhookStore
      const tenant = TenantId.make("ten_rejections")
      const minute = Math.floor(T0 / 60_000) * 60_000 + 10 * 60_000
      yield* store.record(rejected("rej_c", 1, { tenantId: tenant, receivedAt: minute + 1 }), 10)
      yield* store.record(rejected("rej_c", 2, { tenantId: tenant, receivedAt: minute + 59_999 }), 10)
      yield* store.record(rejected("rej_c", 3, { tenantId: tenant, receivedAt: minute + 60_000 }), 10)
      const counts = yield* store.perMinute(minute, tenant)
      yield* expectEqual(
        [...counts].sort((a, b) => a.minute - b.minute),
        [{ minute, providerId: "rej_c", count: 2 }, { minute: minute + 60_000, providerId: "rej_c", count: 1 }],
        "per minute"
      )
    })
  },
  {
    name: "OutboxStore: depth counts pending and dead entries and finds the oldest pending",
    body: Effect.gen(function*() {
      const store = yield* OutboxStore
      const before = yield* store.depth
      yield* store.enqueue(outboxEntry(tenantA, "depth_1", { createdAt: T0 - 5000, nextAttemptAt: FAR }))
      yield* store.enqueue(outboxEntry(tenantA, "depth_2", { createdAt: T0 - 1000, nextAttemptAt: FAR }))
      yield* store.enqueue(outboxEntry(tenantA, "depth_3", { status: "dead" }))
      const after = yield* store.depth
      yield* expectEqual(after.pending - before.pending, 2, "pending")
      yield* expectEqual(after.dead - before.dead, 1, "dead")
      yield* expectTrue(after.oldestPendingAt !== null && after.oldestPendingAt <= T0 - 5000, "the oldest pending")
    })
  },
  {
    name: "ActivityStore: a tenant's deliveries and finished dispatches per minute and provider",
    body: Effect.gen(function*() {
      const events = yield* WebhookEventStore
      const outbox = yield* OutboxStore
      const activity = yield* ActivityStore
      const tenant = TenantId.make("ten_activity")
      const minute = Math.floor(T0 / 60_000) * 60_000 + 20 * 60_000
      yield* events.insertIfAbsent(webhookEvent(tenant, "evt_act_1", { deliveryId: "act_1", receivedAt: minute + 5 }))
      yield* events.insertIfAbsent(webhookEvent(tenant, "evt_act_2", { deliveryId: "act_2", receivedAt: minute + 6 }))
      yield* events.insertIfAbsent(webhookEvent(tenant, "evt_act_3", { deliveryId: "act_3", receivedAt: minute - 1 }))
      yield* expectEqual(
        yield* activity.deliveriesPerMinute(tenant, minute),
        [{ minute, providerId: "linear", count: 2 }],
        "deliveries since the minute"
      )
      const ended = minute + 60_000
      yield* outbox.enqueue(outboxEntry(tenant, "act_d1", { status: "delivered", createdAt: ended - 100, updatedAt: ended + 100 }))
      yield* outbox.enqueue(outboxEntry(tenant, "act_d2", { status: "delivered", createdAt: ended - 300, updatedAt: ended + 100 }))
      yield* outbox.enqueue(outboxEntry(tenant, "act_d3", { status: "dead", createdAt: ended, updatedAt: ended + 5 }))
      yield* outbox.enqueue(outboxEntry(tenant, "act_d4", { status: "pending", createdAt: ended, updatedAt: ended, nextAttemptAt: FAR }))
      yield* expectEqual(
        yield* activity.dispatchesPerMinute(tenant, minute),
        [{ minute: ended, providerId: "linear", delivered: 2, dead: 1, meanLatencyMs: 300 }],
        "dispatches by the minute they ended"
      )
    })
  }
]
