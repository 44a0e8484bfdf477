/**
 * `SqlNow` (adapters/sql/SqlNow.ts), provided by `SqliteClient`: `PublicationStore.sessionReach`
 * reads in place when the connection is free and answers exactly as through the `SqlClient`; it
 * takes the client while the connection is held (a transaction) or when reading in place throws.
 */
import { assert, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Layer } from "effect"
import { SqlClient } from "effect/sql"
import * as Migrate from "../../adapters/sql/Migrate.ts"
import { readNow, SqlNow } from "../../adapters/sql/SqlNow.ts"
import * as PublicationStoreSql from "../../adapters/sql/stores/PublicationStoreSql.ts"
import * as StoresSql from "../../adapters/sql/StoresSql.ts"
import * as BetterSqlite3 from "../../adapters/sqlite/drivers/better-sqlite3.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import { InstallationId, PublicationId, TenantId } from "../../kernel/domain/Ids.ts"
import { InstallationStore } from "../../kernel/store/InstallationStore.ts"
import { PublicationStore } from "../../kernel/store/PublicationStore.ts"
import { TenantStore } from "../../kernel/store/TenantStore.ts"
import { installation, publication, secret, T0, tenantA, tenantB } from "./fixtures.ts"

type Use = "ran" | "stepped aside"

/** The database with its `SqlNow` reporting each use into `uses`. */
const database = (uses: Array<Use>) =>
  Layer.unwrap(Effect.sync(() => {
    const sql = Migrate.layer.pipe(Layer.provideMerge(SqliteClient.layer(BetterSqlite3.driver, { filename: ":memory:" })))
    const observed = Layer.effect(
      SqlNow,
      Effect.map(Effect.service(SqlNow), (now) =>
        now === undefined ? undefined : <A>(use: Parameters<typeof now<A>>[0]) => {
          const answer = now(use)
          uses.push(answer === undefined ? "stepped aside" : "ran")
          return answer
        })
    ).pipe(Layer.provide(sql))
    return StoresSql.layer.pipe(Layer.provide(observed), Layer.provideMerge(sql), Layer.merge(observed))
  }))

const seed = Effect.gen(function*() {
  const tenants = yield* TenantStore
  const installations = yield* InstallationStore
  const publications = yield* PublicationStore
  yield* tenants.createTenant({ id: tenantA, name: "A", createdAt: T0 })
  yield* tenants.createTenant({ id: tenantB, name: "B", createdAt: T0 })
  yield* installations.upsert(installation(tenantA, "ins_a"), secret("sealed-a"))
  yield* installations.upsert(installation(tenantB, "ins_b"), secret("sealed-b"))
  yield* publications.insert(publication(tenantA, "pub_a", "ins_a"))
  yield* publications.insert(publication(tenantB, "pub_b", "ins_b"))
})

/** Sessions to read: whole, each part missing, another tenant's rows, no tenant. */
const sessions = [
  [tenantA, "pub_a", "ins_a"],
  [tenantA, "pub_missing", "ins_a"],
  [tenantA, "pub_a", "ins_missing"],
  [tenantA, "pub_b", "ins_b"],
  [tenantB, "pub_a", "ins_a"],
  [TenantId.make("ten_missing"), "pub_a", "ins_a"]
] as const

const readAll = (store: PublicationStore["Service"]) =>
  Effect.forEach(sessions, ([tenantId, publicationId, installationId]) =>
    store.sessionReach(tenantId, PublicationId.make(publicationId), InstallationId.make(installationId)))

it.effect("reads a session in place when the connection is free, answering as the SqlClient does", () => {
  const uses: Array<Use> = []
  return Effect.gen(function*() {
    yield* seed
    const store = yield* PublicationStore
    uses.length = 0
    const inPlace = yield* readAll(store)
    assert.deepStrictEqual(uses, sessions.map(() => "ran"))
    const throughClient = yield* readAll(yield* Effect.provideService(PublicationStoreSql.make, SqlNow, undefined))
    assert.deepStrictEqual(inPlace, throughClient)
    assert.strictEqual(uses.length, sessions.length)
  }).pipe(Effect.provide(database(uses)))
})

it.effect("takes the SqlClient while a transaction holds the connection, with the same answer", () => {
  const uses: Array<Use> = []
  return Effect.gen(function*() {
    yield* seed
    const sql = yield* SqlClient.SqlClient
    const store = yield* PublicationStore
    const free = yield* store.sessionReach(tenantA, PublicationId.make("pub_a"), InstallationId.make("ins_a"))
    const began = yield* Deferred.make<void>()
    const release = yield* Deferred.make<void>()
    const transaction = yield* Effect.forkChild(sql.withTransaction(
      Effect.andThen(Effect.andThen(sql`SELECT 1`, Deferred.succeed(began, undefined)), Deferred.await(release))
    ))
    yield* Deferred.await(began)
    uses.length = 0
    const reading = yield* Effect.forkChild(store.sessionReach(tenantA, PublicationId.make("pub_a"), InstallationId.make("ins_a")))
    // The read starts (and waits for the connection) before the transaction ends.
    yield* Effect.yieldNow
    assert.deepStrictEqual(uses, ["stepped aside"])
    yield* Deferred.succeed(release, undefined)
    yield* Fiber.join(transaction)
    assert.deepStrictEqual(yield* Fiber.join(reading), free)
    assert.deepStrictEqual(uses, ["stepped aside"])
  }).pipe(Effect.provide(database(uses)))
})

it("readNow answers undefined without a runner, when the connection is in use, and when reading throws", () => {
  assert.strictEqual(readNow(undefined, "SELECT 1", []), undefined)
  assert.strictEqual(readNow(() => undefined, "SELECT 1", []), undefined)
  assert.strictEqual(readNow((use) => use(() => { throw new Error("database is locked") }), "SELECT 1", []), undefined)
  assert.deepStrictEqual(readNow((use) => use((text, params) => [{ text, params }]), "SELECT ?", [1]), [{ text: "SELECT ?", params: [1] }])
})
