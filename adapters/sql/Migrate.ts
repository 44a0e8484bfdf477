/**
 * Applies the pending migrations of `migrations/index.ts` over any `SqlClient` (SQLite or D1),
 * recording each in `switchboard_migrations`.
 *
 * No transaction is used: D1 has none, so the statements of a migration run one by one, in
 * order, and every migration must be idempotent (IF NOT EXISTS ...; an ADD COLUMN whose column
 * exists is skipped). A run interrupted half way, or two processes migrating at once, then
 * converge on the same schema. Not supported: down migrations, and statements containing `;`
 * inside a body (triggers).
 */
import { Clock, Effect, Layer, Schema } from "effect"
import { SqlClient, type SqlError } from "effect/sql"
import type { StoreError } from "../../kernel/domain/Errors.ts"
import { type Migration, migrations } from "./migrations/index.ts"
import { storeOperation } from "./stores/SqlRows.ts"

/**
 * Splits a migration into statements on `;`, ignoring those inside quotes and comments. Drivers
 * prepare one statement at a time (better-sqlite3 and D1 refuse several), so the split is ours.
 */
export const splitStatements = (sql: string): ReadonlyArray<string> => {
  const statements: Array<string> = []
  let current = ""
  let index = 0
  const flush = () => {
    const statement = current.trim()
    if (statement.length > 0) statements.push(statement)
    current = ""
  }
  while (index < sql.length) {
    const char = sql[index]!
    const next = sql[index + 1]
    if (char === "-" && next === "-") {
      const end = sql.indexOf("\n", index)
      index = end === -1 ? sql.length : end + 1
      current += "\n"
    } else if (char === "/" && next === "*") {
      const end = sql.indexOf("*/", index + 2)
      index = end === -1 ? sql.length : end + 2
      current += " "
    } else if (char === "'" || char === "\"" || char === "`") {
      // A quoted string or identifier; a doubled quote inside it is an escaped quote.
      let end = index + 1
      while (end < sql.length && !(sql[end] === char && sql[end + 1] !== char)) {
        end += sql[end] === char ? 2 : 1
      }
      current += sql.slice(index, end + 1)
      index = end + 1
    } else if (char === ";") {
      flush()
      index += 1
    } else {
      current += char
      index += 1
    }
  }
  flush()
  return statements
}

const AppliedRow = Schema.Struct({ id: Schema.Number })

const addColumn = /^ALTER\s+TABLE\s+\S+\s+ADD\s+(COLUMN\s+)?/i

/**
 * SQLite (and D1) have no `ADD COLUMN IF NOT EXISTS`: an ADD COLUMN failing because the column is
 * there means a run interrupted after it added the column, so the statement counts as applied.
 */
const alreadyApplied = (statement: string, error: SqlError.SqlError): boolean => {
  const cause = error.reason.cause
  const text = `${error.message} ${cause instanceof Error ? cause.message : String(cause)}`
  return addColumn.test(statement) && /duplicate column/i.test(text)
}

/** Applies those of `list` not yet recorded, in id order; returns the ones it applied. */
export const applyMigrations = (
  list: ReadonlyArray<Migration>
): Effect.Effect<ReadonlyArray<Migration>, StoreError, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const read = sql`SELECT id FROM switchboard_migrations`.pipe(
      Effect.flatMap(Schema.decodeUnknownEffect(Schema.Array(AppliedRow))),
      storeOperation("Migrate.read")
    )
    // The usual start, on a database migrated before: one read. Only when it fails (a new
    // database, without the table) is the table made, and read again.
    const rows = yield* read.pipe(Effect.catch(() =>
      sql`CREATE TABLE IF NOT EXISTS switchboard_migrations (
        id INTEGER NOT NULL PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at INTEGER NOT NULL
      )`.pipe(storeOperation("Migrate.init"), Effect.andThen(read))
    ))
    const applied = new Set(rows.map((row) => row.id))
    const pending = [...list].sort((a, b) => a.id - b.id).filter((migration) => !applied.has(migration.id))
    for (const migration of pending) {
      const operation = `Migrate.${String(migration.id).padStart(4, "0")}_${migration.name}`
      for (const statement of splitStatements(migration.sql)) {
        yield* sql.unsafe(statement).pipe(
          Effect.catchIf((error) => alreadyApplied(statement, error), () => Effect.succeed([])),
          storeOperation(operation)
        )
      }
      const now = yield* Clock.currentTimeMillis
      yield* sql`INSERT INTO switchboard_migrations (id, name, applied_at)
        VALUES (${migration.id}, ${migration.name}, ${now})
        ON CONFLICT (id) DO NOTHING`.pipe(storeOperation(operation))
    }
    return pending
  }).pipe(Effect.withSpan("Migrate.applyMigrations"))

/** Applies Switchboard's pending migrations. */
export const migrate: Effect.Effect<ReadonlyArray<Migration>, StoreError, SqlClient.SqlClient> = applyMigrations(
  migrations
)

/** Migrates when built: put it between the SqlClient layer and the stores. */
export const layer: Layer.Layer<never, StoreError, SqlClient.SqlClient> = Layer.effectDiscard(migrate)
