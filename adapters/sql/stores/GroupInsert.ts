/**
 * Group commit for one INSERT: the rows of concurrent callers are written by one multi-row
 * `INSERT ... ON CONFLICT DO NOTHING RETURNING <key>` statement (the caller's `write`), which
 * SQLite, D1 and Postgres each run as one atomic autocommit, and each caller learns whether its row went in only after that statement
 * (its commit) finished. Nobody is answered before their row is durable, one commit serves many
 * rows, and no transaction is needed (D1 has none).
 *
 * The first caller of a round leads it: it lets the event loop run once (so the requests already
 * read reach their insert too), then writes everything queued, in statements of at most
 * `maxRows` rows (D1 binds at most 100 parameters per statement) issued together, until the
 * queue is empty. A
 * statement that breaks a constraint is retried row by row, so one bad row never fails its
 * neighbours; any other failure (a locked database, past the caller's bounded wait) is every
 * row's answer at once.
 */
import { Clock, Deferred, Effect } from "effect"
import type { SqlError } from "effect/sql"
import { nextTurn } from "../../../kernel/runtime/NextTurn.ts"
import { DatabaseWait } from "../../../kernel/store/DatabaseWait.ts"

export interface GroupInsertOptions<Row> {
  /** Rows per statement. */
  readonly maxRows: number
  /** A row's key, as `write` reports the rows it inserted. */
  readonly keyOf: (row: Row) => string
  /**
   * One statement inserting the rows, skipping those that conflict (`ON CONFLICT DO NOTHING
   * RETURNING <key>`); the keys of the rows it inserted.
   */
  readonly write: (rows: ReadonlyArray<Row>) => Effect.Effect<ReadonlyArray<string>, SqlError.SqlError>
}

interface Pending<Row> {
  readonly row: Row
  readonly done: Deferred.Deferred<boolean, SqlError.SqlError>
  /** Until when the caller may wait for a locked database (its `DatabaseWait` from its arrival). */
  readonly deadline: number
}

/** One event-loop turn (a macrotask), whatever the Clock: a TestClock must not hold the writes. */
const nextTurnEffect: Effect.Effect<void> = Effect.callback<void>((resume) => nextTurn(() => resume(Effect.void)))

export const makeGroupInsert = <Row>(options: GroupInsertOptions<Row>) => {
  const write = (group: ReadonlyArray<Pending<Row>>) =>
    options.write(group.map((pending) => pending.row)).pipe(
      Effect.map((keys) => {
        const inserted = new Set(keys)
        for (const pending of group) Deferred.doneUnsafe(pending.done, Effect.succeed(inserted.has(options.keyOf(pending.row))))
      })
    )

  // A group waits for a lock no longer than the most hurried of its callers may.
  const writeWithin = (group: ReadonlyArray<Pending<Row>>) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) =>
      Effect.provideService(write(group), DatabaseWait, Math.max(1, Math.min(...group.map((pending) => pending.deadline)) - now)))

  const writeAlone = (pending: Pending<Row>) =>
    writeWithin([pending]).pipe(Effect.catch((error) => Effect.sync(() => Deferred.doneUnsafe(pending.done, Effect.fail(error)))))

  let queue: Array<Pending<Row>> = []
  let leading = false
  let current: ReadonlyArray<Pending<Row>> = []

  // Taking the queue and giving up the lead when it is empty happen in one step: a caller that
  // finds a leader is always in a queue that leader will still take.
  const take = Effect.sync(() => {
    const taken = queue
    queue = []
    if (taken.length === 0) leading = false
    return taken
  })

  const lead = Effect.gen(function*() {
    yield* nextTurnEffect
    while (true) {
      const taken = yield* take
      if (taken.length === 0) return
      current = taken
      const groups: Array<ReadonlyArray<Pending<Row>>> = []
      for (let start = 0; start < taken.length; start += options.maxRows) groups.push(taken.slice(start, start + options.maxRows))
      // All at once: each statement waits for the connection with the other callers' statements
      // once, instead of one after the other going back to the end of that queue.
      yield* Effect.forEach(groups, (group) =>
        writeWithin(group).pipe(
          Effect.catch((error) =>
            // A row the database refuses (a constraint) is found row by row; a locked or lost
            // database fails the whole group at once, as it would each row: no second wait.
            group.length > 1 && error.reason._tag === "ConstraintError"
              ? Effect.forEach(group, writeAlone, { discard: true })
              : Effect.sync(() => {
                for (const pending of group) Deferred.doneUnsafe(pending.done, Effect.fail(error))
              })
          )
        ), { concurrency: "unbounded", discard: true })
    }
  }).pipe(
    // Only a defect ends a round early: nobody is left waiting on a leader that is gone.
    Effect.onExit((exit) =>
      exit._tag === "Success" ? Effect.void : Effect.sync(() => {
        leading = false
        const stranded = [...current, ...queue]
        queue = []
        current = []
        for (const pending of stranded) Deferred.doneUnsafe(pending.done, Effect.die(new Error("the group insert stopped")))
      })
    ),
    Effect.uninterruptible
  )

  /** Inserts one row; false when it conflicted with a stored row (or with another of its group). */
  return (row: Row): Effect.Effect<boolean, SqlError.SqlError> =>
    Effect.gen(function*() {
      const deadline = (yield* Clock.currentTimeMillis) + (yield* DatabaseWait)
      const done = Deferred.makeUnsafe<boolean, SqlError.SqlError>()
      queue.push({ row, done, deadline })
      if (leading) return yield* Deferred.await(done)
      leading = true
      return yield* Effect.andThen(lead, Deferred.await(done))
    })
}
