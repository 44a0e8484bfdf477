/**
 * `DatabaseHealth` for SQLite: takes the write lock (`BEGIN IMMEDIATE`, so a lock another process
 * holds is seen), reads the schema, and commits nothing. Bounded well under a second, whatever the
 * file does: a lock past the wait is `locked`, any other failure `unavailable`.
 */
import { Effect } from "effect"
import type { SqlClient } from "effect/sql"
import type { DatabaseState } from "../../kernel/store/DatabaseHealth.ts"
import { DatabaseWait } from "../../kernel/store/DatabaseWait.ts"
import { isLocked } from "./LockWait.ts"

/** For the connection and for the lock, each: the check answers within twice this. */
const CHECK_WAIT_MS = 300

export const healthCheck = (sql: SqlClient.SqlClient): Effect.Effect<DatabaseState> =>
  sql.withTransaction(sql`SELECT count(*) AS tables FROM sqlite_master`).pipe(
    Effect.as<DatabaseState>("ok"),
    Effect.catch((error) => Effect.succeed<DatabaseState>(isLocked(error) ? "locked" : "unavailable")),
    Effect.catchDefect(() => Effect.succeed<DatabaseState>("unavailable")),
    Effect.provideService(DatabaseWait, CHECK_WAIT_MS)
  )
