/**
 * `DatabaseHealth` on Postgres: one round trip that reads the schema, bounded well under a
 * second. Postgres has no file lock to meet, so a failure is `unavailable` (server down, pool
 * exhausted past the bound, schema missing), never `locked`.
 */
import { Duration, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { DatabaseHealth, type DatabaseState } from "../../kernel/store/DatabaseHealth.ts"

const CHECK_TIMEOUT = Duration.millis(800)

export const layer: Layer.Layer<DatabaseHealth, never, SqlClient.SqlClient> = Layer.effect(
  DatabaseHealth,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const check = sql`SELECT count(*) AS migrations FROM switchboard_migrations`.pipe(
      Effect.timeout(CHECK_TIMEOUT),
      Effect.as<DatabaseState>("ok"),
      Effect.catch(() => Effect.succeed<DatabaseState>("unavailable")),
      Effect.catchDefect(() => Effect.succeed<DatabaseState>("unavailable"))
    )
    return DatabaseHealth.of({ check })
  })
)
