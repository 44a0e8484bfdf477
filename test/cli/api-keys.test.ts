/**
 * `switchboard api-keys list|create|revoke|rotate` over HTTP with a tenant key and on a SQLite
 * file (and revoke as SQL for D1), and `switchboard tenants disable|enable|delete` with the admin
 * token: each checked against what the kernel then accepts.
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

const inProcess = (input: string | URL, init?: RequestInit) => kernel.app.fetch(new Request(input, init))
const overHttp = (argv: ReadonlyArray<string>, apiKey: string) =>
  runCli([...argv, "--url", PUBLIC_URL], { cwd: folder.path, env: { SWITCHBOARD_API_KEY: apiKey }, fetch: inProcess })
const asAdmin = (argv: ReadonlyArray<string>) =>
  runCli([...argv, "--url", PUBLIC_URL], { cwd: folder.path, env: { SWITCHBOARD_ADMIN_TOKEN: kernel.secrets.admin }, fetch: inProcess })
const status = async (apiKey: string) => (await kernel.request("/v1/installations", { apiKey })).status

interface Listed {
  readonly id: string
  readonly name: string
  readonly revokedAt: number | null
}
const listed = async (apiKey: string): Promise<ReadonlyArray<Listed>> =>
  JSON.parse((await overHttp(["api-keys", "list", "--format", "json"], apiKey)).stdout)

describe("switchboard api-keys over HTTP", () => {
  it("creates, lists, rotates and revokes with the tenant's key", async () => {
    const { apiKey } = await kernel.createTenant("cli-http")
    const created = await overHttp(["api-keys", "create", "--name", "ci"], apiKey)
    expect(created.code).toBe(0)
    const ciKey = created.stdout
    expect(ciKey).toMatch(/^sbk_/)
    expect(await status(ciKey)).toBe(200)

    const table = await overHttp(["api-keys", "list"], apiKey)
    expect(table.code).toBe(0)
    expect(table.stdout).not.toContain(apiKey)
    expect(table.stdout).not.toContain(ciKey)
    expect(table.stdout).toContain(`${ciKey.slice(0, 10)}…`)
    const ci = (await listed(apiKey)).find((key) => key.name === "ci")!

    const rotated = await overHttp(["api-keys", "rotate", ci.id], apiKey)
    expect(rotated.code).toBe(0)
    expect(await status(ciKey)).toBe(401)
    expect(await status(rotated.stdout)).toBe(200)

    const fresh = (await listed(apiKey)).find((key) => key.name === "ci" && key.revokedAt === null)!
    const revoked = await overHttp(["api-keys", "revoke", fresh.id], apiKey)
    expect(revoked.code).toBe(0)
    expect(await status(rotated.stdout)).toBe(401)
    const again = await overHttp(["api-keys", "revoke", fresh.id], apiKey)
    expect(again.code).toBe(1)
    expect(again.stderr).toContain("Switchboard answered 404")
  })

  it("says why without a key or with a wrong one", async () => {
    const none = await runCli(["api-keys", "list", "--url", PUBLIC_URL], { cwd: folder.path, fetch: inProcess })
    expect(none.code).toBe(1)
    expect(none.stderr).toContain("No API key")
    const wrong = await overHttp(["api-keys", "list"], "sbk_wrong")
    expect(wrong.stderr).toContain("Switchboard answered 401")
  })
})

describe("switchboard api-keys on the database", () => {
  const keyRow = (apiKey: string) => {
    const db = new Database(file, { readonly: true })
    const row = db.prepare("SELECT tenant_id, id, revoked_at FROM api_keys WHERE hash = ?")
      .get(createHash("sha256").update(apiKey).digest("hex")) as { tenant_id: string; id: string; revoked_at: number | null }
    db.close()
    return row
  }

  it("lists, rotates and revokes in a SQLite file", async () => {
    const tenant = await runCli(["tenants", "create", "Filed", "--database", file], { cwd: folder.path })
    const first = keyRow(tenant.stdout)
    const onFile = (argv: ReadonlyArray<string>) => runCli([...argv, "--tenant", first.tenant_id, "--database", file], { cwd: folder.path })
    const list = await onFile(["api-keys", "list", "--format", "json"])
    expect(JSON.parse(list.stdout)).toMatchObject([{ id: first.id, name: "default", revokedAt: null }])
    const rotated = await onFile(["api-keys", "rotate", first.id])
    expect(rotated.code).toBe(0)
    expect(keyRow(tenant.stdout).revoked_at).toEqual(expect.any(Number))
    const second = keyRow(rotated.stdout)
    expect(second).toMatchObject({ tenant_id: first.tenant_id, revoked_at: null })
    expect((await onFile(["api-keys", "revoke", second.id])).code).toBe(0)
    expect(keyRow(rotated.stdout).revoked_at).toEqual(expect.any(Number))
    const missing = await onFile(["api-keys", "revoke", "key_nope"])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain("No such API key")
  })

  it("prints the revocation as SQL for D1", async () => {
    const tenant = await runCli(["tenants", "create", "D1", "--database", file], { cwd: folder.path })
    const row = keyRow(tenant.stdout)
    const result = await runCli(["api-keys", "revoke", row.id, "--tenant", row.tenant_id, "--d1"], { cwd: folder.path })
    expect(result.code).toBe(0)
    expect(result.out[0]).toMatch(/^UPDATE api_keys SET revoked_at = \d+ WHERE/)
    const db = new Database(file)
    db.exec(result.out[0]!)
    db.close()
    expect(keyRow(tenant.stdout).revoked_at).toEqual(expect.any(Number))
  })
})

describe("switchboard tenants disable|enable|delete", () => {
  it("disables, enables and deletes a tenant with the admin token", async () => {
    const { tenantId, apiKey } = await kernel.createTenant("administered")
    expect((await asAdmin(["tenants", "disable", tenantId])).code).toBe(0)
    expect(await status(apiKey)).toBe(401)
    expect((await asAdmin(["tenants", "enable", tenantId])).code).toBe(0)
    expect(await status(apiKey)).toBe(200)
    const unconfirmed = await asAdmin(["tenants", "delete", tenantId])
    expect(unconfirmed.code).toBe(1)
    expect(unconfirmed.stderr).toContain("add --yes")
    expect(await status(apiKey)).toBe(200)
    expect((await asAdmin(["tenants", "delete", tenantId, "--yes"])).code).toBe(0)
    expect(await status(apiKey)).toBe(401)
    const gone = await asAdmin(["tenants", "disable", tenantId])
    expect(gone.stderr).toContain("Switchboard answered 404")
  })
})
