/** Conformance cases for `Migrate`: recorded once, idempotent, statements split as wrangler would run them. */
import { Effect, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { applyMigrations, migrate, splitStatements } from "../../../adapters/sql/Migrate.ts"
import { migrations } from "../../../adapters/sql/migrations/index.ts"
import { expectEqual, expectTrue, type StoreCase } from "../fixtures.ts"

const Names = Schema.Array(Schema.Struct({ name: Schema.String }))
const Applied = Schema.Array(Schema.Struct({ id: Schema.Number, name: Schema.String }))

/** These read SQLite's catalogue and list; Postgres has its own (cases/postgres.ts). */
const sqliteAndD1 = ["sqlite", "d1"] as const

export const migrateCases: ReadonlyArray<StoreCase> = [
  {
    name: "Migrate: every migration recorded once; running again applies nothing",
    engines: sqliteAndD1,
    body: Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* expectEqual(yield* migrate, [], "a second run")
      const applied = yield* Schema.decodeUnknownEffect(Applied)(
        yield* sql`SELECT id, name FROM switchboard_migrations ORDER BY id`
      )
      yield* expectEqual(applied, migrations.map(({ id, name }) => ({ id, name })), "switchboard_migrations")
      const tables = yield* Schema.decodeUnknownEffect(Names)(
        yield* sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN
          ('tenants', 'api_keys', 'installations', 'oauth_state', 'publications', 'webhook_events',
           'session_bindings', 'outbox', 'app_registrations') ORDER BY name`
      )
      yield* expectEqual(tables.length, 9, "tables")
    })
  },
  {
    name: "Migrate: a migration interrupted half way runs again cleanly (idempotent statements)",
    engines: sqliteAndD1,
    body: Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      // Forget that 0001 ran, as if the process died before recording it, and run it again.
      yield* sql`DELETE FROM switchboard_migrations WHERE id = 1`
      const again = yield* applyMigrations(migrations)
      yield* expectEqual(again.map((migration) => migration.id), [1], "re-applied")
      yield* expectTrue(splitStatements(migrations[0]!.sql).length >= 10, "0001 splits into its statements")
      yield* expectEqual(
        splitStatements("CREATE TABLE a (b TEXT DEFAULT 'x;y'); -- c; d\n/* e; */ SELECT \"f;\";"),
        ["CREATE TABLE a (b TEXT DEFAULT 'x;y')", "SELECT \"f;\""],
        "quotes and comments"
      )
    })
  }
]
