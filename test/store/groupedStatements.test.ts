/**
 * The dispatch path's store calls made in one event-loop turn share statements (`GroupStatement`):
 * enqueues, delivered marks, event status changes, binds and the reads of a decision. Each caller
 * still gets its own answer: a bind of a key twice in one turn gets the binding that won both
 * times, an event changed twice in one turn ends with its last change, an entry enqueued twice is
 * inserted once.
 */
import { assert, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import * as Migrate from "../../adapters/sql/Migrate.ts"
import * as StoresSql from "../../adapters/sql/StoresSql.ts"
import * as BetterSqlite3 from "../../adapters/sqlite/drivers/better-sqlite3.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import type { SqliteDriverFactory } from "../../adapters/sqlite/SqliteDriver.ts"
import { EventId, InstallationId, PublicationId, SessionKey } from "../../kernel/domain/Ids.ts"
import { binding, outboxEntry, seededStores, T0, tenantA, webhookEvent } from "./fixtures.ts"

/** better-sqlite3 in memory, counting the statements that start with each prefix. */
const countingDriver = () => {
  const counts = new Map<string, number>()
  const factory: SqliteDriverFactory = (options) => {
    const driver = BetterSqlite3.driver(options)
    return {
      ...driver,
      prepare: (sql) => {
        const statement = driver.prepare(sql)
        const key = sql.replace(/\s+/g, " ").trim().split(" ").slice(0, 3).join(" ")
        return {
          all: (params) => (counts.set(key, (counts.get(key) ?? 0) + 1), statement.all(params)),
          values: (params) => (counts.set(key, (counts.get(key) ?? 0) + 1), statement.values(params))
        }
      }
    }
  }
  return { factory, counts }
}

const N = 12

it.effect("the calls of one turn share a statement each, and each caller gets its own answer", () => {
  const driver = countingDriver()
  const stores = StoresSql.layer.pipe(
    Layer.provideMerge(Migrate.layer),
    Layer.provideMerge(SqliteClient.layer(driver.factory, { filename: ":memory:" }))
  )
  return Effect.gen(function*() {
    const { tenants, installations, publications, events, outbox, sessions } = yield* seededStores
    const ids = Array.from({ length: N }, (_, index) => `evt_${index}`)
    yield* Effect.forEach(ids, (id) => events.insertIfAbsent(webhookEvent(tenantA, id, { deliveryId: `dlv_${id}` })), { concurrency: "unbounded" })
    driver.counts.clear()
    const count = (prefix: string) => driver.counts.get(prefix) ?? 0

    // Reads: one statement each for the turn's tenants, publications and bindings.
    const read = yield* Effect.all([
      Effect.forEach(ids, () => tenants.getTenant(tenantA), { concurrency: "unbounded" }),
      Effect.forEach(ids, () => publications.listByInstallation(tenantA, InstallationId.make("ins_1")), { concurrency: "unbounded" }),
      Effect.forEach(ids, () => publications.get(tenantA, PublicationId.make("pub_1")), { concurrency: "unbounded" }),
      Effect.forEach(ids, (id) => sessions.find(tenantA, PublicationId.make("pub_1"), SessionKey.make(`k:${id}`)), { concurrency: "unbounded" })
    ], { concurrency: "unbounded" })
    assert.isTrue(read[0].every(Option.isSome))
    assert.isTrue(read[1].every((found) => found.length === 1 && found[0]!.id === "pub_1"))
    assert.isTrue(read[2].every((found) => Option.isSome(found) && found.value.id === "pub_1"))
    assert.isTrue(read[3].every(Option.isNone))
    assert.strictEqual(count("SELECT * FROM"), 4)

    // Binds: the same key twice in the turn; both callers get the binding that won.
    const bound = yield* Effect.forEach(
      [...ids.map((id) => binding(tenantA, "pub_1", `k:${id}`, `ses_${id}`)), binding(tenantA, "pub_1", "k:evt_0", "ses_loser")],
      (wanted) => sessions.bind(wanted),
      { concurrency: "unbounded" }
    )
    assert.strictEqual(bound[0]!.sessionId, "ses_evt_0")
    assert.strictEqual(bound[N]!.sessionId, "ses_evt_0")
    assert.deepStrictEqual(bound.slice(1, N).map((found) => found.sessionId), ids.slice(1).map((id) => `ses_${id}`))
    // The repeated key goes in a second statement (Postgres refuses to upsert a row twice in one).
    assert.strictEqual(count("INSERT INTO session_bindings"), 2)

    // Enqueues: one insert for the turn's entries; an entry enqueued twice goes in once.
    const enqueued = yield* Effect.forEach(
      [...ids.map((id) => outboxEntry(tenantA, `${id}:pub_1`)), outboxEntry(tenantA, "evt_0:pub_1")],
      (entry) => outbox.enqueue(entry),
      { concurrency: "unbounded" }
    )
    assert.deepStrictEqual(enqueued, [...ids.map(() => true), false])
    assert.strictEqual(count("INSERT INTO outbox"), 2)

    // Status changes: one statement per status and reason; an event changed twice ends with its last change.
    const changed = yield* Effect.forEach(
      [...ids.map((id) => [id, "dispatched"] as const), ["evt_0", "ignored"] as const, ["evt_missing", "ignored"] as const],
      ([id, status]) => events.setStatus(tenantA, EventId.make(id), status, status === "ignored" ? "why" : null, T0 + 5),
      { concurrency: "unbounded" }
    )
    assert.deepStrictEqual(changed, [...ids.map(() => true), true, false])
    assert.strictEqual(count("UPDATE webhook_events SET"), 3)
    const first = yield* events.get(tenantA, EventId.make("evt_0"))
    assert.strictEqual(Option.getOrThrow(first).status, "ignored")
    assert.strictEqual(Option.getOrThrow(yield* events.get(tenantA, EventId.make("evt_1"))).status, "dispatched")

    // Delivered marks: one statement for the turn.
    yield* Effect.forEach(ids, (id) => outbox.markDelivered(tenantA, `${id}:pub_1`, T0 + 9), { concurrency: "unbounded" })
    assert.strictEqual(count("UPDATE outbox SET"), 1)
    const delivered = yield* outbox.list(tenantA, { status: "delivered", limit: 100 })
    assert.strictEqual(delivered.length, N)
  }).pipe(Effect.provide(stores))
})
