/**
 * Bounded, asynchronous waiting for SQLite locks. The connection runs with `busy_timeout = 0`, so a
 * statement that meets another process's lock fails at once with SQLITE_BUSY (a `SqlError` whose
 * reason is `LockTimeoutError`) instead of sleeping inside the synchronous driver, which would
 * freeze the whole event loop. `untilUnlocked` retries such an attempt after short sleeps (the
 * event loop is free in between) until it succeeds, fails otherwise, or the wait runs out.
 */
import { Clock, Effect } from "effect"
import { SqlError } from "effect/sql"

/** A lock held by another process (SQLITE_BUSY) or another connection of ours (SQLITE_LOCKED). */
export const isLocked = (error: unknown): error is SqlError.SqlError =>
  SqlError.isSqlError(error) && error.reason._tag === "LockTimeoutError"

/** The error once the wait is over: still a `LockTimeoutError`, saying how long it waited. */
export const lockedError = (waitMs: number, cause: unknown) =>
  new SqlError.SqlError({
    reason: new SqlError.LockTimeoutError({
      cause,
      message: `the database stayed locked for the ${waitMs} ms this call may wait`,
      operation: "execute"
    })
  })

/** 2, 4, 8 ... ms, at most 50: a released lock is noticed within 50 ms. */
const pauseMs = (attempt: number) => Math.min(50, 2 ** (attempt + 1))

/**
 * Runs `attempt` (given the milliseconds left) until it is not locked or `waitMs` has passed.
 * Only for attempts that change nothing when they fail locked (a statement in autocommit mode,
 * a `BEGIN IMMEDIATE`), so running them again is safe.
 */
export const untilUnlocked = <A, E, R>(
  waitMs: number,
  attempt: (remainingMs: number) => Effect.Effect<A, E, R>
): Effect.Effect<A, E | SqlError.SqlError, R> =>
  Effect.flatMap(Clock.currentTimeMillis, (start) => {
    const deadline = start + waitMs
    const loop = (count: number, remainingMs: number): Effect.Effect<A, E | SqlError.SqlError, R> =>
      Effect.catchIf(attempt(remainingMs), isLocked, (error) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          const left = deadline - now
          if (left <= 0) return Effect.fail(lockedError(waitMs, error))
          const pause = Math.min(pauseMs(count), left)
          return Effect.andThen(Effect.sleep(pause), loop(count + 1, left - pause))
        }))
    return loop(0, waitMs)
  })

/** Bounds waiting for the shared connection: past `remainingMs`, the same error as a lock. */
export const boundedWait = <A, E, R>(remainingMs: number, effect: Effect.Effect<A, E, R>) =>
  Effect.timeoutOrElse(effect, {
    duration: Math.max(1, remainingMs),
    orElse: () => Effect.fail(lockedError(remainingMs, "the connection stayed busy with other statements"))
  })
