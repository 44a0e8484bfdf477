/**
 * The Console's Overview with real traffic, in Chromium: signed webhooks (one refused past the
 * tenant's limit), a dispatch delivered and a tool call made through MCP; the page draws its five
 * charts with uPlot served by the Console itself (no request leaves the server, the strict CSP
 * reports nothing), says what each chart holds, and lists the refused webhook.
 */
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { agentSessionCreated } from "../../sandbox/fakes/linear/payloads.ts"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"
import { serve, type Served } from "../support/serve.ts"
import { launchChromium } from "./devCommand.ts"

describe("the Overview page", () => {
  let browser: Browser
  let kernel: TestKernel
  let served: Served
  beforeAll(async () => {
    browser = await launchChromium()
    kernel = await startTestKernel({ env: { SWITCHBOARD_WEBHOOKS_PER_MINUTE: "3" } })
    served = await serve((request) => kernel.app.fetch(request))
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await served?.close()
    await kernel?.close()
  })

  it("charts the last hour's deliveries, refusals, latency, tool calls and dead letters", async () => {
    const { apiKey } = await kernel.createTenant("watched")
    const installationId = await kernel.installLinear(apiKey)
    await kernel.publish(apiKey, { installationId, agentId: "agent-overview", scopes: ["issues:read"], granularity: "issue" })
    const issues = [1, 2, 3, 4].map((n) => kernel.linear.control.seedIssue({ title: `Issue ${n}` }))
    const first = crypto.randomUUID()
    const statuses: Array<number> = []
    for (const [index, issue] of issues.entries()) {
      const response = await kernel.linearWebhook(
        agentSessionCreated({ issue: { id: issue.id, identifier: issue.identifier } }),
        index === 0 ? { deliveryId: first } : {}
      )
      statuses.push(response.status)
    }
    expect(statuses).toEqual([200, 200, 200, 429])
    const delivery = await kernel.eventually(() => kernel.deliveries.find((entry) => entry.dispatch.deliveryId === first))
    const client = await kernel.mcpClient(delivery)
    await client.callTool({ name: "mcp_linear_get_issue", arguments: { issueId: issues[0]!.id } })
    await client.close()
    await kernel.eventually(() => kernel.deliveries.length >= 3)

    const page = await browser.newPage()
    const problems: Array<string> = []
    page.on("pageerror", (error) => void problems.push(error.message))
    page.on("console", (message) => {
      // Failed loads are checked by their responses below, which name the URL.
      if (message.text().startsWith("Failed to load resource")) return
      if (message.type() === "error" || message.text().includes("Content Security Policy")) problems.push(message.text())
    })
    page.on("response", (response) => {
      // `/_sandbox` answers 404 outside the dev command: the Console asks, and shows no sandbox.
      if (response.status() >= 400 && new URL(response.url()).pathname !== "/_sandbox") problems.push(`${response.status()} ${response.url()}`)
    })
    page.on("request", (request) => {
      if (!request.url().startsWith(served.url) && !request.url().startsWith("data:")) problems.push(`request to ${request.url()}`)
    })
    await page.goto(`${served.url}/#key=${encodeURIComponent(apiKey)}`)
    await page.getByRole("link", { name: "Overview" }).click()
    await page.locator("figure[data-chart] canvas").first().waitFor()

    expect(await page.locator("figure[data-chart]").evaluateAll((figures) => figures.map((figure) => figure.getAttribute("data-chart"))))
      .toEqual(["deliveries", "rejections", "dispatchLatencyMs", "toolCalls", "deadLetters"])
    expect(await page.locator("figure[data-chart] .uplot canvas").count()).toBe(5)
    const summary = (key: string) => page.locator(`figure[data-chart="${key}"] .chart-summary`).textContent()
    await expect(summary("deliveries")).resolves.toBe("Last hour: Linear 3.")
    await expect(summary("rejections")).resolves.toBe("Last hour: Linear 1.")
    await expect(summary("toolCalls")).resolves.toBe("Last hour: Linear 1.")
    await expect(summary("deadLetters")).resolves.toBe("None in the last hour.")
    await expect(summary("dispatchLatencyMs")).resolves.toMatch(/^Mean per minute between \d+ and \d+ ms\.$/)
    // Each chart's legend names the provider it draws.
    await expect(page.locator('figure[data-chart="deliveries"] .u-legend').textContent()).resolves.toContain("Linear")

    const refused = page.getByRole("table", { name: "Webhooks refused for this tenant" })
    await expect(refused.getByRole("rowheader").first().textContent()).resolves.toBe("429 RateLimited")

    // A refresh keeps the page (charts updated in place) and shows new traffic, once the
    // tenant's allowance has room again (3 a minute: one more after 20 s).
    const more = kernel.linear.control.seedIssue({ title: "Later" })
    await new Promise((resolve) => setTimeout(resolve, 20_000))
    await kernel.linearWebhook(agentSessionCreated({ issue: { id: more.id, identifier: more.identifier } }))
    await page.waitForFunction(() => document.querySelector('figure[data-chart="deliveries"] .chart-summary')?.textContent === "Last hour: Linear 4.", undefined, { timeout: 15_000 })
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)
})
