/**
 * Which database a long-running runtime (Bun, Deno, Node) uses: Postgres when SWITCHBOARD_DATABASE_URL
 * is a `postgres://` (or `postgresql://`) URL, for several instances sharing one database;
 * otherwise the embedded SQLite file (SWITCHBOARD_DATABASE), the default. Either way the runtime
 * migrates at start: SQLite's migrations are idempotent, Postgres's run once under an advisory
 * lock, so instances starting together are safe. Settings: `./databaseSettings.ts`.
 * The Postgres modules (its client library, about 90 KB minified) are imported only when
 * Postgres is chosen: a SQLite start neither parses nor evaluates them.
 */
import { Effect, Layer } from "effect"
import type { SqlClient, SqlError } from "effect/sql"
import { poolSize, postgresUrl } from "./databaseSettings.ts"
import type { StorageEngine } from "./dependencies.ts"

export interface Database<E> {
  readonly sql: Layer.Layer<SqlClient.SqlClient, E | SqlError.SqlError>
  /** Absent: the SQL stores and migrations (SQLite). */
  readonly engine?: StorageEngine | undefined
}

/** Postgres when SWITCHBOARD_DATABASE_URL says so, else the SQLite layer the runtime brings. */
export const database = <E>(
  env: Readonly<Record<string, string | undefined>>,
  sqlite: () => Layer.Layer<SqlClient.SqlClient, E>
): Database<E> => {
  const url = postgresUrl(env)
  if (url === undefined) return { sql: sqlite() }
  const maxConnections = poolSize(env)
  return {
    sql: Layer.unwrap(Effect.promise(() => import("../../adapters/postgres/PgClient.ts")).pipe(
      Effect.map((PgClient) => PgClient.layer({ url, maxConnections }))
    )),
    engine: {
      stores: Layer.unwrap(Effect.promise(() => import("../../adapters/postgres/StoresPg.ts")).pipe(Effect.map((StoresPg) => StoresPg.layer))),
      migrations: Layer.unwrap(Effect.promise(() => import("../../adapters/postgres/PgMigrate.ts")).pipe(Effect.map((PgMigrate) => PgMigrate.layer)))
    }
  }
}
