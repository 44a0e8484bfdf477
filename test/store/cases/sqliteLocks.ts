/**
 * Cases for `SqliteClient` under another connection's write lock (`BEGIN IMMEDIATE` on a second
 * connection to the same file, as a CLI or another process would hold it): the wait is bounded by
 * the fiber's `DatabaseWait`, the event loop stays free while waiting, reads go on (WAL), work
 * succeeds once the lock is released, and `DatabaseHealth` says `locked`. The runner gives the
 * second connection through `OtherConnection` (the same driver, the same file).
 */
import { Clock, Context, Effect, Fiber, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqliteDriver, SqliteDriverFactory } from "../../../adapters/sqlite/SqliteDriver.ts"
import { DatabaseHealth } from "../../../kernel/store/DatabaseHealth.ts"
import { DatabaseWait } from "../../../kernel/store/DatabaseWait.ts"
import { expectEqual, expectTrue, type StoreCase } from "../fixtures.ts"

export interface OtherConnectionSpec {
  readonly driver: SqliteDriverFactory
  readonly filename: string
}

/** How to open a second connection to the database under test; none outside SQLite runners. */
export const OtherConnection = Context.Reference<Option.Option<OtherConnectionSpec>>(
  "switchboard/test/store/OtherConnection",
  { defaultValue: () => Option.none() }
)

/** Timing slack for two busy cores: the bounds checked are the wait plus this. */
// Generous: these machines are shared and loaded; a blocked event loop would show as 0-1 timer ticks and multi-second waits.
const SLACK_MS = 1_000
const WAIT_MS = 250

const Keys = Schema.Array(Schema.Struct({ k: Schema.String }))

/** A second connection holding the write lock until the scope closes. */
const lockHeld = Effect.gen(function*() {
  const spec = yield* Effect.flatMap(Effect.service(OtherConnection), (option) =>
    Option.match(option, {
      onNone: () => Effect.die(new Error("the runner gave no OtherConnection")),
      onSome: Effect.succeed
    }))
  let other: SqliteDriver | undefined
  let held = false
  const release = Effect.sync(() => {
    if (held) other?.prepare("ROLLBACK").all([])
    held = false
  })
  yield* Effect.acquireRelease(
    Effect.sync(() => {
      other = spec.driver({ filename: spec.filename })
      other.prepare("BEGIN IMMEDIATE").all([])
      held = true
    }),
    () => Effect.andThen(release, Effect.sync(() => other?.close()))
  )
  return { release }
})

