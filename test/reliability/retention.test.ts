/**
 * Retention through an in-process kernel (`test/support/kernel.ts`) on a SQLite file, with
 * SWITCHBOARD_RETENTION_DAYS=1: a delivery dispatched and then aged two days (its receipt and its
 * dispatch's creation moved back in the file) is emptied by a pass (`KernelApp.retain`, what the
 * Workers cron runs);
 * the API then shows it emptied, refuses to replay it with a 409 that says why, and a vendor's
 * redelivery of it is still a duplicate. A delivery of today is untouched.
 */
import Database from "better-sqlite3"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { agentSessionCreated } from "../../sandbox/fakes/linear/payloads.ts"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"

const TWO_DAYS = 2 * 86_400_000

describe("retention", () => {
  const folder = mkdtempSync(join(tmpdir(), "switchboard-retention-"))
  const file = join(folder, "switchboard.sqlite")
  let kernel: TestKernel
  beforeAll(async () => {
    kernel = await startTestKernel({ database: file, env: { SWITCHBOARD_RETENTION_DAYS: "1" } })
  })
  afterAll(async () => {
    await kernel.close()
    rmSync(folder, { recursive: true, force: true })
  })

  it("empties a delivery past the days, which then cannot be replayed and still dedupes", async () => {
    const { apiKey } = await kernel.createTenant("retained")
    const installationId = await kernel.installLinear(apiKey)
    await kernel.publish(apiKey, { installationId, agentId: "agent-r", scopes: ["issues:read"], granularity: "issue" })
    const sessionCreated = (issueId: string) => agentSessionCreated({ issue: { id: issueId, identifier: issueId.toUpperCase() } })
    const old = kernel.linear.control.seedIssue({ title: "Old" })
    const recent = kernel.linear.control.seedIssue({ title: "Recent" })
    const oldPayload = sessionCreated(old.id)
    expect((await kernel.linearWebhook(oldPayload, { deliveryId: "dlv-old" })).status).toBe(200)
    expect((await kernel.linearWebhook(sessionCreated(recent.id), { deliveryId: "dlv-recent" })).status).toBe(200)
    await kernel.eventually(() => kernel.deliveries.length === 2 ? true : undefined)

    // Two days back, as if it had come then.
    const database = new Database(file)
    database.prepare("UPDATE webhook_events SET received_at = received_at - ? WHERE delivery_id = 'dlv-old'").run(TWO_DAYS)
    database.prepare("UPDATE outbox SET created_at = created_at - ? WHERE event_id IN (SELECT id FROM webhook_events WHERE delivery_id = 'dlv-old')").run(TWO_DAYS)
    const eventId = (deliveryId: string) =>
      String((database.prepare("SELECT id FROM webhook_events WHERE delivery_id = ?").get(deliveryId) as { id: unknown }).id)
    const [oldId, recentId] = [eventId("dlv-old"), eventId("dlv-recent")]
    database.close()

    await kernel.app.retain()

    const shown = await (await kernel.request(`/v1/deliveries/${oldId}`, { apiKey })).json()
    expect([shown.pruned, shown.event.body, shown.event.headers, shown.event.status, shown.dispatches]).toEqual([true, "", {}, "dispatched", []])
    const kept = await (await kernel.request(`/v1/deliveries/${recentId}`, { apiKey })).json()
    expect([kept.pruned, kept.event.body.length > 0, kept.dispatches.length]).toEqual([false, true, 1])

    const listed = await (await kernel.request("/v1/deliveries", { apiKey })).json()
    expect(listed.deliveries.map((delivery: { event: { id: string }; pruned: boolean }) => [delivery.event.id, delivery.pruned]).sort())
      .toEqual([[oldId, true], [recentId, false]].sort())

    const replay = await kernel.request(`/v1/deliveries/${oldId}/replay`, { method: "POST", apiKey, headers: { "content-type": "application/json" }, body: "{}" })
    expect(replay.status).toBe(409)
    expect((await replay.json()).error).toEqual({
      reason: "Conflict",
      message: "This delivery's body was removed by retention (SWITCHBOARD_RETENTION_DAYS); it cannot be replayed"
    })
    // The vendor redelivers it: still a duplicate, nothing dispatched.
    const again = await kernel.linearWebhook(oldPayload, { deliveryId: "dlv-old" })
    expect(await again.json()).toEqual({ ok: true, status: "duplicate" })
    expect(kernel.deliveries).toHaveLength(2)
  })
})
