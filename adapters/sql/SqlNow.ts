/**
 * Statements run in place on a synchronous SQL connection (`adapters/sqlite`), for the reads a
 * hot path makes on every request (a tool call's session read): the SQLite engine answers such a
 * read in microseconds, while the same statement through the Effect `SqlClient` costs a lease, a
 * span, a compile and their fibers, most of its time in the app (bench/toolcall.ts).
 *
 * Only a synchronous engine provides it; D1 and Postgres leave it `undefined`. A store using it
 * keeps its `SqlClient` statement for everything else: when it is absent, when the connection is
 * held or awaited (`undefined`: the statement would be swept into a transaction in flight), and
 * when the database throws (another process's lock, which the client waits for within the
 * fiber's `DatabaseWait`).
 */
import { Context } from "effect"
import type { Exclusive } from "./stores/IngestNowSql.ts"

export const SqlNow = Context.Reference<Exclusive | undefined>("switchboard/sql/SqlNow", {
  defaultValue: () => undefined
})

/** The rows of `text` read in place, or `undefined` when the caller should use its `SqlClient`. */
export const readNow = (
  now: Exclusive | undefined,
  text: string,
  params: ReadonlyArray<string | number | null>
): ReadonlyArray<unknown> | undefined => {
  if (now === undefined) return undefined
  try {
    return now((run) => run(text, params))
  } catch {
    // The client's statement meets the same error and answers it (waits out a lock, or fails typed).
    return undefined
  }
}
