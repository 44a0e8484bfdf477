/**
 * Cases for the SQLite adapter only (`SqliteClient`): pragmas, and transactions (commit, rollback,
 * savepoints, serialization on the one connection). D1 has no interactive transactions.
 */
import { Deferred, Effect, Fiber, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { BACKGROUND_WAIT_MS, DatabaseWait } from "../../../kernel/store/DatabaseWait.ts"
import { TenantStore } from "../../../kernel/store/TenantStore.ts"
import { expectEqual, expectNone, type StoreCase, T0, tenantA } from "../fixtures.ts"

const Scratch = Schema.Array(Schema.Struct({ k: Schema.String, v: Schema.Number }))

const scratch = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE IF NOT EXISTS conformance_scratch (k TEXT PRIMARY KEY, v INTEGER NOT NULL)`
  yield* sql`DELETE FROM conformance_scratch`
  const put = (k: string, v = 0) => sql`INSERT INTO conformance_scratch (k, v) VALUES (${k}, ${v})`
  const keys = sql`SELECT k, v FROM conformance_scratch ORDER BY k`.pipe(
    Effect.flatMap(Schema.decodeUnknownEffect(Scratch)),
    Effect.map((rows) => rows.map((row) => row.k))
  )
  return { sql, put, keys }
})

// Read as arrays (the drivers' `values` path): column names differ (busy_timeout's is `timeout`).
const PragmaValues = Schema.Array(Schema.Array(Schema.Union([Schema.String, Schema.Number])))

const pragma = (name: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* Schema.decodeUnknownEffect(PragmaValues)(yield* sql.unsafe(`PRAGMA ${name}`).values)
    return rows[0]?.[0]
  })

class Boom extends Schema.TaggedError<Boom>()("Boom", {}) {}

const sqliteOnly = ["sqlite"] as const

export const sqliteCases: ReadonlyArray<StoreCase> = [
  {
    name: "SqliteClient: WAL, synchronous=NORMAL, foreign keys on, and no busy timeout (locks are waited for asynchronously)",
    engines: sqliteOnly,
    body: Effect.gen(function*() {
      yield* expectEqual(yield* pragma("journal_mode"), "wal", "journal_mode")
      yield* expectEqual(yield* pragma("synchronous"), 1, "synchronous (1 = NORMAL)")
      yield* expectEqual(yield* pragma("foreign_keys"), 1, "foreign_keys")
      yield* expectEqual(yield* pragma("busy_timeout"), 0, "busy_timeout")
    })
  },
  {
    name: "SqliteClient: withTransaction commits, and rolls back on failure (stores included)",
    engines: sqliteOnly,
    body: Effect.gen(function*() {
      const { sql, put, keys } = yield* scratch
      yield* sql.withTransaction(Effect.andThen(put("a"), put("b")))
      yield* expectEqual(yield* keys, ["a", "b"], "committed")
      const tenants = yield* TenantStore
      const failed = yield* sql.withTransaction(
        Effect.gen(function*() {
          yield* put("c")
          yield* tenants.createTenant({ id: tenantA, name: "A", createdAt: T0 })
          return yield* new Boom()
        })
      ).pipe(Effect.flip)
      yield* expectEqual(failed._tag, "Boom", "the failure passes through")
      yield* expectEqual(yield* keys, ["a", "b"], "rolled back")
      yield* expectNone(yield* tenants.getTenant(tenantA), "the store's write is rolled back too")
    })
  },
  {
    name: "SqliteClient: nested withTransaction uses savepoints",
    engines: sqliteOnly,
    body: Effect.gen(function*() {
      const { sql, put, keys } = yield* scratch
      yield* sql.withTransaction(Effect.gen(function*() {
        yield* put("outer_1")
        yield* sql.withTransaction(Effect.andThen(put("inner_failed"), Effect.fail(new Boom()))).pipe(Effect.ignore)
        yield* sql.withTransaction(put("inner_ok"))
        yield* put("outer_2")
      }))
      yield* expectEqual(yield* keys, ["inner_ok", "outer_1", "outer_2"], "only the failed savepoint rolled back")
      yield* sql.withTransaction(Effect.andThen(sql.withTransaction(put("nested")), Effect.fail(new Boom()))).pipe(
        Effect.ignore
      )
      yield* expectEqual(yield* keys, ["inner_ok", "outer_1", "outer_2"], "an outer rollback undoes a released savepoint")
    })
  },
  {
    name: "SqliteClient: a statement outside a transaction waits for it, never joins it",
    engines: sqliteOnly,
    body: Effect.gen(function*() {
      const { sql, put, keys } = yield* scratch
      const started = yield* Deferred.make<void>()
      const transaction = yield* sql.withTransaction(Effect.gen(function*() {
        yield* put("in_transaction")
        yield* Deferred.succeed(started, undefined)
        yield* Effect.sleep("30 millis")
        return yield* new Boom()
      })).pipe(Effect.flip, Effect.forkChild)
      yield* Deferred.await(started)
      // Issued while the transaction is open: it must neither see nor share its rollback.
      const outside = yield* Effect.andThen(put("outside"), keys).pipe(Effect.forkChild)
      yield* Fiber.join(transaction)
      yield* expectEqual(yield* Fiber.join(outside), ["outside"], "the outside statement ran after the rollback")
      yield* expectEqual(yield* keys, ["outside"], "stored")
    })
  },
  {
    name: "SqliteClient: concurrent transactions are serialized (no lost update)",
    engines: sqliteOnly,
    body: Effect.gen(function*() {
      const { sql, put } = yield* scratch
      yield* put("counter", 0)
      const read = sql`SELECT k, v FROM conformance_scratch WHERE k = 'counter'`.pipe(
        Effect.flatMap(Schema.decodeUnknownEffect(Scratch)),
        Effect.map((rows) => rows[0]?.v ?? -1)
      )
      const increment = sql.withTransaction(Effect.gen(function*() {
        const value = yield* read
        yield* Effect.sleep("1 millis")
        yield* sql`UPDATE conformance_scratch SET v = ${value + 1} WHERE k = 'counter'`
      }))
      // The background wait: ten queued transactions on busy cores can outlast a request's wait.
      yield* Effect.all(Array.from({ length: 10 }, () => increment), { concurrency: "unbounded" }).pipe(
        Effect.provideService(DatabaseWait, BACKGROUND_WAIT_MS)
      )
      yield* expectEqual(yield* read, 10, "counter")
    })
  },
  {
    name: "SqliteClient: a failing statement fails with a typed SqlError",
    engines: sqliteOnly,
    body: Effect.gen(function*() {
      const { sql, put } = yield* scratch
      const syntax = yield* Effect.flip(sql`SELEC 1`)
      yield* expectEqual(syntax._tag, "SqlError", "syntax error")
      yield* put("dup")
      const duplicate = yield* Effect.flip(put("dup"))
      const constraint = ["UniqueViolation", "ConstraintError"].includes(duplicate.reason._tag)
      yield* expectEqual([duplicate._tag, constraint], ["SqlError", true], `a key violation (${duplicate.reason._tag})`)
    })
  }
]
