/**
 * Whether the database can be read and written right now, for `GET /health`. Optional: a storage
 * adapter that can meet a lock or lose its file (embedded SQLite) provides it; without it the
 * health check reports the process alone. A check answers within the request wait
 * (`DatabaseWait`) and never fails: what goes wrong is its answer.
 */
import { Context, type Effect } from "effect"

/** `locked`: another process holds the write lock past the wait; `unavailable`: anything else. */
export type DatabaseState = "ok" | "locked" | "unavailable"

export class DatabaseHealth extends Context.Service<DatabaseHealth, {
  readonly check: Effect.Effect<DatabaseState>
}>()("switchboard/store/DatabaseHealth") {}
