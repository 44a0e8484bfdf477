/**
 * How long a database call made by the current fiber may wait for a lock another process holds
 * (an embedded SQLite file shared with a CLI, a backup, a second instance). Storage adapters that
 * can meet such a lock read it per call and wait asynchronously, never blocking the event loop;
 * past it the call fails (a `StoreError`, answered 503 with `Retry-After`).
 *
 * Request paths keep the default: a vendor's deadline (Slack's is 3 s) must be met with an answer,
 * even a 503 it retries. Background work (dispatch, the outbox poller) runs under `background`:
 * nobody waits on it, and giving up early there only means doing the work again later.
 */
import { Context, Effect } from "effect"

/** The wait of a request path: under a second with room for the rest of the request. */
export const REQUEST_WAIT_MS = 500
/** The wait of background work. */
export const BACKGROUND_WAIT_MS = 30_000

/** Milliseconds the current fiber's database calls may wait for a lock. */
export const DatabaseWait = Context.Reference<number>("switchboard/store/DatabaseWait", {
  defaultValue: () => REQUEST_WAIT_MS
})

/** Runs background work with the longer wait. */
export const inBackground = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.provideService(effect, DatabaseWait, BACKGROUND_WAIT_MS)
