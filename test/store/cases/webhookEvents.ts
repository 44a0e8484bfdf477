/**
 * Conformance cases for `WebhookEventStore`: dedupe on the delivery id and on the content digest
 * (also under a race), listing, sweep, isolation; migration 0003 (digest key, signatures removed
 * from stored headers) and its re-run after an interruption.
 */
import { Effect, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { applyMigrations } from "../../../adapters/sql/Migrate.ts"
import { migrations } from "../../../adapters/sql/migrations/index.ts"
import { EventId } from "../../../kernel/domain/Ids.ts"
import { WebhookEventStore } from "../../../kernel/store/WebhookEventStore.ts"
import {
  expectEqual,
  expectNone,
  expectSome,
  github,
  ids,
  linear,
  type StoreCase,
  T0,
  tenantA,
  tenantB,
  webhookEvent
} from "../fixtures.ts"

const evt1 = EventId.make("evt_1")
const digest = (n: number) => n.toString(16).padStart(64, "0")
const StoredHeaders = Schema.Array(Schema.Struct({ headers: Schema.fromJsonString(Schema.Record(Schema.String, Schema.String)) }))

export const webhookEventCases: ReadonlyArray<StoreCase> = [
  {
    name: "WebhookEventStore: insertIfAbsent dedupes on (tenant, provider, delivery id)",
    body: Effect.gen(function*() {
      const store = yield* WebhookEventStore
      const first = webhookEvent(tenantA, "evt_1", { deliveryId: "dlv" })
      yield* expectEqual(yield* store.insertIfAbsent(first), true, "first delivery")
      const again = webhookEvent(tenantA, "evt_2", { deliveryId: "dlv", body: "{}" })
      yield* expectEqual(yield* store.insertIfAbsent(again), false, "redelivery")
      yield* expectEqual(yield* store.insertIfAbsent(first), false, "the same event again")
      yield* expectEqual(
        yield* store.insertIfAbsent(webhookEvent(tenantA, "evt_3", { deliveryId: "dlv", providerId: github })),
        true,
        "same delivery id, other provider"
      )
      yield* expectEqual(
        yield* store.insertIfAbsent(webhookEvent(tenantB, "evt_4", { deliveryId: "dlv" })),
        true,
        "same delivery id, other tenant"
      )
      yield* expectEqual(yield* expectSome(yield* store.get(tenantA, evt1), "get"), first, "the first one is kept")
      yield* expectNone(yield* store.get(tenantA, EventId.make("evt_2")), "the duplicate is not stored")
    })
  },
  {
    name: "WebhookEventStore: insertIfAbsent dedupes on (tenant, provider, content digest): a replay under a new id",
    body: Effect.gen(function*() {
      const store = yield* WebhookEventStore
      const first = webhookEvent(tenantA, "evt_1", { deliveryId: "dlv_1" })
      yield* expectEqual(yield* store.insertIfAbsent(first, { contentDigest: digest(1) }), true, "first delivery")
      yield* expectEqual(
        yield* store.insertIfAbsent(webhookEvent(tenantA, "evt_2", { deliveryId: "dlv_2" }), { contentDigest: digest(1) }),
        false,
        "the same body under a new delivery id"
      )
      yield* expectEqual(
        yield* store.insertIfAbsent(webhookEvent(tenantA, "evt_3", { deliveryId: "dlv_3" }), { contentDigest: digest(2) }),
        true,
        "another body"
      )
      yield* expectEqual(
        yield* store.insertIfAbsent(webhookEvent(tenantA, "evt_4", { deliveryId: "dlv_4", providerId: github }), { contentDigest: digest(1) }),
        true,
        "same digest, other provider"
      )
      yield* expectEqual(
        yield* store.insertIfAbsent(webhookEvent(tenantB, "evt_5", { deliveryId: "dlv_5" }), { contentDigest: digest(1) }),
        true,
        "same digest, other tenant"
      )
      // Events without a digest (rows from before 0003) dedupe on the delivery id alone.
      yield* expectEqual(yield* store.insertIfAbsent(webhookEvent(tenantA, "evt_6", { deliveryId: "dlv_6" })), true, "no digest")
      yield* expectEqual(yield* store.insertIfAbsent(webhookEvent(tenantA, "evt_7", { deliveryId: "dlv_7" })), true, "no digest again")
      yield* expectNone(yield* store.get(tenantA, EventId.make("evt_2")), "the replay is not stored")
      yield* expectEqual(yield* expectSome(yield* store.get(tenantA, evt1), "get"), first, "the first one is kept")
    })
  },
  {
    name: "WebhookEventStore: concurrent copies under new delivery ids: exactly one inserts",
    body: Effect.gen(function*() {
      const store = yield* WebhookEventStore
      const inserted = yield* Effect.all(
        Array.from({ length: 8 }, (_, n) =>
          store.insertIfAbsent(webhookEvent(tenantA, `evt_${n}`, { deliveryId: `d_${n}` }), { contentDigest: digest(7) })),
        { concurrency: "unbounded" }
      )
      yield* expectEqual(inserted.filter((wasInserted) => wasInserted).length, 1, "inserted")
      yield* expectEqual((yield* store.list(tenantA, { limit: 50 })).length, 1, "stored")
    })
  },
  {
    name: "Migrate: 0003 removes stored signatures and runs again cleanly after an interruption",
    // SQLite's migration list; Postgres starts from the schema 0003 leads to.
    engines: ["sqlite", "d1"],
    body: Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const store = yield* WebhookEventStore
      yield* store.insertIfAbsent(webhookEvent(tenantA, "evt_1", {
        headers: { "linear-signature": "abc", "x-hub-signature-256": "sha256=def", "linear-delivery": "dlv" }
      }))
      // Forget that 0003 ran, as if the process died before recording it (its column already added).
      yield* sql`DELETE FROM switchboard_migrations WHERE id = 3`
      const again = yield* applyMigrations(migrations)
      yield* expectEqual(again.map((migration) => migration.id), [3], "re-applied")
      const rows = yield* Schema.decodeUnknownEffect(StoredHeaders)(yield* sql`SELECT headers FROM webhook_events`)
      yield* expectEqual(rows.map((row) => row.headers), [{ "linear-delivery": "dlv" }], "signatures removed")
      yield* expectEqual(
        yield* store.insertIfAbsent(webhookEvent(tenantA, "evt_2", { deliveryId: "d2" }), { contentDigest: digest(1) }),
        true,
        "the digest key still works"
      )
      yield* expectEqual(
        yield* store.insertIfAbsent(webhookEvent(tenantA, "evt_3", { deliveryId: "d3" }), { contentDigest: digest(1) }),
        false,
        "and still dedupes"
      )
    })
  },
  {
    name: "WebhookEventStore: concurrent duplicate deliveries: exactly one inserts",
    body: Effect.gen(function*() {
      const store = yield* WebhookEventStore
      const inserted = yield* Effect.all(
        Array.from({ length: 8 }, (_, n) => store.insertIfAbsent(webhookEvent(tenantA, `evt_${n}`, { deliveryId: "d" }))),
        { concurrency: "unbounded" }
      )
      yield* expectEqual(inserted.filter((wasInserted) => wasInserted).length, 1, "inserted")
      yield* expectEqual((yield* store.list(tenantA, { limit: 50 })).length, 1, "stored")
    })
  },
  {
    name: "WebhookEventStore: list filters, orders newest first, pages with before",
    body: Effect.gen(function*() {
      const store = yield* WebhookEventStore
      const events = [
        webhookEvent(tenantA, "evt_1", { receivedAt: T0 + 1 }),
        webhookEvent(tenantA, "evt_2", { receivedAt: T0 + 2, providerId: github }),
        webhookEvent(tenantA, "evt_3", { receivedAt: T0 + 3, status: "ignored", reason: "bot" }),
        webhookEvent(tenantA, "evt_4", { receivedAt: T0 + 4 }),
        webhookEvent(tenantA, "evt_5", { receivedAt: T0 + 5, providerId: github, status: "dispatched" })
      ]
      yield* Effect.forEach(events, (event) => store.insertIfAbsent(event))
      yield* expectEqual(ids(yield* store.list(tenantA, { limit: 10 })), ["evt_5", "evt_4", "evt_3", "evt_2", "evt_1"], "all")
      yield* expectEqual(ids(yield* store.list(tenantA, { limit: 2 })), ["evt_5", "evt_4"], "limit")
      yield* expectEqual(ids(yield* store.list(tenantA, { limit: 10, providerId: github })), ["evt_5", "evt_2"], "provider")
      yield* expectEqual(ids(yield* store.list(tenantA, { limit: 10, status: "received" })), ["evt_4", "evt_2", "evt_1"], "status")
      yield* expectEqual(ids(yield* store.list(tenantA, { limit: 2, before: T0 + 4 })), ["evt_3", "evt_2"], "before")
      yield* expectEqual(
        ids(yield* store.list(tenantA, { limit: 10, before: T0 + 5, providerId: linear, status: "received" })),
        ["evt_4", "evt_1"],
        "every filter at once"
      )
      yield* expectEqual(yield* store.list(tenantA, { limit: 10 }), [...events].reverse(), "rows round-trip")
    })
  },
  {
    name: "WebhookEventStore: setStatus and listUndecided (any tenant, oldest first)",
    body: Effect.gen(function*() {
      const store = yield* WebhookEventStore
      yield* store.insertIfAbsent(webhookEvent(tenantA, "evt_1", { receivedAt: T0 + 1 }))
      yield* store.insertIfAbsent(webhookEvent(tenantB, "evt_2", { receivedAt: T0 + 2 }))
      yield* store.insertIfAbsent(webhookEvent(tenantA, "evt_3", { receivedAt: T0 + 3 }))
      yield* store.insertIfAbsent(webhookEvent(tenantA, "evt_4", { receivedAt: T0 + 100 }))
      yield* expectEqual(yield* store.setStatus(tenantA, EventId.make("evt_3"), "ignored", "bot's own", T0 + 50), true, "setStatus")
      const decided = yield* expectSome(yield* store.get(tenantA, EventId.make("evt_3")), "get")
      yield* expectEqual([decided.status, decided.reason, decided.updatedAt], ["ignored", "bot's own", T0 + 50], "decided")
      yield* store.setStatus(tenantA, EventId.make("evt_3"), "failed", null, T0 + 51)
      const cleared = yield* expectSome(yield* store.get(tenantA, EventId.make("evt_3")), "get")
      yield* expectEqual([cleared.status, cleared.reason], ["failed", null], "reason cleared")
      yield* expectEqual(ids(yield* store.listUndecided(T0 + 100, 10)), ["evt_1", "evt_2"], "undecided older than")
      yield* expectEqual(ids(yield* store.listUndecided(T0 + 101, 2)), ["evt_1", "evt_2"], "limit")
      yield* expectEqual(yield* store.setStatus(tenantA, EventId.make("evt_missing"), "ignored", null, T0), false, "missing")
    })
  },
  {
    name: "WebhookEventStore: tenant isolation of get, list and setStatus",
    body: Effect.gen(function*() {
      const store = yield* WebhookEventStore
      const a = webhookEvent(tenantA, "evt_1")
      yield* store.insertIfAbsent(a)
      yield* expectNone(yield* store.get(tenantB, evt1), "get(B, A's id)")
      yield* expectEqual(yield* store.list(tenantB, { limit: 10 }), [], "list(B)")
      yield* expectEqual(yield* store.setStatus(tenantB, evt1, "ignored", "evil", T0 + 1), false, "setStatus(B, A's id)")
      yield* expectEqual(yield* expectSome(yield* store.get(tenantA, evt1), "A"), a, "A's event is unchanged")
    })
  }
]
