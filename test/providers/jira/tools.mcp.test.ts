/**
 * Every Jira tool through the MCP endpoint, with the official SDK client bound to a delivery's
 * session token, against the fake Jira: what each does to the site (rich text stored as ADF,
 * assignees resolved, statuses reached through workflow transitions), and Jira's failures
 * (unknown issues, bad JQL, rate limits, outages) as tool errors with clear messages. The same
 * tools work for an installation made by credential paste, over Basic auth on the site.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { FakeIssue } from "../../../sandbox/fakes/jira/FakeJiraState.ts"
import { GRACE } from "../../../sandbox/fakes/jira/FakeJiraState.ts"
import { issueAssigned } from "../../../sandbox/fakes/jira/payloads.ts"
import { deliver, deliveryOf, failed, fixture, type InstallType, type JiraWorld, ok, startWorld } from "./world.ts"

const agentFor = async (world: JiraWorld, issue: FakeIssue, deliveryId: string): Promise<Client> => {
  await deliver(world, issueAssigned({ site: world.server.url, issue: fixture(world, issue), to: world.jira.control.agent }), deliveryId)
  return world.kernel.mcpClient(await deliveryOf(world, deliveryId))
}

describe("Jira tools through MCP", () => {
  let world: JiraWorld
  let agent: Client
  let issue: FakeIssue

  beforeAll(async () => {
    world = await startWorld()
    issue = world.jira.control.seedIssue({ summary: "Login fails on Safari", description: "Steps: open, click, cry.", labels: ["frontend"] })
    world.jira.control.addComment(issue.key, "It started after the last deploy")
    agent = await agentFor(world, issue, "tools-1")
  })
  afterAll(async () => {
    await agent.close()
    await world.close()
  })

  it("tools/list shows the nine tools with their annotations", async () => {
    const { tools } = await agent.listTools()
    expect(tools.map((tool) => tool.name).sort()).toEqual(
      ["add_comment", "add_label", "assign_issue", "create_issue", "get_issue", "list_transitions", "search_issues", "update_issue", "update_issue_status"]
        .map((name) => `mcp_jira_${name}`)
    )
    expect(tools.find((tool) => tool.name === "mcp_jira_get_issue")?.annotations).toMatchObject({ readOnlyHint: true })
    expect(tools.find((tool) => tool.name === "mcp_jira_update_issue")?.annotations).toMatchObject({ destructiveHint: true })
  })

  it("get_issue reads the issue, its rich text as plain text, and its comments", async () => {
    const read = await ok(agent, "get_issue", { issue: issue.key })
    expect(read).toMatchObject({
      id: issue.id,
      key: issue.key,
      url: `${world.server.url}/browse/${issue.key}`,
      summary: "Login fails on Safari",
      description: "Steps: open, click, cry.",
      status: "To Do",
      statusCategory: "To Do",
      labels: ["frontend"],
      reporter: { displayName: "Ada Lovelace" },
      comments: [{ body: "It started after the last deploy", byAgent: false, author: { displayName: "Ada Lovelace" } }]
    })
  })

  it("add_comment posts as the agent, sent as an ADF document with mentions", async () => {
    const answer = await ok(agent, "add_comment", { issue: issue.key, body: `Reproduced.\n\nThanks [~accountid:${GRACE.accountId}]` })
    expect(answer).toMatchObject({ id: expect.any(String), issue: issue.key })
    const stored = world.jira.control.comments(issue.key).at(-1)
    expect(stored?.authorId).toBe(world.jira.control.agent.accountId)
    expect(stored?.text).toBe(`Reproduced.\n\nThanks [~accountid:${GRACE.accountId}]`)
    expect(await ok(agent, "get_issue", { issue: issue.key })).toMatchObject({ comments: [{ byAgent: false }, { byAgent: true }] })
  })

  it("create_issue, update_issue and add_label change issues", async () => {
    const created = await ok(agent, "create_issue", {
      project: "eng",
      summary: "Add a Safari smoke test",
      description: "Cover the login flow",
      issueType: "Bug",
      priority: "High",
      labels: ["qa"],
      assignee: "me",
      dueDate: "2026-12-24"
    })
    expect(created).toMatchObject({ key: expect.stringMatching(/^ENG-\d+$/), url: expect.stringContaining("/browse/ENG-") })
    const stored = world.jira.control.issue(String(created["key"]))
    expect(stored).toMatchObject({ summary: "Add a Safari smoke test", issueType: "Bug", priority: "High", labels: ["qa"], dueDate: "2026-12-24", assigneeId: world.jira.control.agent.accountId })

    expect(await ok(agent, "update_issue", { issue: String(created["key"]), summary: "Safari smoke test", dueDate: null, labels: ["qa", "safari"] }))
      .toMatchObject({ updated: ["summary", "labels", "duedate"] })
    expect(world.jira.control.issue(String(created["key"]))).toMatchObject({ summary: "Safari smoke test", dueDate: null, labels: ["qa", "safari"] })
    await ok(agent, "add_label", { issue: String(created["key"]), label: "needs-review" })
    expect(world.jira.control.issue(String(created["key"]))?.labels).toEqual(["qa", "safari", "needs-review"])
    expect((await failed(agent, "update_issue", { issue: issue.key })).reason).toBe("InvalidInput")
  })

  it("assign_issue takes me, none, an e-mail or a name, and refuses someone unknown", async () => {
    await ok(agent, "assign_issue", { issue: issue.key, assignee: "grace@example.com" })
    expect(world.jira.control.issue(issue.key)?.assigneeId).toBe(GRACE.accountId)
    expect(await ok(agent, "assign_issue", { issue: issue.key, assignee: "Ada Lovelace" })).toMatchObject({ assignee: { displayName: "Ada Lovelace" } })
    await ok(agent, "assign_issue", { issue: issue.key, assignee: "none" })
    expect(world.jira.control.issue(issue.key)?.assigneeId).toBeNull()
    await ok(agent, "assign_issue", { issue: issue.key, assignee: "me" })
    expect(world.jira.control.issue(issue.key)?.assigneeId).toBe(world.jira.control.agent.accountId)
    expect(await failed(agent, "assign_issue", { issue: issue.key, assignee: "Nobody Atall" })).toMatchObject({ reason: "InvalidInput" })
  })

  it("list_transitions and update_issue_status move the issue to a status by name", async () => {
    expect(await ok(agent, "list_transitions", { issue: issue.key })).toMatchObject({
      transitions: [{ name: "Start progress", toStatus: "In Progress" }, { name: "Resolve", toStatus: "Done" }]
    })
    expect(await ok(agent, "update_issue_status", { issue: issue.key, status: "in progress" }))
      .toMatchObject({ status: "In Progress", transition: "Start progress", changed: true })
    expect(world.jira.control.statusOf(issue.key)).toBe("In Progress")
    expect(await ok(agent, "update_issue_status", { issue: issue.key, status: "In Progress" })).toMatchObject({ changed: false })
    expect(await ok(agent, "update_issue_status", { issue: issue.key, status: "Resolve" })).toMatchObject({ status: "Done" })
    const refused = await failed(agent, "update_issue_status", { issue: issue.key, status: "Shipped" })
    expect(refused.reason).toBe("InvalidInput")
    expect(refused.message).toContain("reachable statuses: To Do, In Progress")
  })

  it("search_issues runs JQL, pages, and reports a query Jira cannot run", async () => {
    for (const summary of ["Alpha", "Beta", "Gamma"]) world.jira.control.seedIssue({ project: "OPS", summary })
    const first = await ok(agent, "search_issues", { jql: "project = OPS ORDER BY created ASC", maxResults: 2 })
    expect(first).toMatchObject({ issues: [{ summary: "Alpha", project: "OPS" }, { summary: "Beta" }], isLast: false })
    const second = await ok(agent, "search_issues", { jql: "project = OPS ORDER BY created ASC", maxResults: 2, nextPageToken: String(first["nextPageToken"]) })
    expect(second).toMatchObject({ issues: [{ summary: "Gamma" }], isLast: true, nextPageToken: null })
    expect(await ok(agent, "search_issues", { jql: "assignee = currentUser()" })).toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ key: issue.key })]) })
    const bad = await failed(agent, "search_issues", { jql: "flavour = vanilla" })
    expect(bad).toMatchObject({ reason: "InvalidInput", message: expect.stringContaining("Field 'flavour' does not exist") })
  })

  it("Jira's failures are tool errors: unknown issue, rate limit with Retry-After, an outage", async () => {
    expect(await failed(agent, "get_issue", { issue: "ENG-9999" })).toMatchObject({ reason: "NotFound" })
    world.jira.control.setRateLimited({ retryAfterSeconds: 42 })
    expect(await failed(agent, "get_issue", { issue: issue.key })).toMatchObject({ reason: "RateLimited", retryAfterSeconds: 42 })
    world.jira.control.setRateLimited(false)
    world.jira.control.failNext({ status: 503 })
    expect(await failed(agent, "add_comment", { issue: issue.key, body: "hello" })).toMatchObject({ reason: "VendorError", message: expect.stringContaining("HTTP 503") })
    world.jira.control.failNext({ status: 403, body: { errorMessages: ["You do not have permission to comment"] } })
    expect(await failed(agent, "add_comment", { issue: issue.key, body: "hello" })).toMatchObject({ reason: "Forbidden", message: expect.stringContaining("permission to comment") })
  })

  it("every call went through the gateway with the bearer token", () => {
    const calls = world.jira.control.calls()
    expect(calls.length).toBeGreaterThan(10)
    expect(calls.every((call) => call.auth === "bearer")).toBe(true)
  })
})

describe("Jira tools for a pasted installation", () => {
  const type: InstallType = "paste"
  let world: JiraWorld

  beforeAll(async () => {
    world = await startWorld({ install: type })
  })
  afterAll(() => world.close())

  it("act on the site with Basic auth (the pasted e-mail and API token)", async () => {
    const issue = world.jira.control.seedIssue({ summary: "Pasted" })
    const agent = await agentFor(world, issue, "paste-1")
    try {
      await ok(agent, "add_comment", { issue: issue.key, body: "Hello from a pasted install" })
      expect(await ok(agent, "update_issue_status", { issue: issue.key, status: "Done" })).toMatchObject({ status: "Done" })
      expect(world.jira.control.comments(issue.key).at(-1)?.authorId).toBe(world.jira.control.agent.accountId)
      const calls = world.jira.control.calls()
      expect(calls.length).toBeGreaterThan(0)
      expect(calls.every((call) => call.auth === "basic")).toBe(true)
    } finally {
      await agent.close()
    }
  })
})
