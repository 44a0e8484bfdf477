/**
 * The database commands work on: a SQLite file (`--database`, SWITCHBOARD_DATABASE, or the
 * default `.data/switchboard.sqlite`), opened with better-sqlite3 as the Node runtime does; a
 * Postgres database (`--database-url`, or SWITCHBOARD_DATABASE_URL as the instances read it); and
 * the statements to run on D1 when the database is there instead (wrangler applies them).
 */
import { existsSync, mkdirSync } from "node:fs"
import { dirname, isAbsolute, join } from "node:path"
import { Effect, Layer } from "effect"
import type { SqlClient } from "effect/sql"
import * as BetterSqlite3 from "../../adapters/sqlite/drivers/better-sqlite3.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import { isPostgresUrl } from "../../runtimes/shared/databaseSettings.ts"
import { text } from "./Command.ts"
import { CliFailure, type Io } from "./Io.ts"

export const databaseFile = (io: Io, flag: string | undefined): string => {
  const file = flag ?? io.env["SWITCHBOARD_DATABASE"] ?? join(".data", "switchboard.sqlite")
  return isAbsolute(file) ? file : join(io.cwd, file)
}

export const sqlite = (file: string, options: { readonly create: boolean }): Layer.Layer<SqlClient.SqlClient, unknown> => {
  if (!options.create && !existsSync(file)) {
    throw new CliFailure(`No database at ${file}: pass --database, or create it with: switchboard migrate --database ${file}`)
  }
  mkdirSync(dirname(file), { recursive: true })
  return SqliteClient.layer(BetterSqlite3.driver, { filename: file })
}

/** A database a command works on, and how to name it in what the command prints (never a password). */
export interface DatabaseTarget {
  readonly layer: Layer.Layer<SqlClient.SqlClient, unknown>
  readonly where: string
  readonly postgres: boolean
}

/** The options that name a database, shared by every command that works on one. */
export const databaseOptions = { database: { type: "string" }, "database-url": { type: "string" } } as const

export const databaseHelp = `  --database <file>      the SQLite file (default $SWITCHBOARD_DATABASE or .data/switchboard.sqlite)
  --database-url <url>   a Postgres database instead, postgres://user:password@host:5432/database
                         (default $SWITCHBOARD_DATABASE_URL when --database is not given)`

/** Where a Postgres URL points, without its password (a deploy job's log is not a secret store). */
const shown = (url: URL) => `${url.protocol}//${url.username === "" ? "" : `${decodeURIComponent(url.username)}@`}${url.host}${url.pathname}`

/** The parsed values of `databaseOptions`. */
type DatabaseFlags = { readonly database?: string | undefined; readonly "database-url"?: string | undefined }

/** Whether the command line names a database (`--database` or `--database-url`). */
export const namesDatabase = (flags: DatabaseFlags): boolean =>
  text(flags.database) !== undefined || text(flags["database-url"]) !== undefined

/**
 * The database of `--database-url`, or of SWITCHBOARD_DATABASE_URL when `--database` is not given
 * (as the instances choose), else the SQLite file of `--database`. The Postgres client is loaded
 * only then.
 */
export const databaseTarget = async (io: Io, flags: DatabaseFlags, options: { readonly create: boolean }): Promise<DatabaseTarget> => {
  const database = text(flags.database)
  const url = text(flags["database-url"]) ?? (database === undefined ? io.env["SWITCHBOARD_DATABASE_URL"]?.trim() : undefined)
  if (url === undefined || url === "") {
    const file = databaseFile(io, database)
    return { layer: sqlite(file, options), where: file, postgres: false }
  }
  if (!isPostgresUrl(url) || !URL.canParse(url)) {
    throw new CliFailure("--database-url (or SWITCHBOARD_DATABASE_URL) is not a postgres:// URL: postgres://user:password@host:5432/database")
  }
  const PgClient = await import("../../adapters/postgres/PgClient.ts")
  return { layer: PgClient.layer({ url, maxConnections: 1 }), where: shown(new URL(url)), postgres: true }
}

/** Runs a program over the database; failures become a readable `CliFailure`. */
export const runOnDatabase = <A, E>(
  layer: Layer.Layer<SqlClient.SqlClient, unknown>,
  program: Effect.Effect<A, E, SqlClient.SqlClient>
): Promise<A> =>
  Effect.runPromise(Effect.scoped(program.pipe(Effect.provide(layer)))).catch((cause: unknown) => {
    if (cause instanceof CliFailure) throw cause
    const message = cause instanceof Error ? cause.message : String(cause)
    throw new CliFailure(`The database refused: ${message}`)
  })

/** A SQL literal for statements printed for D1: strings quoted, numbers as is, null as NULL. */
export const literal = (value: string | number | null): string =>
  value === null ? "NULL" : typeof value === "number" ? String(value) : `'${value.replace(/'/g, "''")}'`

export const insertStatement = (table: string, row: Readonly<Record<string, string | number | null>>): string =>
  `INSERT INTO ${table} (${Object.keys(row).join(", ")}) VALUES (${Object.values(row).map(literal).join(", ")});`

export const d1Target = (remote: boolean) => (remote ? "--remote" : "--local")
