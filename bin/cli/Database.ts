/**
 * The SQLite file commands work on (`--database`, SWITCHBOARD_DATABASE, or the default
 * `.data/switchboard.sqlite`), opened with better-sqlite3 as the Node runtime does, and the
 * statements to run on D1 when the database is there instead (wrangler applies them).
 */
import { existsSync, mkdirSync } from "node:fs"
import { dirname, isAbsolute, join } from "node:path"
import { Effect, Layer } from "effect"
import type { SqlClient } from "effect/sql"
import * as BetterSqlite3 from "../../adapters/sqlite/drivers/better-sqlite3.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
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

/** Runs a program over the database (a SQLite file, or Postgres for `migrate`); failures become a readable `CliFailure`. */
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
