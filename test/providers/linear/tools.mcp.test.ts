/**
 * Acceptance 3: every Linear tool through the MCP endpoint, with the official SDK client bound
 * to a delivery's session token, against the fake Linear. A publication sees and may call only
 * the tools of its scopes: the rest are absent from `tools/list` and refused by `tools/call`.
 * Linear's failures (unknown entities, invalid input, rate limits) are MCP tool errors with a
 * clear message, never an HTTP error.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { FakeIssue } from "../../../sandbox/fakes/linear/FakeLinearState.ts"
import { DEFAULT_HUMAN } from "../../../sandbox/fakes/linear/FakeLinearState.ts"
import { toolCaller } from "../../support/mcpTools.ts"
import { deliveryOf, failed, type LinearWorld, ok, send, sessionCreated, startWorld } from "./routeKit.ts"

const ALL_TOOLS = [
  "add_label",
  "create_agent_activity",
  "create_comment",
  "create_issue",
  "create_sub_issue",
  "get_issue",
  "list_comments",
  "list_teams",
  "move_issue",
  "remove_label",
  "search_issues",
  "update_issue"
].map((name) => `mcp_linear_${name}`)

const Found = Schema.Struct({ issues: Schema.Array(Schema.Struct({ identifier: Schema.String })) })

describe("Linear tools through MCP", () => {
  let world: LinearWorld
  let agent: Client
  let limited: Client
  let issue: FakeIssue
  let agentSessionId: string

  beforeAll(async () => {
    world = await startWorld()
    const narrow = await world.kernel.publish(world.apiKey, {
      installationId: world.installationId,
      agentId: "agent-narrow",
      scopes: ["issues:read", "comments:read"],
      granularity: "issue"
    })
    const { control } = world.kernel.linear
    control.seedLabel("bug")
    control.seedLabel("frontend", "team-eng-0000-0000-000000000001")
    issue = control.seedIssue({ title: "Login fails on Safari", description: "Steps: open, click, cry.", labels: ["frontend"] })
    control.addComment(issue.id, "It started after the last deploy")
    const { payload, session } = sessionCreated(world.kernel, issue)
    agentSessionId = session.id
    await send(world, payload, "mcp-1")
    await world.kernel.eventually(() =>
      world.kernel.deliveries.filter((delivery) => delivery.dispatch.deliveryId === "mcp-1").length === 2
    )
    const [full] = world.kernel.deliveries.filter((delivery) => delivery.dispatch.publicationId === world.publicationId)
    const [few] = world.kernel.deliveries.filter((delivery) => delivery.dispatch.publicationId === narrow.id)
    agent = await world.kernel.mcpClient(full ?? (await deliveryOf(world, "mcp-1")))
    limited = await world.kernel.mcpClient(few ?? (await deliveryOf(world, "mcp-1")))
  })
  afterAll(async () => {
    await agent.close()
    await limited.close()
    await world.kernel.close()
  })

  it("tools/list shows every tool, each with its schema and annotations", async () => {
    const { tools } = await agent.listTools()
    expect(tools.map((tool) => tool.name).sort()).toEqual(ALL_TOOLS)
    const byName = new Map(tools.map((tool) => [tool.name, tool]))
    expect(byName.get("mcp_linear_get_issue")?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false })
    expect(byName.get("mcp_linear_update_issue")?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true })
    expect(byName.get("mcp_linear_create_agent_activity")?.inputSchema).toMatchObject({
      type: "object",
      required: ["agentSessionId", "type"]
    })
  })

  it("get_issue, list_teams and list_comments read", async () => {
    expect(await ok(agent, "get_issue", { issueId: issue.identifier })).toMatchObject({
      id: issue.id,
      title: "Login fails on Safari",
      state: { name: "Todo", type: "unstarted" },
      team: { key: "ENG" },
      labels: ["frontend"]
    })
    const teams = await ok(agent, "list_teams", {})
    expect(teams).toMatchObject({ teams: [{ key: "ENG", states: expect.arrayContaining([{ id: expect.any(String), name: "In Progress", type: "started" }]) }] })
    expect(await ok(agent, "list_teams", { team: "eng" })).toMatchObject({ teams: [{ key: "ENG" }] })
    await ok(agent, "create_comment", { issueId: issue.id, body: "Reproduced on Safari 18" })
    const { comments } = await ok(agent, "list_comments", { issueId: issue.identifier })
    expect(comments).toEqual([
      expect.objectContaining({ body: "It started after the last deploy", byAgent: false, author: expect.objectContaining({ name: "Ada Lovelace" }) }),
      expect.objectContaining({ body: "Reproduced on Safari 18", byAgent: true, parentId: null })
    ])
  })

  it("create_comment replies in a thread", async () => {
    const [first] = world.kernel.linear.control.comments(issue.id)
    const reply = await ok(agent, "create_comment", { issueId: issue.id, body: "Looking into it", parentCommentId: first?.id })
    expect(world.kernel.linear.control.comments(issue.id).find((comment) => comment.id === reply["id"])?.parentId).toBe(first?.id)
  })

  it("create_issue, update_issue, move_issue and create_sub_issue change issues", async () => {
    const created = await ok(agent, "create_issue", {
      team: "ENG",
      title: "Add a Safari smoke test",
      description: "Cover the login flow",
      priority: 2,
      assignee: "ada@example.com",
      dueDate: "2026-12-24"
    })
    expect(created).toMatchObject({ identifier: expect.stringMatching(/^ENG-\d+$/), priorityLabel: "High", dueDate: "2026-12-24" })
    const stored = world.kernel.linear.control.issue(String(created["id"]))
    expect(stored).toMatchObject({ title: "Add a Safari smoke test", description: "Cover the login flow", assignee: { id: DEFAULT_HUMAN.id } })

    const updated = await ok(agent, "update_issue", { issueId: created["identifier"], title: "Safari smoke test", assignee: "me", priority: 1 })
    expect(updated).toMatchObject({ title: "Safari smoke test", priorityLabel: "Urgent", assignee: { id: world.kernel.linear.control.appUser.id } })
    const cleared = await ok(agent, "update_issue", { issueId: created["id"], assignee: null, dueDate: null })
    expect(cleared).toMatchObject({ assignee: null, dueDate: null, title: "Safari smoke test" })

    expect(await ok(agent, "move_issue", { issueId: created["id"], state: "in progress" })).toMatchObject({
      state: { name: "In Progress", type: "started" }
    })
    const wrongState = await failed(agent, "move_issue", { issueId: created["id"], state: "Shipped" })
    expect(wrongState.reason).toBe("NotFound")
    expect(wrongState.message).toContain("Backlog, Todo, In Progress, In Review, Done, Canceled")

    const child = await ok(agent, "create_sub_issue", { parentIssueId: created["identifier"], title: "Record the flow", assignee: "ada" })
    expect(child).toMatchObject({ parent: { id: created["id"] }, team: { key: "ENG" } })
  })

  it("add_label and remove_label label an issue by name", async () => {
    expect(await ok(agent, "add_label", { issueId: issue.id, label: "BUG" })).toMatchObject({ labels: ["frontend", "bug"] })
    expect(await ok(agent, "add_label", { issueId: issue.id, label: "bug" })).toMatchObject({ labels: ["frontend", "bug"] })
    expect(await ok(agent, "remove_label", { issueId: issue.id, label: "frontend" })).toMatchObject({ labels: ["bug"] })
    expect(await ok(agent, "remove_label", { issueId: issue.id, label: "frontend" })).toMatchObject({ labels: ["bug"] })
    const missing = await failed(agent, "add_label", { issueId: issue.id, label: "regression" })
    expect(missing).toMatchObject({ reason: "NotFound" })
    expect(missing.message).toContain("create it in Linear first")
  })

  it("search_issues combines team, state, assignee, label and text", async () => {
    const other = world.kernel.linear.control.seedIssue({ title: "Dark mode", assignee: DEFAULT_HUMAN, stateName: "In Progress" })
    const search = (args: Record<string, unknown>) =>
      ok(agent, "search_issues", args).then((answer) => Schema.decodeUnknownSync(Found)(answer).issues.map((found) => found.identifier))
    expect(await search({ text: "safari", label: "bug", team: "ENG" })).toEqual([issue.identifier])
    expect(await search({ assignee: "ada", state: "started" })).toEqual([other.identifier])
    expect(await search({ assignee: "none", state: "Todo", text: "login" })).toEqual([issue.identifier])
    expect(await search({ assignee: "me" })).toEqual([])
    const result = await ok(agent, "search_issues", { first: 1 })
    expect(result).toMatchObject({ hasMore: true })
    expect(result["issues"]).toEqual([expect.not.objectContaining({ description: expect.anything() })])
    expect(await failed(agent, "search_issues", { team: "NOPE" })).toMatchObject({ reason: "NotFound" })
  })

  it("create_agent_activity posts each activity type into the agent session", async () => {
    const post = (args: Record<string, unknown>) => ok(agent, "create_agent_activity", { agentSessionId, ...args })
    await post({ type: "thought", body: "Reading the login code", ephemeral: true })
    await post({ type: "action", action: "Searching", parameter: "safari login", result: "3 files" })
    await post({ type: "elicitation", body: "Which Safari version?" })
    expect(world.kernel.linear.control.state.agentSessions.get(agentSessionId)?.status).toBe("awaitingInput")
    await post({ type: "error", body: "Could not reproduce" })
    await post({ type: "response", body: "Fixed in PR #42" })
    const posted = world.kernel.linear.control.activities(agentSessionId).map((activity) => activity.content["type"])
    expect(posted).toEqual(["thought", "thought", "action", "elicitation", "error", "response"])
    expect(world.kernel.linear.control.state.agentSessions.get(agentSessionId)?.status).toBe("complete")
    const noParameter = await failed(agent, "create_agent_activity", { agentSessionId, type: "action", action: "Running" })
    expect(noParameter).toMatchObject({ reason: "InvalidInput", message: "An action activity needs action and parameter" })
    const unknown = await failed(agent, "create_agent_activity", { agentSessionId: "no-such-session", type: "thought", body: "hi" })
    expect(unknown.reason).toBe("NotFound")
  })

  it("out-of-scope tools are absent from tools/list and refused by tools/call", async () => {
    const { tools } = await limited.listTools()
    expect(tools.map((tool) => tool.name).sort()).toEqual(["mcp_linear_get_issue", "mcp_linear_list_comments"])
    const before = world.kernel.linear.control.comments().length
    const refused = await failed(limited, "create_comment", { issueId: issue.id, body: "should not land" })
    expect(refused.reason).toBe("OutOfScope")
    expect(refused.message).toContain("comments:write")
    for (const [name, args] of [
      ["create_agent_activity", { agentSessionId, type: "thought", body: "no" }],
      ["search_issues", {}],
      ["update_issue", { issueId: issue.id, title: "no" }],
      ["list_teams", {}]
    ] as const) {
      expect((await failed(limited, name, args)).reason).toBe("OutOfScope")
    }
    expect(world.kernel.linear.control.comments().length).toBe(before)
    expect(await ok(limited, "get_issue", { issueId: issue.id })).toMatchObject({ id: issue.id })
  })

  it("Linear's failures are tool errors with a clear message; a rate limit says when to retry", async () => {
    expect(await failed(agent, "get_issue", { issueId: "ENG-999" })).toMatchObject({ reason: "NotFound" })
    expect(await failed(agent, "update_issue", { issueId: issue.id })).toMatchObject({ reason: "InvalidInput" })
    expect(await failed(agent, "create_issue", { team: "ENG", title: "x", priority: 9 })).toMatchObject({ reason: "InvalidInput" })
    expect(await failed(agent, "update_issue", { issueId: issue.id, assignee: "nobody-by-that-name" })).toMatchObject({
      reason: "NotFound"
    })
    world.kernel.linear.control.setRateLimited({ resetInSeconds: 42, budget: "complexity" })
    try {
      const limitedAnswer = await failed(agent, "get_issue", { issueId: issue.id })
      expect(limitedAnswer.reason).toBe("RateLimited")
      expect(limitedAnswer.retryAfterSeconds).toBeGreaterThanOrEqual(41)
      expect(limitedAnswer.retryAfterSeconds).toBeLessThanOrEqual(42)
      expect(limitedAnswer.message).toContain("complexity budget spent")
      expect(limitedAnswer.text).toMatch(/retry after 4\d s/)
    } finally {
      world.kernel.linear.control.setRateLimited(false)
    }
    // A tool nobody registered is a protocol error (JSON-RPC -32602), as the MCP spec asks.
    expect(await toolCaller("linear").refused(agent, "no_such_tool", {})).toMatchObject({
      code: -32602,
      data: { reason: "UnknownTool" }
    })
  })
})
