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
import { type Command, parse } from "./Command.ts"
import { d1Target, databaseOptions, databaseTarget, runOnDatabase } from "./Database.ts"
import { done, step } from "./Io.ts"

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

const options = { ...databaseOptions, d1: { type: "boolean" }, remote: { type: "boolean" } } as const

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
    const target = await databaseTarget(io, values, { create: true })
    step(io, `Migrating ${target.where}`)
    // Postgres has its own set, applied as an instance applies it at start (under the advisory lock).
    const [set, program] = target.postgres
      ? [postgresMigrations, (await import("../../adapters/postgres/PgMigrate.ts")).migrate]
      : [migrations, Migrate.migrate]
    const applied = await runOnDatabase(target.layer, program)
    for (const migration of applied) io.out(`applied ${nameOf(migration)}`)
    done(io, applied.length === 0
      ? `${target.where} is up to date (${set.length} migration${set.length === 1 ? "" : "s"})`
      : `Applied ${applied.length} of ${set.length} migrations to ${target.where}`)
  }
}
