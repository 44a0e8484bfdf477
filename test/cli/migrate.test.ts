/** `switchboard migrate`: a SQLite file gets the schema once; D1 gets the wrangler command (Postgres: postgres.test.ts). */
import { join } from "node:path"
import Database from "better-sqlite3"
import { afterAll, describe, expect, it } from "vitest"
import { migrations } from "../../adapters/sql/migrations/index.ts"
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

