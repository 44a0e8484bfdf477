/**
 * `POST /mcp` with a declared length is served outside the router (`McpRoutes.mcpFetch`); the
 * same call with a streamed body (no declared length) still goes through it. The two must answer
 * alike (status, headers, body) and log alike, for calls that succeed and calls that are refused;
 * a declared length over the limit is refused on the direct path as the router's middleware
 * refuses a streamed one.
 */
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { agentSessionCreated } from "../../sandbox/fakes/linear/payloads.ts"
import { mcpFetch } from "../../kernel/http/McpRoutes.ts"
import { withSecurityHeadersWeb } from "../../kernel/http/SecurityHeaders.ts"
import { PUBLIC_URL, startTestKernel, type TestKernel } from "../support/kernel.ts"
import { captureLogLines, type LogLine } from "../support/logLines.ts"
import { streamed } from "../support/streamed.ts"

const ISSUE = "issue-mcp-direct-1"

const mcpHeaders = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
  "mcp-protocol-version": "2025-06-18"
}

describe("the MCP endpoint's direct path", () => {
  let kernel: TestKernel
  let token: string
  const lines: Array<LogLine> = []

  beforeAll(async () => {
    kernel = await startTestKernel({ env: { SWITCHBOARD_ACCESS_LOG: "on" } })
    const { apiKey } = await kernel.createTenant("direct")
    const installationId = await kernel.installLinear(apiKey)
    kernel.linear.control.seedIssue({ id: ISSUE, title: "Flaky login" })
    await kernel.publish(apiKey, { installationId, agentId: "agent-1", scopes: ["issues:read"], granularity: "issue" })
    await kernel.linearWebhook(agentSessionCreated({ issue: { id: ISSUE } }))
    const delivery = await kernel.eventually(() => kernel.deliveries[0])
    token = delivery.mcp.token
    captureLogLines(lines)
  })
  afterAll(async () => {
    vi.restoreAllMocks()
    await kernel.close()
  })

  /** One call, answered and logged, without what varies between two runs of it. */
  const call = async (body: string, options: { readonly declared: boolean; readonly headers?: Record<string, string> }) => {
    lines.length = 0
    const response = await kernel.request("/mcp", {
      method: "POST",
      headers: { ...mcpHeaders, ...options.headers },
      ...(options.declared ? { body } : streamed(body))
    })
    const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== "date" && name !== "content-length"))
    const text = await response.text()
    const logged = lines
      .filter((line) => line.message === "http request")
      .map(({ annotations: { durationMs: _, ...rest } }) => rest)
    return { status: response.status, headers, text, logged }
  }

  const calls: ReadonlyArray<readonly [string, string, Record<string, string>?]> = [
    ["tools/list", JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" })],
    ["tools/call", JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "mcp_linear_get_issue", arguments: { issueId: ISSUE } } })],
    ["an unknown tool", JSON.stringify({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "mcp_linear_nothing", arguments: {} } })],
    ["a body that is not JSON", "{not json"],
    ["no token", JSON.stringify({ jsonrpc: "2.0", id: 4, method: "tools/list" }), { authorization: "" }],
    ["a forged token", JSON.stringify({ jsonrpc: "2.0", id: 5, method: "tools/list" }), { authorization: "Bearer forged" }],
    ["a foreign Origin", JSON.stringify({ jsonrpc: "2.0", id: 6, method: "tools/list" }), { origin: "https://evil.example" }]
  ]

  for (const [name, body, headers] of calls) {
    it(`answers and logs ${name} as the router does`, async () => {
      const own = { authorization: `Bearer ${token}`, ...headers }
      const direct = await call(body, { declared: true, headers: own })
      const routed = await call(body, { declared: false, headers: own })
      expect(direct).toEqual(routed)
      expect(direct.headers["x-content-type-options"]).toBe("nosniff")
      expect(direct.logged).toEqual([{ method: "POST", path: "/mcp", status: direct.status }])
    })
  }

  it("serves a tool call's answer from the vendor", async () => {
    const direct = await call(calls[1]![1], { declared: true, headers: { authorization: `Bearer ${token}` } })
    expect(direct.status).toBe(200)
    expect(direct.text).toContain("Flaky login")
  })

  it("refuses a declared length over the limit as the router refuses a streamed one", async () => {
    const huge = JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/list", params: { pad: "x".repeat(2 * 1024 * 1024) } })
    const direct = await call(huge, { declared: true, headers: { authorization: `Bearer ${token}` } })
    const routed = await call(huge, { declared: false, headers: { authorization: `Bearer ${token}` } })
    expect(direct.status).toBe(413)
    expect(JSON.parse(direct.text).error.reason).toBe("TooLarge")
    expect(direct).toEqual(routed)
  })

  it("takes only a POST to /mcp with a declared length", () => {
    const request = (path: string, init: RequestInit = {}) => new Request(`${PUBLIC_URL}${path}`, init)
    const declared = { method: "POST", body: "{}", headers: { "content-length": "2" } }
    expect(mcpFetch(request("/mcp", declared))).toBeDefined()
    expect(mcpFetch(request("/mcp?trace=1", declared))).toBeDefined()
    expect(mcpFetch(request("/mcp"))).toBeUndefined()
    expect(mcpFetch(request("/mcp", { method: "DELETE" }))).toBeUndefined()
    expect(mcpFetch(request("/mcp/", declared))).toBeUndefined()
    expect(mcpFetch(request("/mcpx", declared))).toBeUndefined()
    expect(mcpFetch(request("/v1/mcp", declared))).toBeUndefined()
    expect(mcpFetch(request("/mcp", { method: "POST", ...streamed("{}") }))).toBeUndefined()
    expect(Effect.isEffect(mcpFetch(request("/mcp", declared)))).toBe(true)
  })

  it("adds the security headers to a Response whose headers cannot change, on a copy", async () => {
    const original = Response.redirect("https://example.com/next", 302)
    const answered = withSecurityHeadersWeb(original)
    expect(answered.status).toBe(302)
    expect(answered.headers.get("location")).toBe("https://example.com/next")
    expect(answered.headers.get("x-content-type-options")).toBe("nosniff")
    const mutable = new Response("{}", { headers: { "content-type": "application/json" } })
    expect(withSecurityHeadersWeb(mutable)).toBe(mutable)
    expect(mutable.headers.get("x-content-type-options")).toBe("nosniff")
  })
})
