/**
 * One statement for the calls of a turn. For a write, group commit: the rows of concurrent
 * callers are written by one statement (the caller's `write`), which SQLite, D1 and Postgres each
 * run as one atomic autocommit, and each caller gets its own row's answer only after that
 * statement (its commit) finished. Nobody is answered before their row is durable, one commit
 * serves many rows, and no transaction is needed (D1 has none). On SQLite a commit is most of a
 * small write's cost. For a read, one statement answers the lookups of every caller of the turn,
 * each read after it was asked for, never before. The statement runs on the fiber that leads the
 * round: not for calls made inside a transaction (no store makes any).
 *
 * The first caller of a round leads it: it lets the event loop run once (so the work already
 * started reaches its write too), then writes everything queued, in statements of at most
 * `maxRows` rows (D1 binds at most 100 parameters per statement) issued together, until the
 * queue is empty. A statement that breaks a constraint is retried row by row, so one bad row
 * never fails its neighbours; any other failure (a locked database, past the caller's bounded
 * wait) is every row's answer at once.
 */
import { Clock, Deferred, Effect } from "effect"
import type { SqlError } from "effect/sql"
import { nextTurn } from "../../../kernel/runtime/NextTurn.ts"
import { DatabaseWait } from "../../../kernel/store/DatabaseWait.ts"

export interface GroupStatementOptions<Row, A> {
  /** Rows per statement. */
  readonly maxRows: number
  /** One statement writing the rows: each row's answer, in the order of `rows`. */
  readonly write: (rows: ReadonlyArray<Row>) => Effect.Effect<ReadonlyArray<A>, SqlError.SqlError>
}

interface Pending<Row, A> {
  readonly row: Row
  readonly done: Deferred.Deferred<A, SqlError.SqlError>
  /** Until when the caller may wait for a locked database (its `DatabaseWait` from its arrival). */
  readonly deadline: number
}

/** One event-loop turn (a macrotask), whatever the Clock: a TestClock must not hold the writes. */
const nextTurnEffect: Effect.Effect<void> = Effect.callback<void>((resume) => nextTurn(() => resume(Effect.void)))

const missing = new Error("the group's statement gave no answer for a row")

/** Writes one row with the others of its turn; the row's answer once its statement has run. */
export const makeGroupStatement = <Row, A>(options: GroupStatementOptions<Row, A>): (row: Row) => Effect.Effect<A, SqlError.SqlError> => {
  const write = (group: ReadonlyArray<Pending<Row, A>>) =>
    options.write(group.map((pending) => pending.row)).pipe(
      Effect.map((answers) => {
        group.forEach((pending, index) =>
          Deferred.doneUnsafe(pending.done, index < answers.length ? Effect.succeed(answers[index]!) : Effect.die(missing))
        )
      })
    )

  // A group waits for a lock no longer than the most hurried of its callers may.
  const writeWithin = (group: ReadonlyArray<Pending<Row, A>>) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) =>
      Effect.provideService(write(group), DatabaseWait, Math.max(1, Math.min(...group.map((pending) => pending.deadline)) - now)))

  const writeAlone = (pending: Pending<Row, A>) =>
    writeWithin([pending]).pipe(Effect.catch((error) => Effect.sync(() => Deferred.doneUnsafe(pending.done, Effect.fail(error)))))

  let queue: Array<Pending<Row, A>> = []
  let leading = false
  let current: ReadonlyArray<Pending<Row, A>> = []

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
      const groups: Array<ReadonlyArray<Pending<Row, A>>> = []
      for (let start = 0; start < taken.length; start += options.maxRows) groups.push(taken.slice(start, start + options.maxRows))
      const writeGroup = (group: ReadonlyArray<Pending<Row, A>>) =>
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
        )
      // All at once: each statement waits for the connection with the other callers' statements
      // once, instead of one after the other going back to the end of that queue. One group (the
      // usual case) needs no fiber of its own.
      if (groups.length === 1) yield* writeGroup(groups[0]!)
      else yield* Effect.forEach(groups, writeGroup, { concurrency: "unbounded", discard: true })
    }
  }).pipe(
    // Only a defect ends a round early: nobody is left waiting on a leader that is gone.
    Effect.onExit((exit) =>
      exit._tag === "Success" ? Effect.void : Effect.sync(() => {
        leading = false
        const stranded = [...current, ...queue]
        queue = []
        current = []
        for (const pending of stranded) Deferred.doneUnsafe(pending.done, Effect.die(new Error("the group statement stopped")))
      })
    ),
    Effect.uninterruptible
  )

  return (row: Row): Effect.Effect<A, SqlError.SqlError> =>
    Effect.gen(function*() {
      const deadline = (yield* Clock.currentTimeMillis) + (yield* DatabaseWait)
      const done = Deferred.makeUnsafe<A, SqlError.SqlError>()
      queue.push({ row, done, deadline })
      if (leading) return yield* Deferred.await(done)
      leading = true
      return yield* Effect.andThen(lead, Deferred.await(done))
    })
}
