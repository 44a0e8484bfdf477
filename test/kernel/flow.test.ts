/**
 * The kernel end to end in one process: install through the fake Linear's OAuth, publish an
 * agent, receive signed webhooks, dispatch, and act back through MCP with the official client.
 */
import { Effect, Redacted } from "effect"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { InstallationId, PublicationId, TenantId } from "../../kernel/domain/Ids.ts"
import { SessionTokens } from "../../kernel/vault/SessionTokens.ts"
import { agentSessionCreated, agentSessionPrompted } from "../../sandbox/fakes/linear/payloads.ts"
import { PUBLIC_URL, startTestKernel, type TestKernel } from "../support/kernel.ts"

describe("kernel flow (in process)", () => {
  let kernel: TestKernel
  let apiKey: string
  let installationId: string
  let publicationId: string
  const issueId = "issue-flow-0001"

  const logged: Array<string> = []

  beforeAll(async () => {
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: Array<unknown>) => {
        logged.push(args.map((arg) => typeof arg === "string" ? arg : JSON.stringify(arg) ?? String(arg)).join(" "))
      })
    }
    kernel = await startTestKernel()
    ;({ apiKey } = await kernel.createTenant("acme"))
    installationId = await kernel.installLinear(apiKey)
    kernel.linear.control.seedIssue({ id: issueId, title: "Flaky login" })
    publicationId = (await kernel.publish(apiKey, {
      installationId,
      agentId: "agent-1",
      scopes: ["issues:read", "comments:write"],
      granularity: "issue"
    })).id
  })
  afterAll(() => kernel.close())


  it("lists the installation without any token", async () => {
    const response = await kernel.request("/v1/installations", { apiKey })
    const text = await response.text()
    expect(response.status).toBe(200)
    const { accessTokens, refreshTokens } = kernel.linear.control.state
    expect(accessTokens.size).toBeGreaterThan(0)
    for (const token of [...accessTokens.keys(), ...refreshTokens.keys()]) expect(text).not.toContain(token)
    expect(JSON.parse(text).installations[0]).toMatchObject({ providerId: "linear", status: "active" })
  })

  it("dispatches created, lets the agent comment through MCP, and resumes on prompted", async () => {
    const created = await kernel.linearWebhook(agentSessionCreated({ issue: { id: issueId, identifier: "ENG-7" } }))
    expect(created.status).toBe(200)
    const first = await kernel.eventually(() => kernel.deliveries.find((delivery) => delivery.dispatch.eventType.endsWith("created")))
    expect(first.dispatch).toMatchObject({ mode: "create", publicationId, sessionKey: `linear:issue:${issueId}` })
    expect(first.mcp.url).toBe(`${PUBLIC_URL}/mcp`)

    const client = await kernel.mcpClient(first)
    const listed = await client.listTools()
    expect(listed.tools.map((tool) => tool.name).sort()).toEqual(["mcp_linear_create_comment", "mcp_linear_get_issue"])
    const issue = await client.callTool({ name: "mcp_linear_get_issue", arguments: { issueId } })
    expect(issue.isError).not.toBe(true)
    const comment = await client.callTool({ name: "mcp_linear_create_comment", arguments: { issueId, body: "On it" } })
    expect(comment.isError).not.toBe(true)
    expect(kernel.linear.control.comments(issueId).map((entry) => entry.body)).toContain("On it")
    const invalid = await client.callTool({ name: "mcp_linear_create_comment", arguments: { issueId } })
    expect(invalid.isError).toBe(true)
    await client.close()

    await kernel.linearWebhook(agentSessionPrompted({ issue: { id: issueId, identifier: "ENG-7" }, body: "and logout" }))
    const second = await kernel.eventually(() => kernel.deliveries.find((delivery) => delivery.dispatch.eventType.endsWith("prompted")))
    expect(second.dispatch).toMatchObject({ mode: "resume", sessionId: first.dispatch.sessionId, prompt: "and logout" })
  })

  it("dispatches a duplicate delivery once", async () => {
    const before = kernel.deliveries.length
    const payload = agentSessionCreated({ issue: { id: "issue-dup", identifier: "ENG-8" }, sessionId: "session-dup" })
    const one = await kernel.linearWebhook(payload, { deliveryId: "dup-1" })
    const two = await kernel.linearWebhook(payload, { deliveryId: "dup-1" })
    expect(await one.json()).toMatchObject({ status: "accepted" })
    expect(await two.json()).toMatchObject({ status: "duplicate" })
    await kernel.eventually(() => kernel.deliveries.length > before)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(kernel.deliveries.filter((delivery) => delivery.dispatch.deliveryId === "dup-1")).toHaveLength(1)
  })

  it("rejects bad input with clear errors, never a 500", async () => {
    const payload = agentSessionCreated()
    expect((await kernel.linearWebhook(payload, { secret: "wrong" })).status).toBe(401)
    expect((await kernel.linearWebhook(payload, { timestamp: Date.now() - 120_000 })).status).toBe(401)
    const big = await kernel.request("/webhook/linear", { method: "POST", body: "x".repeat(2 * 1024 * 1024) })
    expect(big.status).toBe(413)
    expect((await kernel.request("/webhook/nope", { method: "POST", body: "{}" })).status).toBe(404)
    const unauthenticated = await kernel.request("/v1/installations")
    expect(unauthenticated.status).toBe(401)
    const badBody = await kernel.request("/v1/publications", { method: "POST", apiKey, body: "{" })
    expect(badBody.status).toBe(400)
    const mcp = await kernel.request("/mcp", { method: "POST", body: "{}" })
    expect(mcp.status).toBe(401)
  })

  it("a session token never reaches another tenant's publication", async () => {
    const other = await kernel.createTenant("globex")
    const otherInstallation = await kernel.installLinear(other.apiKey)
    const otherPublication = await kernel.publish(other.apiKey, {
      installationId: otherInstallation,
      agentId: "agent-b",
      scopes: ["issues:read", "comments:write"],
      granularity: "issue"
    })
    // A token naming tenant A but B's publication and installation (as if A's claims were mixed up).
    const tokens = SessionTokens.make(Redacted.make(kernel.secrets.signing), PUBLIC_URL)
    const first = kernel.deliveries[0]!
    const forged = await Effect.runPromise(tokens.mint({
      tenantId: TenantId.make(first.dispatch.tenantId),
      publicationId: PublicationId.make(otherPublication.id),
      installationId: InstallationId.make(otherInstallation),
      sessionKey: "linear:issue:x",
      scopes: ["issues:read", "comments:write"]
    }))
    const client = await kernel.mcpClient({ ...first, mcp: { ...first.mcp, token: forged.token } })
    expect((await client.listTools()).tools).toEqual([])
    const call = await client.callTool({ name: "mcp_linear_create_comment", arguments: { issueId, body: "leak" } })
    expect(call.isError).toBe(true)
    expect(kernel.linear.control.comments(issueId).map((entry) => entry.body)).not.toContain("leak")
    await client.close()
  })
  it("never logs a vendor token or a session token", () => {
    const { accessTokens, refreshTokens } = kernel.linear.control.state
    const secrets = [...accessTokens.keys(), ...refreshTokens.keys(), ...kernel.deliveries.map((delivery) => delivery.mcp.token)]
    expect(secrets.length).toBeGreaterThan(2)
    expect(logged.length).toBeGreaterThan(0)
    const all = logged.join("\n")
    for (const secret of secrets) expect(all).not.toContain(secret)
  })
})
