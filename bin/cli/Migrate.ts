/**
 * `switchboard migrate`: applies Switchboard's pending migrations to a SQLite file (the same set
 * the Bun, Deno and Node runtimes apply at start), or prints the wrangler command for D1, where
 * wrangler applies the same files from `adapters/sql/migrations`.
 */
import { migrations } from "../../adapters/sql/migrations/index.ts"
import * as Migrate from "../../adapters/sql/Migrate.ts"
import { type Command, parse, text } from "./Command.ts"
import { d1Target, databaseFile, runOnSqlite, sqlite } from "./Database.ts"
import { done, step } from "./Io.ts"

const help = `Usage: switchboard migrate [options]

Applies the pending migrations to a SQLite file, or prints the D1 command.

Options:
  --database <file>   the SQLite file (default $SWITCHBOARD_DATABASE or .data/switchboard.sqlite);
                      created when missing
  --d1                print the wrangler command for the D1 database instead
  --remote            with --d1: the deployed database (default: wrangler's local one)`

const options = { database: { type: "string" }, d1: { type: "boolean" }, remote: { type: "boolean" } } as const

const nameOf = (migration: { readonly id: number; readonly name: string }) => `${String(migration.id).padStart(4, "0")}_${migration.name}`

export const migrate: Command = {
  words: ["migrate"],
  summary: "apply migrations to a SQLite file, or print the D1 command",
  help,
  run: async (args, io) => {
    const { values } = parse("migrate", args, options)
    if (values.d1 === true) {
      io.out(`npx wrangler d1 migrations apply DB ${d1Target(values.remote === true)}`)
      step(io, `Run it in the repository: wrangler applies adapters/sql/migrations (${migrations.length} migration${migrations.length === 1 ? "" : "s"}) to the DB binding of wrangler.toml`)
      return
    }
    const file = databaseFile(io, text(values.database))
    step(io, `Migrating ${file}`)
    const applied = await runOnSqlite(sqlite(file, { create: true }), Migrate.migrate)
    for (const migration of applied) io.out(`applied ${nameOf(migration)}`)
    done(io, applied.length === 0
      ? `${file} is up to date (${migrations.length} migration${migrations.length === 1 ? "" : "s"})`
      : `Applied ${applied.length} of ${migrations.length} migrations to ${file}`)
  }
}
