/**
 * `GET /health`: 200 `{ ok: true }` while the database (when the storage adapter can tell, see
 * `DatabaseHealth`) can be read and written; otherwise 503
 * `{ ok: false, status: "degraded", database: "locked" | "unavailable" }` with `Retry-After`.
 * Always answered within a second, whatever the database does.
 */
import { Effect, Layer, Option } from "effect"
import { type DatabaseState, DatabaseHealth } from "../store/DatabaseHealth.ts"
import { json, STORAGE_RETRY_AFTER_SECONDS } from "./Respond.ts"
import { route } from "./Route.ts"

/** The check bounds itself; this is the backstop that keeps the answer under a second. */
const HEALTH_DEADLINE_MS = 900

const answer = (state: DatabaseState) =>
  state === "ok"
    ? json(200, { ok: true })
    : json(503, { ok: false, status: "degraded", database: state }, {
      "retry-after": String(STORAGE_RETRY_AFTER_SECONDS)
    })

export const HealthRoutes = Layer.unwrap(Effect.map(Effect.serviceOption(DatabaseHealth), (database) =>
  route(
    "GET",
    "/health",
    Option.match(database, {
      onNone: () => Effect.succeed(answer("ok")),
      onSome: ({ check }) =>
        check.pipe(
          Effect.timeoutOrElse({ duration: HEALTH_DEADLINE_MS, orElse: () => Effect.succeed<DatabaseState>("locked") }),
          Effect.map(answer)
        )
    })
  )))
