/**
 * The Console's Replay: the "Replaying…" notice gives way to the outcome once the replayed
 * delivery settles, delivered or failed. In Chromium, against the in-process kernel served on
 * loopback (test/support/kernel.ts), whose session sink the test makes succeed or fail. A
 * delivery whose body retention emptied offers no Replay, and says why.
 */
import Database from "better-sqlite3"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { agentSessionCreated } from "../../sandbox/fakes/linear/payloads.ts"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"
import { serve, type Served } from "../support/serve.ts"
import { launchChromium } from "./devCommand.ts"

let browser: Browser
let kernel: TestKernel
let served: Served
let apiKey: string
const folder = mkdtempSync(join(tmpdir(), "switchboard-console-replay-"))
const file = join(folder, "switchboard.sqlite")

beforeAll(async () => {
  browser = await launchChromium()
  kernel = await startTestKernel({ database: file, env: { SWITCHBOARD_RETENTION_DAYS: "1" } })
  served = await serve((request) => kernel.app.fetch(request))
  apiKey = (await kernel.createTenant("acme")).apiKey
  const installationId = await kernel.installLinear(apiKey)
  await kernel.publish(apiKey, { installationId, agentId: "agent-1", scopes: ["issues:read"], granularity: "issue" })
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await served?.close()
  await kernel?.close()
  rmSync(folder, { recursive: true, force: true })
})

const deliveredOnce = async () => {
  const issue = kernel.linear.control.seedIssue({ title: "Replay me" })
  const session = kernel.linear.control.startAgentSession({ issueId: issue.id })
  const before = kernel.deliveries.length
  const response = await kernel.linearWebhook(agentSessionCreated({ sessionId: session.id, issue: { id: issue.id, identifier: issue.identifier, title: issue.title } }))
  expect(response.status).toBe(200)
  await kernel.eventually(() => kernel.deliveries.length > before)
}

const deliveriesPage = async (): Promise<Page> => {
  const page = await browser.newPage()
  await page.goto(`${served.url}/#key=${encodeURIComponent(apiKey)}`)
  await page.getByRole("link", { name: "Deliveries" }).click()
  await page.getByRole("button", { name: "Replay" }).first().waitFor()
  return page
}

const notice = (page: Page) => page.locator("#status .notice")

describe("Replay in the Console", () => {
  it("says the replay was delivered once it was", async () => {
    await deliveredOnce()
    const page = await deliveriesPage()
    const before = kernel.deliveries.length
    await page.getByRole("button", { name: "Replay" }).first().click()
    await page.getByText("Replayed AgentSessionEvent.created: delivered to agent-1.").waitFor({ timeout: 15_000 })
    expect(kernel.deliveries.length).toBe(before + 1)
    await expect(notice(page).textContent()).resolves.not.toContain("Replaying")
    await page.close()
  }, 60_000)

  it("says the replay failed when the agent platform refused it", async () => {
    const page = await deliveriesPage()
    kernel.sink = async () => {
      throw new Error("agent platform down")
    }
    try {
      await page.getByRole("button", { name: "Replay" }).first().click()
      await page.getByText(/Replay of AgentSessionEvent\.created: the dispatch to agent-1 failed and will be retried \(.*agent platform down.*\)\./).waitFor({ timeout: 15_000 })
      await expect(notice(page).getAttribute("class")).resolves.toContain("notice-error")
    } finally {
      kernel.sink = async () => {}
      await page.close()
    }
  }, 60_000)

  it("offers no Replay for a delivery whose body retention removed, and says why", async () => {
    await deliveredOnce()
    // The newest delivery, aged past the one day of retention, then a pass.
    const database = new Database(file)
    database.prepare("UPDATE webhook_events SET received_at = received_at - 2 * 86400000 WHERE id = (SELECT id FROM webhook_events ORDER BY received_at DESC LIMIT 1)").run()
    database.close()
    await kernel.app.retain()
    const page = await deliveriesPage()
    const pruned = page.locator("tr", { hasText: "Body removed by retention" })
    await pruned.waitFor()
    await expect(pruned.count()).resolves.toBe(1)
    await expect(pruned.getByRole("button", { name: "Replay" }).count()).resolves.toBe(0)
    await page.close()
  }, 60_000)
})
