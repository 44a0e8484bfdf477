/**
 * Which database a long-running runtime (Bun, Deno, Node) uses: Postgres when SWITCHBOARD_DATABASE_URL
 * is a `postgres://` (or `postgresql://`) URL, for several instances sharing one database;
 * otherwise the embedded SQLite file (SWITCHBOARD_DATABASE), the default. Either way the runtime
 * migrates at start: SQLite's migrations are idempotent, Postgres's run once under an advisory
 * lock, so instances starting together are safe. Settings: `./databaseSettings.ts`.
 */
import type { Layer } from "effect"
import type { SqlClient, SqlError } from "effect/sql"
import * as PgClient from "../../adapters/postgres/PgClient.ts"
import * as PgMigrate from "../../adapters/postgres/PgMigrate.ts"
import * as StoresPg from "../../adapters/postgres/StoresPg.ts"
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
  return {
    sql: PgClient.layer({ url, maxConnections: poolSize(env) }),
    engine: { stores: StoresPg.layer, migrations: PgMigrate.layer }
  }
}
