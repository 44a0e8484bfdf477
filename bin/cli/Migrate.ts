/**
 * `switchboard migrate`: applies Switchboard's pending migrations to a SQLite file (the same set
 * the Bun, Deno and Node runtimes apply at start), to a Postgres database (its own set, as an
 * instance applies it at start: in one transaction under the advisory lock, so a deploy job can
 * migrate ahead of the instances, or beside them), or prints the wrangler command for D1, where
 * wrangler applies the same files from `adapters/sql/migrations`.
 */
import { migrations as postgresMigrations } from "../../adapters/postgres/migrations/index.ts"
import { migrations } from "../../adapters/sql/migrations/index.ts"
import * as Migrate from "../../adapters/sql/Migrate.ts"
import { isPostgresUrl } from "../../runtimes/shared/databaseSettings.ts"
import { type Command, parse, text } from "./Command.ts"
import { d1Target, databaseFile, runOnDatabase, sqlite } from "./Database.ts"
import { CliFailure, done, type Io, step } from "./Io.ts"

const help = `Usage: switchboard migrate [options]

Applies the pending migrations to a SQLite file or a Postgres database, or prints the D1 command.

Options:
  --database <file>       the SQLite file (default $SWITCHBOARD_DATABASE or .data/switchboard.sqlite);
                          created when missing
  --database-url <url>    a Postgres database, postgres://user:password@host:5432/database
                          (default $SWITCHBOARD_DATABASE_URL when --database is not given, as the
                          instances read it); safe beside running instances
  --d1                    print the wrangler command for the D1 database instead
  --remote                with --d1: the deployed database (default: wrangler's local one)`

const options = {
  database: { type: "string" },
  "database-url": { type: "string" },
  d1: { type: "boolean" },
  remote: { type: "boolean" }
} as const

/** Where the URL points, without its password (the log of a deploy job is not a secret store). */
const shown = (url: URL) => `${url.protocol}//${url.username === "" ? "" : `${decodeURIComponent(url.username)}@`}${url.host}${url.pathname}`

const migratePostgres = async (io: Io, url: string) => {
  if (!isPostgresUrl(url) || !URL.canParse(url)) {
    throw new CliFailure("--database-url (or SWITCHBOARD_DATABASE_URL) is not a postgres:// URL: postgres://user:password@host:5432/database")
  }
  const where = shown(new URL(url))
  step(io, `Migrating ${where}`)
  // Loaded here: the Postgres client is no cost to the commands that never use it.
  const [PgClient, PgMigrate] = await Promise.all([import("../../adapters/postgres/PgClient.ts"), import("../../adapters/postgres/PgMigrate.ts")])
  const applied = await runOnDatabase(PgClient.layer({ url, maxConnections: 1 }), PgMigrate.migrate)
  for (const migration of applied) io.out(`applied ${nameOf(migration)}`)
  done(io, applied.length === 0
    ? `${where} is up to date (${postgresMigrations.length} migration${postgresMigrations.length === 1 ? "" : "s"})`
    : `Applied ${applied.length} of ${postgresMigrations.length} migrations to ${where}`)
}

const nameOf = (migration: { readonly id: number; readonly name: string }) => `${String(migration.id).padStart(4, "0")}_${migration.name}`

export const migrate: Command = {
  words: ["migrate"],
  summary: "apply migrations to a SQLite file or a Postgres database, or print the D1 command",
  help,
  run: async (args, io) => {
    const { values } = parse("migrate", args, options)
    if (values.d1 === true) {
      io.out(`npx wrangler d1 migrations apply DB ${d1Target(values.remote === true)}`)
      step(io, `Run it in the repository: wrangler applies adapters/sql/migrations (${migrations.length} migration${migrations.length === 1 ? "" : "s"}) to the DB binding of wrangler.toml`)
      return
    }
    const url = text(values["database-url"]) ?? (values.database === undefined ? io.env["SWITCHBOARD_DATABASE_URL"]?.trim() : undefined)
    if (url !== undefined && url !== "") return migratePostgres(io, url)
    const file = databaseFile(io, text(values.database))
    step(io, `Migrating ${file}`)
    const applied = await runOnDatabase(sqlite(file, { create: true }), Migrate.migrate)
    for (const migration of applied) io.out(`applied ${nameOf(migration)}`)
    done(io, applied.length === 0
      ? `${file} is up to date (${migrations.length} migration${migrations.length === 1 ? "" : "s"})`
      : `Applied ${applied.length} of ${migrations.length} migrations to ${file}`)
  }
}
