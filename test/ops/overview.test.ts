/**
 * `/v1/overview`: the last hour per minute and provider for one tenant, from stored rows
 * (deliveries, refusals, dispatches) and this process's tool-call counts; another tenant's
 * traffic never shows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { agentSessionCreated } from "../../sandbox/fakes/linear/payloads.ts"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"

describe("overview", () => {
  let kernel: TestKernel
  beforeAll(async () => {
    kernel = await startTestKernel()
  })
  afterAll(() => kernel.close())

  it("counts this tenant's deliveries, dispatch latency and tool calls in the current minute", async () => {
    const { apiKey } = await kernel.createTenant("charted")
    const other = await kernel.createTenant("elsewhere")
    const installationId = await kernel.installLinear(apiKey)
    await kernel.publish(apiKey, { installationId, agentId: "agent-chart", scopes: ["issues:read"], granularity: "issue" })
    const issue = kernel.linear.control.seedIssue({ title: "Charted" })
    const deliveryId = crypto.randomUUID()
    await kernel.linearWebhook(agentSessionCreated({ issue: { id: issue.id, identifier: issue.identifier } }), { deliveryId })
    const delivery = await kernel.eventually(() => kernel.deliveries.find((entry) => entry.dispatch.deliveryId === deliveryId))
    const client = await kernel.mcpClient(delivery)
    await client.callTool({ name: "mcp_linear_get_issue", arguments: { issueId: issue.id } })
    await client.close()
    const second = kernel.linear.control.seedIssue({ title: "Second" })
    await kernel.linearWebhook(agentSessionCreated({ issue: { id: second.id, identifier: second.identifier } }))

    const overview = await kernel.eventually(async () => {
      const body = await (await kernel.request("/v1/overview", { apiKey })).json()
      return body.totals.deliveries >= 2 ? body : undefined
    })
    expect(overview.minutes).toHaveLength(60)
    expect(overview.minutes[59] - overview.minutes[0]).toBe(59 * 60_000)
    expect(overview.providers).toContain("linear")
    const now = overview.series.deliveries.linear.length - 1
    expect(overview.series.deliveries.linear[now]).toBeGreaterThanOrEqual(2)
    expect(overview.series.toolCalls.linear[now]).toBe(1)
    expect(overview.series.dispatchLatencyMs.linear[now]).toBeTypeOf("number")
    expect(overview.series.dispatchLatencyMs.linear[0]).toBeNull()

    const elsewhere = await (await kernel.request("/v1/overview", { apiKey: other.apiKey })).json()
    expect(elsewhere.totals).toEqual({ deliveries: 0, rejections: 0, toolCalls: 0, deadLetters: 0 })
    expect((await kernel.request("/v1/overview")).status).toBe(401)
  })
})
