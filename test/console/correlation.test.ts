/**
 * Acceptance 3 of "the first five minutes": a webhook's log lines share one correlation id (the
 * vendor's delivery id) from receipt to dispatch to the tool calls the agent makes with the
 * dispatch's token. The kernel logs JSON (SWITCHBOARD_LOG_FORMAT's default); the demo agent
 * sends the id back in `switchboard-correlation-id` on its MCP requests.
 */
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import * as DemoAgentSink from "../../adapters/sink/DemoAgentSink.ts"
import { agentSessionCreated } from "../../sandbox/fakes/linear/payloads.ts"
import { linearSandbox } from "../../sandbox/dev/LinearSandbox.ts"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"
import { captureLogLines, type LogLine } from "../support/logLines.ts"


describe("correlation id", () => {
  let kernel: TestKernel
  const lines: Array<LogLine> = []
  beforeAll(async () => {
    captureLogLines(lines)
    kernel = await startTestKernel()
  })
  afterAll(async () => {
    await kernel.close()
    vi.restoreAllMocks()
  })

  it("is on every log line from the webhook to the tool calls it caused", async () => {
    const { apiKey } = await kernel.createTenant("acme")
    const installationId = await kernel.installLinear(apiKey)
    await kernel.publish(apiKey, { installationId, agentId: "agent-1", scopes: ["issues:read", "comments:write"], granularity: "issue" })
    const demo = DemoAgentSink.make({
      plans: { linear: linearSandbox.demo },
      fetch: (input, init) => kernel.app.fetch(new Request(input, init))
    })
    kernel.sink = (delivery) => Effect.runPromise(demo.deliver(delivery))

    const issue = kernel.linear.control.seedIssue({ title: "Checkout times out" })
    const session = kernel.linear.control.startAgentSession({ issueId: issue.id })
    const deliveryId = crypto.randomUUID()
    const response = await kernel.linearWebhook(
      agentSessionCreated({ sessionId: session.id, issue: { id: issue.id, identifier: issue.identifier, title: issue.title } }),
      { deliveryId }
    )
    expect(response.status).toBe(200)
    const comment = await kernel.eventually(() => kernel.linear.control.comments(issue.id)[0])
    expect(comment.body).toContain("agent-1")

    // The comment is posted before the outbox records the delivery and logs it.
    await kernel.eventually(() =>
      lines.some((line) => line.annotations["correlationId"] === deliveryId && JSON.stringify(line.message).includes("dispatch delivered"))
    )
    const correlated = lines.filter((line) => line.annotations["correlationId"] === deliveryId)
    const messages = correlated.map((line) => Array.isArray(line.message) ? line.message[0] : line.message)
    expect(messages).toEqual(expect.arrayContaining(["webhook accepted", "dispatch delivered", "tool called"]))
    const toolCalls = correlated.filter((line) => Array.isArray(line.message) && line.message[0] === "tool called")
    expect(toolCalls.map((line) => Array.isArray(line.message) ? line.message[1] : undefined)).toEqual([
      "mcp_linear_get_issue",
      "mcp_linear_create_comment"
    ])
    // Every line that mentions this delivery carries its correlation id.
    expect(lines.filter((line) => JSON.stringify(line).includes(deliveryId)).every((line) => line.annotations["correlationId"] === deliveryId)).toBe(true)
  })
})
