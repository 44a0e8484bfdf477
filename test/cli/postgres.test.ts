/**
 * The CLI's database commands on Postgres (`--database-url`, or SWITCHBOARD_DATABASE_URL as the
 * instances read it), on a private server for this file: `migrate` applies Postgres's own set
 * under the instances' lock; `tenants create` and `api-keys` work on its rows as on a SQLite
 * file; a password in the URL is never printed.
 */
import { createHash } from "node:crypto"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { migrations as postgresMigrations } from "../../adapters/postgres/migrations/index.ts"
import { startPostgres, type PostgresServer } from "../support/postgres.ts"
import { runCli, tempDir } from "./support.ts"

const folder = tempDir()
afterAll(() => folder.remove())

describe("the CLI on Postgres", () => {
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

  it("creates a tenant and manages its keys on Postgres, as on a SQLite file", async () => {
    const url = databaseUrl("cli_keys")
    const unmigrated = await runCli(["tenants", "create", "Acme", "--database-url", url], { cwd: folder.path })
    expect(unmigrated.code).toBe(1)
    expect(unmigrated.stderr).toContain("run switchboard migrate first")
    expect((await runCli(["migrate", "--database-url", url], { cwd: folder.path })).code).toBe(0)

    const created = await runCli(["tenants", "create", "Acme", "--database-url", url], { cwd: folder.path })
    expect(created.code).toBe(0)
    const tenant = /Tenant (ten_[\w-]+)/.exec(created.stderr)?.[1]
    if (tenant === undefined) throw new Error(`no tenant id in: ${created.stderr}`)
    const hashOf = (key: string) => createHash("sha256").update(key).digest("hex")
    expect(server!.psql("cli_keys", `SELECT count(*) FROM api_keys WHERE tenant_id = '${tenant}' AND hash = '${hashOf(created.stdout)}'`)).toBe("1")

    // api-keys --tenant reads SWITCHBOARD_DATABASE_URL as the instances do.
    const env = { SWITCHBOARD_DATABASE_URL: url }
    const issued = await runCli(["api-keys", "create", "--tenant", tenant, "--name", "deploy"], { cwd: folder.path, env })
    expect(issued.code).toBe(0)
    const listed = await runCli(["api-keys", "list", "--tenant", tenant], { cwd: folder.path, env })
    expect(listed.code).toBe(0)
    expect(listed.stdout).toContain("deploy")
    const id = server!.psql("cli_keys", `SELECT id FROM api_keys WHERE hash = '${hashOf(issued.stdout)}'`)
    const revoked = await runCli(["api-keys", "revoke", id, "--tenant", tenant], { cwd: folder.path, env })
    expect(revoked.code).toBe(0)
    expect(server!.psql("cli_keys", `SELECT revoked_at IS NOT NULL FROM api_keys WHERE id = '${id}'`)).toBe("t")
    for (const run of [unmigrated, created, issued, listed, revoked]) expect(`${run.stdout}${run.stderr}`).not.toContain("never-printed")
  })
})
