/**
 * Which database a long-running runtime (Bun, Node) uses: Postgres when SWITCHBOARD_DATABASE_URL
 * is a `postgres://` (or `postgresql://`) URL, for several instances sharing one database;
 * otherwise the embedded SQLite file (SWITCHBOARD_DATABASE), the default. Either way the runtime
 * migrates at start: SQLite's migrations are idempotent, Postgres's run once under an advisory
 * lock, so instances starting together are safe.
 *
 * | env | meaning |
 * |---|---|
 * | SWITCHBOARD_DATABASE_URL | `postgres://user:password@host:5432/db`: Postgres instead of SQLite |
 * | SWITCHBOARD_DATABASE_POOL | connections each instance opens to Postgres (default 10) |
 */
import type { Layer } from "effect"
import type { SqlClient, SqlError } from "effect/sql"
import * as PgClient from "../../adapters/postgres/PgClient.ts"
import * as PgMigrate from "../../adapters/postgres/PgMigrate.ts"
import * as StoresPg from "../../adapters/postgres/StoresPg.ts"
import type { StorageEngine } from "./dependencies.ts"

export interface Database<E> {
  readonly sql: Layer.Layer<SqlClient.SqlClient, E | SqlError.SqlError>
  /** Absent: the SQL stores and migrations (SQLite). */
  readonly engine?: StorageEngine | undefined
  readonly kind: "postgres" | "sqlite"
}

export const DEFAULT_POOL = 10

/** The problem with the Postgres settings, if any (for preflight). */
export const databaseProblems = (env: Readonly<Record<string, string | undefined>>): ReadonlyArray<string> => {
  const lines: Array<string> = []
  const url = env["SWITCHBOARD_DATABASE_URL"]
  if (url !== undefined && url.trim() !== "" && !(PgClient.isPostgresUrl(url) && URL.canParse(url))) {
    lines.push("SWITCHBOARD_DATABASE_URL is invalid (not a postgres:// URL): postgres://user:password@host:5432/database, or unset for SQLite")
  }
  const pool = env["SWITCHBOARD_DATABASE_POOL"]
  if (pool !== undefined && !(/^\d+$/.test(pool) && Number(pool) >= 1)) {
    lines.push(`SWITCHBOARD_DATABASE_POOL is invalid (${JSON.stringify(pool)}): a whole number of connections, 1 or more (default ${DEFAULT_POOL})`)
  }
  return lines
}

/** Postgres when SWITCHBOARD_DATABASE_URL says so, else the SQLite layer the runtime brings. */
export const database = <E>(
  env: Readonly<Record<string, string | undefined>>,
  sqlite: () => Layer.Layer<SqlClient.SqlClient, E>
): Database<E> => {
  const url = env["SWITCHBOARD_DATABASE_URL"]
  if (url === undefined || url.trim() === "" || !PgClient.isPostgresUrl(url)) return { sql: sqlite(), kind: "sqlite" }
  const pool = env["SWITCHBOARD_DATABASE_POOL"]
  return {
    sql: PgClient.layer({ url, maxConnections: pool === undefined ? DEFAULT_POOL : Number(pool) }),
    engine: { stores: StoresPg.layer, migrations: PgMigrate.layer },
    kind: "postgres"
  }
}
