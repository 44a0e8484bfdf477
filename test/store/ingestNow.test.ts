/**
 * `IngestNow` over SQLite (`adapters/sql/stores/IngestNowSql.ts`, provided by `SqliteClient`):
 * its two statements answer as the stores' own (`InstallationStore.findByAccount`,
 * `WebhookEventStore.insertIfAbsent`: the same rows, the same dedupe on delivery id and on body
 * digest), and it never runs while the connection is held or awaited, so the lane's rows are
 * never swept into someone's transaction or its rollback.
 */
import { assert, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Layer, Option } from "effect"
import { SqlClient } from "effect/sql"
import * as Migrate from "../../adapters/sql/Migrate.ts"
import * as StoresSql from "../../adapters/sql/StoresSql.ts"
import * as BetterSqlite3 from "../../adapters/sqlite/drivers/better-sqlite3.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import { EventId } from "../../kernel/domain/Ids.ts"
import { IngestNow, type IngestNowStore, type IngestStatements } from "../../kernel/store/IngestNow.ts"
import { InstallationStore } from "../../kernel/store/InstallationStore.ts"
import { WebhookEventStore } from "../../kernel/store/WebhookEventStore.ts"
import { installation, linear, secret, T0, tenantA, tenantB, webhookEvent } from "./fixtures.ts"

const database = Layer.unwrap(Effect.sync(() => {
  const sql = Migrate.layer.pipe(Layer.provideMerge(SqliteClient.layer(BetterSqlite3.driver, { filename: ":memory:" })))
  return StoresSql.layer.pipe(Layer.provideMerge(sql))
}))

const ingestNow: Effect.Effect<IngestNowStore> = Effect.flatMap(Effect.service(IngestNow), (store) =>
  store === undefined ? Effect.die(new Error("SqliteClient provides no IngestNow")) : Effect.succeed(store))

/** Runs the statements, which must run (the connection is free). */
const ran = <A>(store: IngestNowStore, use: (statements: IngestStatements) => A): A => {
  const result = store.now(use)
  if (result === undefined) throw new Error("the connection was in use")
  return result
}

it.effect("finds an account's installations as InstallationStore does, oldest first", () =>
  Effect.gen(function*() {
    const installations = yield* InstallationStore
    yield* installations.upsert(installation(tenantB, "ins_b", { externalAccountId: "org-1", createdAt: T0 + 5 }), secret("b"))
    yield* installations.upsert(installation(tenantA, "ins_a", { externalAccountId: "org-1", createdAt: T0 }), secret("a"))
    yield* installations.upsert(installation(tenantA, "ins_other", { externalAccountId: "org-2" }), secret("c"))
    const store = yield* ingestNow
    const found = ran(store, (statements) => statements.findByAccount(linear, "org-1"))
    assert.deepStrictEqual(found, yield* installations.findByAccount(linear, "org-1"))
    assert.deepStrictEqual(found.map((entry) => entry.id), ["ins_a", "ins_b"])
    assert.deepStrictEqual(ran(store, (statements) => statements.findByAccount(linear, "org-nobody")), [])
  }).pipe(Effect.provide(database)))

it.effect("stores rows as WebhookEventStore does, a redelivery and a replayed body being duplicates", () =>
  Effect.gen(function*() {
    const events = yield* WebhookEventStore
    const store = yield* ingestNow
    const first = webhookEvent(tenantA, "evt_1", { deliveryId: "d-1" })
    const forB = webhookEvent(tenantB, "evt_2", { deliveryId: "d-1" })
    assert.deepStrictEqual(
      ran(store, (statements) => statements.insertIfAbsent([{ event: first, contentDigest: "digest-1" }, { event: forB, contentDigest: "digest-1" }])),
      [EventId.make("evt_1"), EventId.make("evt_2")]
    )
    assert.deepStrictEqual(yield* events.get(tenantA, EventId.make("evt_1")), Option.some(first))
    const redelivered = webhookEvent(tenantA, "evt_3", { deliveryId: "d-1" })
    const replayed = webhookEvent(tenantA, "evt_4", { deliveryId: "d-2" })
    const twinA = webhookEvent(tenantA, "evt_5", { deliveryId: "d-3" })
    const twinB = webhookEvent(tenantA, "evt_6", { deliveryId: "d-3" })
    assert.deepStrictEqual(
      ran(store, (statements) =>
        statements.insertIfAbsent([
          { event: redelivered, contentDigest: "digest-3" },
          { event: replayed, contentDigest: "digest-1" },
          // Two copies in one statement: the second conflicts with the first.
          { event: twinA, contentDigest: "digest-5" },
          { event: twinB, contentDigest: "digest-6" }
        ])),
      [EventId.make("evt_5")]
    )
    // The store's own insert sees the lane's rows: one dedupe, whichever path wrote first.
    assert.strictEqual(yield* events.insertIfAbsent(webhookEvent(tenantA, "evt_7", { deliveryId: "d-9" }), { contentDigest: "digest-5" }), false)
  }).pipe(Effect.provide(database)))

it.effect("never runs while a transaction holds the connection or a statement awaits it", () =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const store = yield* ingestNow
    const began = yield* Deferred.make<void>()
    const release = yield* Deferred.make<void>()
    const transaction = yield* Effect.forkChild(sql.withTransaction(
      Effect.andThen(Effect.andThen(sql`SELECT 1`, Deferred.succeed(began, undefined)), Deferred.await(release))
    ))
    yield* Deferred.await(began)
    let ran = false
    assert.strictEqual(store.now(() => (ran = true)), undefined)
    // A statement waiting for the transaction to end holds the lane off too.
    const waiting = yield* Effect.forkChild(sql`SELECT 2`)
    yield* Deferred.succeed(release, undefined)
    assert.strictEqual(store.now(() => (ran = true)), undefined)
    yield* Fiber.join(transaction)
    yield* Fiber.join(waiting)
    assert.strictEqual(ran, false)
    assert.strictEqual(store.now(() => "free"), "free")
    // A connection reserved outside any transaction is held too.
    yield* Effect.scoped(Effect.andThen(sql.reserve, Effect.sync(() => assert.strictEqual(store.now(() => (ran = true)), undefined))))
    assert.strictEqual(ran, false)
    assert.strictEqual(store.now(() => "free again"), "free again")
    // A transaction begun by hand, between its statements: nothing holds the lease, the connection is in it.
    yield* sql`BEGIN`
    assert.strictEqual(store.now(() => (ran = true)), undefined)
    yield* sql`ROLLBACK`
    assert.strictEqual(ran, false)
  }).pipe(Effect.provide(database)))
