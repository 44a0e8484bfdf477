/**
 * Guarantees the other tests never broke: narrowing a publication's scopes binds session tokens
 * minted before it (Tools checks the publication's current scopes on every call), and a dispatch
 * the agent platform refused is never recorded as delivered.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { agentSessionCreated } from "../../sandbox/fakes/linear/payloads.ts"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"

describe("checks through the kernel", () => {
  let kernel: TestKernel
  beforeAll(async () => {
    kernel = await startTestKernel()
  })
  afterAll(() => kernel.close())

  const setUp = async (name: string, issueId: string) => {
    const { apiKey } = await kernel.createTenant(name)
    const installationId = await kernel.installLinear(apiKey)
    kernel.linear.control.seedIssue({ id: issueId, title: `Issue of ${name}` })
    const publication = await kernel.publish(apiKey, {
      installationId,
      agentId: `agent-${name}`,
      scopes: ["issues:read", "comments:write"],
      granularity: "issue"
    })
    return { apiKey, publicationId: publication.id }
  }

  it("narrowing a publication's scopes binds the session tokens already minted", async () => {
    const issueId = "issue-narrow-1"
    const { apiKey, publicationId } = await setUp("narrow", issueId)
    await kernel.linearWebhook(agentSessionCreated({ issue: { id: issueId, identifier: "NAR-1" } }))
    const delivery = await kernel.eventually(() =>
      kernel.deliveries.find((candidate) => candidate.dispatch.publicationId === publicationId)
    )
    const before = await kernel.mcpClient(delivery)
    expect((await before.listTools()).tools.map((tool) => tool.name)).toContain("mcp_linear_create_comment")
    await before.close()

    const narrowed = await kernel.request(`/v1/publications/${publicationId}`, {
      method: "PATCH",
      apiKey,
      body: JSON.stringify({ scopes: ["issues:read"] })
    })
    expect(narrowed.status).toBe(200)

    // The same token, minted with both scopes before the narrowing.
    const after = await kernel.mcpClient(delivery)
    expect((await after.listTools()).tools.map((tool) => tool.name)).toEqual(["mcp_linear_get_issue"])
    const refused = await after.callTool({ name: "mcp_linear_create_comment", arguments: { issueId, body: "too late" } })
    expect(refused.isError).toBe(true)
    expect(JSON.stringify(refused.content)).toContain("comments:write")
    expect(kernel.linear.control.comments(issueId).map((entry) => entry.body)).not.toContain("too late")
    const allowed = await after.callTool({ name: "mcp_linear_get_issue", arguments: { issueId } })
    expect(allowed.isError).not.toBe(true)
    await after.close()
  })

  it("a dispatch the sink refused is retrying, never delivered", async () => {
    const issueId = "issue-refused-1"
    const { apiKey, publicationId } = await setUp("refused", issueId)
    const refusedBy: Array<string> = []
    kernel.sink = async (delivery) => {
      refusedBy.push(delivery.dispatch.id)
      throw new Error("the agent platform answered 503")
    }
    try {
      await kernel.linearWebhook(agentSessionCreated({ issue: { id: issueId, identifier: "REF-1" } }))
      await kernel.eventually(async () => {
        await kernel.app.drain()
        return refusedBy.length > 0
      })
      const listed = await (await kernel.request("/v1/deliveries", { apiKey })).json()
      const dispatches = listed.deliveries.flatMap((entry: { dispatches: Array<Record<string, unknown>> }) => entry.dispatches)
      const dispatch = dispatches.find((entry: Record<string, unknown>) => entry["publicationId"] === publicationId)
      expect(dispatch).toMatchObject({ status: "pending", lastError: expect.stringContaining("503") })
      expect(dispatch.attempts).toBeGreaterThanOrEqual(1)
      expect(dispatch.nextAttemptAt).toBeGreaterThan(Date.now())
      expect(kernel.deliveries.some((delivered) => delivered.dispatch.publicationId === publicationId)).toBe(false)
    } finally {
      kernel.sink = async () => {}
    }
  })
})
