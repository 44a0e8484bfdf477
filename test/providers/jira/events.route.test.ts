/**
 * Jira events through the real `/webhook/jira` route, with signed payloads in Jira's shapes: an
 * issue assigned to the agent's account creates the issue's session (`jira:issue:<id>`), a later
 * comment resumes it, a mention starts one, an unassignment stops it; the agent's own comments,
 * other edits, other assignees, the project filter and unhandled events are ignored, each with
 * its reason recorded. A site installed by two tenants (one by OAuth, one by paste) reaches both.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { FakeIssue } from "../../../sandbox/fakes/jira/FakeJiraState.ts"
import { GRACE } from "../../../sandbox/fakes/jira/FakeJiraState.ts"
import { commentCreated, issueAssigned, issueCreated, issueEdited, issueUnassigned, mention } from "../../../sandbox/fakes/jira/payloads.ts"
import { decided, deliver, deliveryOf, fixture, ignoredWith, install, type JiraWorld, startWorld } from "./world.ts"

describe("Jira events through /webhook/jira", () => {
  let world: JiraWorld
  let issue: FakeIssue
  let site: string
  let firstSessionId: string

  beforeAll(async () => {
    world = await startWorld()
    site = world.server.url
    issue = world.jira.control.seedIssue({ summary: "Checkout times out", description: "About 3% of EU checkouts hit a 504." })
  })
  afterAll(() => world.close())

  it("an issue assigned to the agent's account creates the issue's session, with the issue as the prompt", async () => {
    const { agent, human } = world.jira.control
    await deliver(world, issueAssigned({ site, issue: fixture(world, issue), to: agent, actor: human }), "assigned-1")
    const delivery = await deliveryOf(world, "assigned-1")
    firstSessionId = delivery.dispatch.sessionId
    expect(delivery.dispatch).toMatchObject({
      mode: "create",
      stop: false,
      eventType: "jira:issue_updated",
      sessionKey: `jira:issue:${issue.id}`,
      actor: { id: human.accountId, name: "Ada Lovelace" }
    })
    expect(delivery.dispatch.prompt).toContain(`Ada Lovelace assigned you the Jira issue ${issue.key}: Checkout times out`)
    expect(delivery.dispatch.prompt).toContain("About 3% of EU checkouts")
    expect(delivery.dispatch.context).toMatchObject({
      trigger: "assignment",
      issueId: issue.id,
      issueKey: issue.key,
      issueUrl: `${site}/browse/${issue.key}`,
      projectKey: "ENG",
      site: new URL(site).host
    })
  })

  it("a later comment on the issue resumes that session with the comment", async () => {
    await deliver(world, commentCreated({ site, issue: fixture(world, issue), body: "Also check the retry logic" }), "comment-1")
    const delivery = await deliveryOf(world, "comment-1")
    expect(delivery.dispatch).toMatchObject({ mode: "resume", sessionId: firstSessionId, prompt: "Also check the retry logic", eventType: "comment_created" })
    expect(delivery.dispatch.context).toMatchObject({ trigger: "comment", commentId: expect.any(String) })
  })

  it("a comment mentioning the agent on another issue starts that issue's session, the mention readable", async () => {
    const other = world.jira.control.seedIssue({ summary: "Export drops the last row" })
    const body = `${mention(world.jira.control.agent.accountId)} can you take this?`
    await deliver(world, commentCreated({ site, issue: fixture(world, other), body }), "mention-1")
    const delivery = await deliveryOf(world, "mention-1")
    expect(delivery.dispatch).toMatchObject({ mode: "create", sessionKey: `jira:issue:${other.id}`, prompt: "@Switchboard Agent can you take this?" })
    expect(delivery.dispatch.context).toMatchObject({ trigger: "mention" })
  })

  it("a comment without a mention on an issue without a session is ignored", async () => {
    const quiet = world.jira.control.seedIssue({ summary: "Nobody asked" })
    await deliver(world, commentCreated({ site, issue: fixture(world, quiet), body: "Just a note" }), "quiet-1")
    await ignoredWith(world, "quiet-1", `no live session for jira:issue:${quiet.id}`)
  })

  it("the agent's own comments, other edits and assignments to someone else are ignored", async () => {
    const { agent } = world.jira.control
    await deliver(world, commentCreated({ site, issue: fixture(world, issue), body: "Working on it", author: agent }), "own-1")
    await ignoredWith(world, "own-1", "written by the agent's own Jira account")
    await deliver(world, issueEdited({ site, issue: { ...fixture(world, issue), summary: "Renamed" } }), "edit-1")
    await ignoredWith(world, "edit-1", "does not change its assignee")
    const elsewhere = world.jira.control.seedIssue()
    await deliver(world, issueAssigned({ site, issue: fixture(world, elsewhere), to: GRACE }), "grace-1")
    await ignoredWith(world, "grace-1", "does not assign it to or take it from the agent's account")
    await deliver(world, issueAssigned({ site, issue: fixture(world, elsewhere), to: agent, actor: agent }), "self-1")
    await ignoredWith(world, "self-1", "made by the agent's own Jira account")
  })

  it("an issue created already assigned to the agent starts its session", async () => {
    const created = world.jira.control.seedIssue({ summary: "Born assigned", assigneeId: world.jira.control.agent.accountId })
    await deliver(world, issueCreated({ site, issue: fixture(world, created) }), "created-1")
    expect((await deliveryOf(world, "created-1")).dispatch).toMatchObject({ mode: "create", sessionKey: `jira:issue:${created.id}` })
  })

  it("taking the issue from the agent stops its session", async () => {
    const { agent, human } = world.jira.control
    await deliver(world, issueUnassigned({ site, issue: fixture(world, issue), from: agent, to: human }), "unassigned-1")
    const delivery = await deliveryOf(world, "unassigned-1")
    expect(delivery.dispatch).toMatchObject({ mode: "resume", stop: true, sessionId: firstSessionId })
    expect(delivery.dispatch.context).toMatchObject({ stopRequested: true })
  })

  it("a signed known event without its parts is accepted (200), stored and ignored with the reason", async () => {
    const self = `${site}/rest/api/2/issue/1`
    for (const [index, partial] of [
      { webhookEvent: "comment_created", timestamp: Date.now(), issue: { self } },
      { webhookEvent: "jira:issue_updated", timestamp: Date.now(), issue: { key: "ENG-1", self } }
    ].entries()) {
      await deliver(world, partial, `partial-${index}`)
      await ignoredWith(world, `partial-${index}`, `Jira ${partial.webhookEvent} payload is not in the documented shape`)
    }
  })

  it("unhandled events are stored and ignored with their name", async () => {
    await deliver(world, { timestamp: Date.now(), webhookEvent: "worklog_created", worklog: { id: "1" }, issue: { self: `${site}/rest/api/2/issue/1` } }, "worklog-1")
    await ignoredWith(world, "worklog-1", `Jira event "worklog_created" is not handled`)
  })
})

describe("Jira routing per publication", () => {
  let world: JiraWorld

  beforeAll(async () => {
    world = await startWorld({ publication: { filters: { project: ["OPS"] } } })
  })
  afterAll(() => world.close())

  it("the project filter lets only its projects through, by key", async () => {
    const site = world.server.url
    const { agent } = world.jira.control
    const eng = world.jira.control.seedIssue({ project: "ENG" })
    await deliver(world, issueAssigned({ site, issue: fixture(world, eng), to: agent }), "eng-1")
    await ignoredWith(world, "eng-1", `issue ${eng.key} is in project ENG, outside this publication's project filter`)
    const ops = world.jira.control.seedIssue({ project: "OPS" })
    await deliver(world, issueAssigned({ site, issue: fixture(world, ops), to: agent }), "ops-1")
    expect((await deliveryOf(world, "ops-1")).dispatch.sessionKey).toBe(`jira:issue:${ops.id}`)
  })

  it("a workspace publication keys every issue's work by site, and mentions are all it hears in comments", async () => {
    const site = world.server.url
    const { id } = await world.kernel.publish(world.apiKey, { installationId: world.installationId, agentId: "site-agent", scopes: ["issues:read"], granularity: "workspace" })
    const ops = world.jira.control.seedIssue({ project: "OPS" })
    await deliver(world, issueAssigned({ site, issue: fixture(world, ops), to: world.jira.control.agent }), "site-1")
    expect((await deliveryOf(world, "site-1", id)).dispatch.sessionKey).toBe(`jira:site:${new URL(site).host}`)
    await deliver(world, commentCreated({ site, issue: fixture(world, ops), body: "No mention here" }), "site-2")
    const row = await decided(world, "site-2")
    expect(row.event.reason).toContain("does not mention the agent's account")
  })

  it("a site installed by two tenants, by OAuth and by paste, reaches both", async () => {
    const other = await world.kernel.createTenant("globex")
    const installationId = await install(world, other.apiKey, "paste")
    const { id } = await world.kernel.publish(other.apiKey, { installationId, agentId: "globex-agent", scopes: ["issues:read"], granularity: "issue" })
    const shared = world.jira.control.seedIssue({ project: "OPS" })
    await deliver(world, issueAssigned({ site: world.server.url, issue: fixture(world, shared), to: world.jira.control.agent }), "shared-1")
    expect((await deliveryOf(world, "shared-1", id)).dispatch.tenantId).not.toBe((await deliveryOf(world, "shared-1", world.publicationId)).dispatch.tenantId)
  })
})
