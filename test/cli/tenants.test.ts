/**
 * `switchboard tenants create` and `switchboard api-keys create`: over HTTP with the admin token,
 * into a SQLite file, and as SQL for D1; every key printed is one the kernel accepts.
 */
import { createHash } from "node:crypto"
import { join } from "node:path"
import Database from "better-sqlite3"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { PUBLIC_URL, startTestKernel, type TestKernel } from "../support/kernel.ts"
import { runCli, tempDir } from "./support.ts"

const folder = tempDir()
const file = join(folder.path, "switchboard.sqlite")
let kernel: TestKernel
beforeAll(async () => {
  kernel = await startTestKernel()
  await runCli(["migrate", "--database", file], { cwd: folder.path })
})
afterAll(async () => {
  await kernel.close()
  folder.remove()
})

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex")
const inProcess = (input: string | URL, init?: RequestInit) => kernel.app.fetch(new Request(input, init))

const keyRow = (apiKey: string) => {
  const db = new Database(file, { readonly: true })
  const row = db.prepare("SELECT tenant_id, name FROM api_keys WHERE hash = ?").get(sha256(apiKey)) as { tenant_id: string; name: string } | undefined
  db.close()
  return row
}

describe("switchboard tenants create", () => {
  it("creates a tenant over HTTP with the admin token; its key works", async () => {
    const result = await runCli(["tenants", "create", "Acme", "Inc", "--url", PUBLIC_URL], {
      cwd: folder.path,
      env: { SWITCHBOARD_ADMIN_TOKEN: kernel.secrets.admin },
      fetch: inProcess
    })
    expect(result.code).toBe(0)
    const apiKey = result.stdout
    expect(apiKey).toMatch(/^sbk_/)
    expect(result.stderr).toContain('("Acme Inc")')
    expect((await kernel.request("/v1/installations", { apiKey })).status).toBe(200)
  })

  it("takes the admin token from the dev command's data folder", async () => {
    const data = tempDir()
    const { writeFileSync } = await import("node:fs")
    writeFileSync(join(data.path, "dev.json"), JSON.stringify({ env: { SWITCHBOARD_ADMIN_TOKEN: kernel.secrets.admin } }))
    const result = await runCli(["tenants", "create", "Dev", "--url", PUBLIC_URL, "--data-dir", data.path], { cwd: folder.path, fetch: inProcess })
    data.remove()
    expect(result.code).toBe(0)
  })

  it("says why when the admin token is wrong or missing, or the instance is down", async () => {
    const wrong = await runCli(["tenants", "create", "X", "--url", PUBLIC_URL, "--admin-token", "nope"], { cwd: folder.path, fetch: inProcess })
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain("Switchboard answered 401: The admin token is not valid")
    const missing = await runCli(["tenants", "create", "X", "--url", PUBLIC_URL], { cwd: folder.path, fetch: inProcess })
    expect(missing.stderr).toContain("No admin token")
    const down = await runCli(["tenants", "create", "X", "--url", "http://127.0.0.1:1", "--admin-token", "t"], { cwd: folder.path })
    expect(down.stderr).toContain("Cannot reach Switchboard at http://127.0.0.1:1")
    const unnamed = await runCli(["tenants", "create"], { cwd: folder.path })
    expect(unnamed.stderr).toContain("Name the tenant")
  })

  it("writes into a SQLite file, and refuses one without the schema", async () => {
    const result = await runCli(["tenants", "create", "Filed", "--database", file], { cwd: folder.path })
    expect(result.code).toBe(0)
    expect(keyRow(result.stdout)?.name).toBe("default")
    const empty = join(folder.path, "empty.sqlite")
    new Database(empty).close()
    const refused = await runCli(["tenants", "create", "X", "--database", empty], { cwd: folder.path })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain("run switchboard migrate first")
    const absent = await runCli(["tenants", "create", "X", "--database", join(folder.path, "absent.sqlite")], { cwd: folder.path })
    expect(absent.stderr).toContain("No database at")
  })

  it("prints SQL for D1 that a migrated database accepts", async () => {
    const result = await runCli(["tenants", "create", "O'Hare", "--d1", "--remote"], { cwd: folder.path })
    expect(result.code).toBe(0)
    const [tenantSql, keySql, apiKey] = result.out
    expect(tenantSql).toMatch(/^INSERT INTO tenants /)
    expect(keySql).toMatch(/^INSERT INTO api_keys /)
    expect(result.stderr).toContain("npx wrangler d1 execute DB --remote --file")
    const db = new Database(file)
    db.exec(`${tenantSql}\n${keySql}`)
    db.close()
    expect(keyRow(apiKey!)).toBeDefined()
  })
})

describe("switchboard api-keys create", () => {
  it("adds a key to an existing tenant in a SQLite file", async () => {
    const tenant = await runCli(["tenants", "create", "Keys", "--database", file], { cwd: folder.path })
    const tenantId = keyRow(tenant.stdout)!.tenant_id
    const result = await runCli(["api-keys", "create", "--tenant", tenantId, "--name", "ci", "--database", file], { cwd: folder.path })
    expect(result.code).toBe(0)
    expect(keyRow(result.stdout)).toEqual({ tenant_id: tenantId, name: "ci" })
    expect(result.stdout).not.toBe(tenant.stdout)
  })

  it("refuses an unknown tenant and a missing --tenant", async () => {
    const unknown = await runCli(["api-keys", "create", "--tenant", "ten_nobody", "--database", file], { cwd: folder.path })
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain("No such tenant: ten_nobody")
    const missing = await runCli(["api-keys", "create", "--database", file], { cwd: folder.path })
    expect(missing.stderr).toContain("Name the tenant")
  })

  it("prints SQL for D1; the database checks the tenant", async () => {
    const tenant = await runCli(["tenants", "create", "D1 keys", "--database", file], { cwd: folder.path })
    const tenantId = keyRow(tenant.stdout)!.tenant_id
    const result = await runCli(["api-keys", "create", "--tenant", tenantId, "--d1"], { cwd: folder.path })
    expect(result.code).toBe(0)
    const [keySql, apiKey] = result.out
    const db = new Database(file)
    db.exec(keySql!)
    db.pragma("foreign_keys = ON")
    const orphan = (await runCli(["api-keys", "create", "--tenant", "ten_nobody", "--d1"], { cwd: folder.path })).out[0]!
    expect(() => db.exec(orphan)).toThrow(/FOREIGN KEY/)
    db.close()
    expect(keyRow(apiKey!)?.tenant_id).toBe(tenantId)
  })
})
