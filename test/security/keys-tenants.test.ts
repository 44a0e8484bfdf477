/**
 * Tenant administration with the admin token: a disabled tenant's keys are refused until it is
 * enabled again; a deleted tenant's installations are revoked at the vendor and its rows leave
 * every table (every table with a tenant_id column, so a new table is covered too).
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import Database from "better-sqlite3"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { agentSessionCreated } from "../../sandbox/fakes/linear/payloads.ts"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"
import { toolCaller } from "../support/mcpTools.ts"

describe("tenant administration", () => {
  let kernel: TestKernel
  const folder = mkdtempSync(join(tmpdir(), "sb-tenants-"))
  const database = join(folder, "switchboard.sqlite")

  const admin = (path: string, init: RequestInit = {}) => kernel.request(path, { ...init, apiKey: kernel.secrets.admin })
  const status = async (key: string) => (await kernel.request("/v1/installations", { apiKey: key })).status

  /** Rows per table holding `tenantId`, over every table that has a tenant_id column. */
  const rowsOf = (tenantId: string): Record<string, number> => {
    const db = new Database(database, { readonly: true })
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>
      const counts: Record<string, number> = {}
      for (const { name } of tables) {
        const columns = db.prepare(`PRAGMA table_info("${name}")`).all() as Array<{ name: string }>
        if (!columns.some((column) => column.name === "tenant_id")) continue
        const row = db.prepare(`SELECT COUNT(*) AS count FROM "${name}" WHERE tenant_id = ?`).get(tenantId) as { count: number }
        counts[name] = row.count
      }
      return counts
    } finally {
      db.close()
    }
  }

  beforeAll(async () => {
    kernel = await startTestKernel({ database })
  })
  afterAll(async () => {
    await kernel.close()
    rmSync(folder, { recursive: true, force: true })
  })

  it("disables a tenant (its keys refused) and enables it again", async () => {
    const { tenantId, apiKey } = await kernel.createTenant("acme")
    const { apiKey: bystander } = await kernel.createTenant("bystander")
    const disabled = await admin(`/v1/tenants/${tenantId}`, { method: "PATCH", body: JSON.stringify({ disabled: true }) })
    expect(disabled.status).toBe(200)
    expect(await status(apiKey)).toBe(401)
    expect(await status(bystander)).toBe(200)
    await admin(`/v1/tenants/${tenantId}`, { method: "PATCH", body: JSON.stringify({ disabled: false }) })
    expect(await status(apiKey)).toBe(200)
  })

  it("a disabled tenant's webhooks are kept but dispatch nothing, and its agents' session tokens stop working", async () => {
    const { tenantId, apiKey } = await kernel.createTenant("paused-co")
    kernel.linear.control.revokeAll()
    const installationId = await kernel.installLinear(apiKey)
    await kernel.publish(apiKey, { installationId, agentId: "agent-1", scopes: ["issues:read"], granularity: "issue" })
    const before = kernel.linear.control.seedIssue({ id: "issue-disabled-1", title: "Before" })
    expect((await kernel.linearWebhook(agentSessionCreated({ issue: { id: before.id, identifier: before.identifier } }))).status).toBe(200)
    const delivery = await kernel.eventually(() =>
      kernel.deliveries.find((found) => found.dispatch.sessionKey === "linear:issue:issue-disabled-1")
    )
    const agent = await kernel.mcpClient(delivery)
    const linear = toolCaller("linear")
    await linear.ok(agent, "get_issue", { issueId: before.identifier })
    await admin(`/v1/tenants/${tenantId}`, { method: "PATCH", body: JSON.stringify({ disabled: true }) })
    expect(await linear.failed(agent, "get_issue", { issueId: before.identifier })).toMatchObject({ reason: "Unauthorized" })
    kernel.linear.control.seedIssue({ id: "issue-disabled-2", title: "After" })
    const accepted = await kernel.linearWebhook(agentSessionCreated({ issue: { id: "issue-disabled-2", identifier: "ENG-12" } }))
    expect(accepted.status).toBe(200)
    // Once decided: the decision runs after the acknowledgement, in the background.
    const ignored = await kernel.eventually(() => {
      const row = new Database(database, { readonly: true })
      try {
        const found = row.prepare("SELECT status, reason FROM webhook_events WHERE tenant_id = ? AND body LIKE ? AND status <> 'received'")
          .get(tenantId, "%issue-disabled-2%")
        return found === undefined ? undefined : found
      } finally {
        row.close()
      }
    })
    expect(ignored).toMatchObject({ reason: "the tenant is disabled" })
    expect(kernel.deliveries.some((found) => found.dispatch.sessionKey === "linear:issue:issue-disabled-2")).toBe(false)
    await agent.close()
  })

  it("needs the admin token, and names only tenants that exist", async () => {
    const { tenantId, apiKey } = await kernel.createTenant("self")
    const body = JSON.stringify({ disabled: true })
    expect((await kernel.request(`/v1/tenants/${tenantId}`, { method: "PATCH", apiKey, body })).status).toBe(401)
    expect((await kernel.request(`/v1/tenants/${tenantId}`, { method: "DELETE", apiKey })).status).toBe(401)
    expect(await status(apiKey)).toBe(200)
    expect((await admin("/v1/tenants/ten_missing", { method: "PATCH", body })).status).toBe(404)
    expect((await admin("/v1/tenants/ten_missing", { method: "DELETE" })).status).toBe(404)
    expect((await admin(`/v1/tenants/${tenantId}`, { method: "PATCH", body: "{}" })).status).toBe(400)
  })

  it("deletes a tenant: its grants revoked at the vendor, its rows gone from every table", async () => {
    const { tenantId, apiKey } = await kernel.createTenant("doomed")
    const { tenantId: keptId, apiKey: kept } = await kernel.createTenant("kept")
    kernel.linear.control.revokeAll()
    const installationId = await kernel.installLinear(apiKey)
    await kernel.publish(apiKey, { installationId, agentId: "agent-1", scopes: ["issues:read"], granularity: "issue" })
    const issueId = "issue-tenant-delete"
    kernel.linear.control.seedIssue({ id: issueId, title: "Doomed" })
    expect((await kernel.linearWebhook(agentSessionCreated({ issue: { id: issueId, identifier: "ENG-9" } }))).status).toBe(200)
    await kernel.eventually(() => kernel.deliveries.find((delivery) => delivery.dispatch.sessionKey === `linear:issue:${issueId}`))
    const before = rowsOf(tenantId)
    for (const table of ["tenants", "api_keys", "installations", "publications", "webhook_events", "outbox"]) {
      expect(before[table], table).toBeGreaterThan(0)
    }
    const keptBefore = rowsOf(keptId)

    const deleted = await admin(`/v1/tenants/${tenantId}`, { method: "DELETE" })
    expect(deleted.status).toBe(200)
    expect(await deleted.json()).toMatchObject({ ok: true, uninstalled: 1 })
    // The grant was revoked at Linear: nothing is left to revoke.
    expect(kernel.linear.control.revokeAll()).toBe(0)
    expect(Object.entries(rowsOf(tenantId)).filter(([, count]) => count > 0)).toEqual([])
    expect(rowsOf(keptId)).toEqual(keptBefore)
    expect(await status(apiKey)).toBe(401)
    expect(await status(kept)).toBe(200)
    expect((await admin(`/v1/tenants/${tenantId}`, { method: "DELETE" })).status).toBe(404)
  })
})
