/** `switchboard migrate`: a SQLite file or a Postgres database gets the schema once; D1 gets the wrangler command. */
import { join } from "node:path"
import Database from "better-sqlite3"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { migrations as postgresMigrations } from "../../adapters/postgres/migrations/index.ts"
import { migrations } from "../../adapters/sql/migrations/index.ts"
import { startPostgres, type PostgresServer } from "../support/postgres.ts"
import { runCli, tempDir } from "./support.ts"

const folder = tempDir()
afterAll(() => folder.remove())

describe("switchboard migrate", () => {
  it("creates and migrates a SQLite file, then finds it up to date", async () => {
    const file = join(folder.path, "nested", "switchboard.sqlite")
    const first = await runCli(["migrate", "--database", file], { cwd: folder.path })
    expect(first.code).toBe(0)
    expect(first.out).toEqual(migrations.map((migration) => `applied ${String(migration.id).padStart(4, "0")}_${migration.name}`))
    const db = new Database(file, { readonly: true })
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((row) => (row as { name: string }).name)
    db.close()
    expect(tables).toEqual(expect.arrayContaining(["tenants", "api_keys", "installations", "publications", "webhook_events", "outbox"]))

    const second = await runCli(["migrate", "--database", file], { cwd: folder.path })
    expect(second.code).toBe(0)
    expect(second.out).toEqual([])
    expect(second.stderr).toContain("is up to date")
  })

  it("uses SWITCHBOARD_DATABASE, relative to the working folder", async () => {
    const result = await runCli(["migrate"], { cwd: folder.path, env: { SWITCHBOARD_DATABASE: "env.sqlite" } })
    expect(result.code).toBe(0)
    expect(result.stderr).toContain(join(folder.path, "env.sqlite"))
  })

  it("prints the D1 command, local by default and remote on request", async () => {
    const local = await runCli(["migrate", "--d1"], { cwd: folder.path })
    expect(local.stdout).toBe("npx wrangler d1 migrations apply DB --local")
    const remote = await runCli(["migrate", "--d1", "--remote"], { cwd: folder.path })
    expect(remote.stdout).toBe("npx wrangler d1 migrations apply DB --remote")
  })

  it("explains a file it cannot open", async () => {
    const result = await runCli(["migrate", "--database", join(folder.path, "nested", "switchboard.sqlite", "inside")], { cwd: folder.path })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/✗ /)
  })
})

describe("switchboard migrate on Postgres", () => {
  let server: PostgresServer | undefined
  beforeAll(async () => {
    server = await startPostgres()
  }, 60_000)
  afterAll(() => server?.stop())

  /** The server's URL for a new database, with a password in it (trust auth never asks for it). */
  const databaseUrl = (name: string) => {
    const url = new URL(server!.createDatabase(name))
    url.password = "never-printed"
    return url.href
  }

  it("migrates with --database-url, then finds it up to date; the password is never printed", async () => {
    const url = databaseUrl("cli_flag")
    const first = await runCli(["migrate", "--database-url", url], { cwd: folder.path })
    expect(first.code).toBe(0)
    expect(first.out).toEqual(postgresMigrations.map((migration) => `applied ${String(migration.id).padStart(4, "0")}_${migration.name}`))
    expect(server!.psql("cli_flag", "SELECT count(*) FROM switchboard_migrations")).toBe(String(postgresMigrations.length))
    const second = await runCli(["migrate", "--database-url", url], { cwd: folder.path })
    expect(second.code).toBe(0)
    expect(second.out).toEqual([])
    expect(second.stderr).toContain("cli_flag is up to date")
    for (const run of [first, second]) expect(`${run.stdout}${run.stderr}`).not.toContain("never-printed")
  })

  it("reads SWITCHBOARD_DATABASE_URL as the instances do, unless --database names a SQLite file", async () => {
    const env = { SWITCHBOARD_DATABASE_URL: databaseUrl("cli_env") }
    const fromEnv = await runCli(["migrate"], { cwd: folder.path, env })
    expect(fromEnv.code).toBe(0)
    expect(fromEnv.out).toHaveLength(postgresMigrations.length)
    const file = await runCli(["migrate", "--database", "beside.sqlite"], { cwd: folder.path, env })
    expect(file.code).toBe(0)
    expect(file.stderr).toContain(join(folder.path, "beside.sqlite"))
  })

  it("refuses a URL that is not Postgres's, and explains a server that does not answer", async () => {
    const wrong = await runCli(["migrate", "--database-url", "mysql://db.internal/switchboard"], { cwd: folder.path })
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain("is not a postgres:// URL")
    const down = await runCli(["migrate", "--database-url", "postgres://postgres:pw@127.0.0.1:9/nothing"], { cwd: folder.path })
    expect(down.code).toBe(1)
    expect(down.stderr).toMatch(/✗ The database refused/)
    expect(down.stderr).not.toContain(":pw@")
  }, 30_000)
})
