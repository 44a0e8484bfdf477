/**
 * `DatabaseHealth` for SQLite: takes the write lock (`BEGIN IMMEDIATE`, so a lock another process
 * holds is seen), reads the schema, and rolls back. Borrowed like a statement, so the connection
 * is free for requests between attempts (a transaction would hold it while waiting at BEGIN).
 * Bounded well under a second: a lock past the wait is `locked`, any other failure `unavailable`.
 */
import { Effect } from "effect"
import type { SqlConnection } from "effect/sql"
import type { DatabaseState } from "../../kernel/store/DatabaseHealth.ts"
import { DatabaseWait } from "../../kernel/store/DatabaseWait.ts"
import { isLocked } from "./LockWait.ts"

/** The check answers within about this, plus one statement. */
const CHECK_WAIT_MS = 300

const probe = (connection: SqlConnection.Connection) =>
  Effect.andThen(
    connection.executeUnprepared("BEGIN IMMEDIATE", [], undefined),
    connection.executeUnprepared("SELECT count(*) AS tables FROM sqlite_master", [], undefined).pipe(
      Effect.ensuring(Effect.ignore(connection.executeUnprepared("ROLLBACK", [], undefined)))
    )
  )

export const healthCheck = (borrower: SqlConnection.Borrower): Effect.Effect<DatabaseState> =>
  borrower(probe).pipe(
    Effect.as<DatabaseState>("ok"),
    Effect.catch((error) => Effect.succeed<DatabaseState>(isLocked(error) ? "locked" : "unavailable")),
    Effect.catchDefect(() => Effect.succeed<DatabaseState>("unavailable")),
    Effect.provideService(DatabaseWait, CHECK_WAIT_MS)
  )