const setup = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE IF NOT EXISTS lock_scratch (k TEXT PRIMARY KEY)`
  yield* sql`DELETE FROM lock_scratch`
  const put = (k: string) => sql`INSERT INTO lock_scratch (k) VALUES (${k})`
  const keys = sql`SELECT k FROM lock_scratch ORDER BY k`.pipe(
    Effect.flatMap(Schema.decodeUnknownEffect(Keys)),
    Effect.map((rows) => rows.map((row) => row.k))
  )
  return { sql, put, keys }
})

/** Counts 10 ms timer ticks: proof the event loop ran while a call waited. */
const ticker = Effect.gen(function*() {
  let ticks = 0
  const fiber = yield* Effect.forkChild(Effect.forever(Effect.andThen(Effect.sleep("10 millis"), Effect.sync(() => ticks++))))
  return { ticks: () => ticks, stop: Fiber.interrupt(fiber) }
})

const timed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const start = yield* Clock.currentTimeMillis
    const result = yield* effect
    return { result, ms: (yield* Clock.currentTimeMillis) - start }
  })

const sqliteOnly = ["sqlite"] as const

export const sqliteLockCases: ReadonlyArray<StoreCase> = [
  {
    name: "SqliteClient: a write under another connection's lock waits asynchronously, fails within its wait, reads go on, and succeeds after the release",
    engines: sqliteOnly,
    body: Effect.scoped(Effect.gen(function*() {
      const { put, keys } = yield* setup
      const lock = yield* lockHeld
      const clock = yield* ticker
      const { result, ms } = yield* timed(Effect.flip(put("refused").pipe(Effect.provideService(DatabaseWait, WAIT_MS))))
      yield* clock.stop
      yield* expectEqual(result.reason._tag, "LockTimeoutError", "the typed reason of a write past its wait")
      yield* expectTrue(ms >= WAIT_MS - 20 && ms < WAIT_MS + SLACK_MS, `failed after ${ms} ms; the wait is ${WAIT_MS} ms`)
      yield* expectTrue(clock.ticks() >= 2, `the event loop ran only ${clock.ticks()} 10 ms timers in ${ms} ms of waiting`)
      yield* expectEqual(yield* keys, [], "a read under the lock (WAL)")
      const waiting = yield* Effect.forkChild(timed(put("stored").pipe(Effect.provideService(DatabaseWait, 5_000))))
      yield* Effect.sleep("150 millis")
      yield* lock.release
      const stored = yield* Fiber.join(waiting)
      yield* expectTrue(stored.ms >= 100 && stored.ms < 150 + SLACK_MS, `stored ${stored.ms} ms after it was sent; released at 150 ms`)
      yield* expectEqual(yield* keys, ["stored"], "what was stored")
    }))
  },
  {
    name: "SqliteClient: a transaction under another connection's lock waits at BEGIN within its wait and writes nothing",
    engines: sqliteOnly,
    body: Effect.scoped(Effect.gen(function*() {
      const { sql, put, keys } = yield* setup
      const lock = yield* lockHeld
      const transaction = sql.withTransaction(Effect.andThen(put("a"), put("b")))
      const { result, ms } = yield* timed(Effect.flip(transaction.pipe(Effect.provideService(DatabaseWait, WAIT_MS))))
      yield* expectEqual(result._tag === "SqlError" ? result.reason._tag : result._tag, "LockTimeoutError", "the typed reason")
      yield* expectTrue(ms >= WAIT_MS - 20 && ms < WAIT_MS + SLACK_MS, `failed after ${ms} ms; the wait is ${WAIT_MS} ms`)
      yield* expectEqual(yield* keys, [], "nothing written")
      yield* lock.release
      yield* transaction
      yield* expectEqual(yield* keys, ["a", "b"], "committed after the release")
    }))
  },
  {
    name: "SqliteClient: statements queued behind a locked write each fail within their own wait, not one after another",
    engines: sqliteOnly,
    body: Effect.scoped(Effect.gen(function*() {
      const { put } = yield* setup
      yield* lockHeld
      const { result, ms } = yield* timed(Effect.all(
        Array.from({ length: 20 }, (_, index) => Effect.flip(put(`k${index}`))),
        { concurrency: "unbounded" }
      ).pipe(Effect.provideService(DatabaseWait, WAIT_MS)))
      yield* expectEqual(result.map((error) => error.reason._tag), Array.from({ length: 20 }, () => "LockTimeoutError"), "each write")
      yield* expectTrue(ms < WAIT_MS + SLACK_MS, `20 concurrent writes took ${ms} ms; each may wait ${WAIT_MS} ms`)
    }))
  },
  {
    name: "SqliteClient: DatabaseHealth says locked within a second under another connection's lock, ok after",
    engines: sqliteOnly,
    body: Effect.scoped(Effect.gen(function*() {
      const health = yield* Effect.flatMap(Effect.serviceOption(DatabaseHealth), (option) =>
        Option.match(option, { onNone: () => Effect.die(new Error("SqliteClient.layer gave no DatabaseHealth")), onSome: Effect.succeed }))
      yield* expectEqual(yield* health.check, "ok", "before the lock")
      const lock = yield* lockHeld
      const { result, ms } = yield* timed(health.check)
      yield* expectEqual(result, "locked", "under the lock")
      yield* expectTrue(ms < 1_000, `answered in ${ms} ms`)
      yield* lock.release
      yield* expectEqual(yield* health.check, "ok", "after the release")
    }))
  }
]
