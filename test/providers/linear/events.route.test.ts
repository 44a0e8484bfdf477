/**
 * Acceptance 1: each Linear event mapping through the real webhook route, with signed payloads
 * in Linear's shapes. Agent sessions: created starts the issue's session, prompted resumes it
 * with the message, stop resumes it with a stop. The classic path: an assignment or a mention
 * creates or resumes the issue's session (the same session an agent session on that issue
 * uses), an unassignment stops it. The app's own comments, assignments and sessions, and
 * everything for a revoked installation, are ignored, each with its reason recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { FakeIssue } from "../../../sandbox/fakes/linear/FakeLinearState.ts"
import {
  agentSessionCreated,
  commentEvent,
  issueAssigned,
  issueEvent,
  issueUnassigned
} from "../../../sandbox/fakes/linear/payloads.ts"
import {
  decided,
  deliveryOf,
  ignoredWith,
  issueFixture,
  type LinearWorld,
  send,
  sessionCreated,
  sessionPrompted,
  startWorld
} from "./routeKit.ts"

const APP_USER_ID = "user-app-0000-0000-000000000001"

describe("Linear events through the webhook route", () => {
  let world: LinearWorld
  let issue: FakeIssue
  let sessionId: string
  let firstSessionId: string

  beforeAll(async () => {
    world = await startWorld()
    issue = world.kernel.linear.control.seedIssue({ title: "Checkout fails on Safari", description: "Steps: ..." })
  })
  afterAll(() => world.kernel.close())

  it("AgentSessionEvent.created creates the issue's session, carrying the agent session id", async () => {
    const { payload, session } = sessionCreated(world.kernel, issue, "@switchboard please fix this")
    sessionId = session.id
    await send(world, payload, "created-1")
    const delivery = await deliveryOf(world, "created-1")
    firstSessionId = delivery.dispatch.sessionId
    expect(delivery.dispatch).toMatchObject({
      mode: "create",
      stop: false,
      eventType: "AgentSessionEvent.created",
      sessionKey: `linear:issue:${issue.id}`,
      publicationId: world.publicationId
    })
    expect(delivery.dispatch.prompt).toContain("@switchboard please fix this")
    expect(delivery.dispatch.context).toMatchObject({
      trigger: "agent_session",
      agentSessionId: session.id,
      issueId: issue.id,
      issueIdentifier: issue.identifier
    })
    expect(delivery.dispatch.actor).toEqual({ id: "user-human-0000-0000-000000000001", name: "Ada Lovelace" })
  })

  it("AgentSessionEvent.prompted resumes it with the user's message", async () => {
    await send(world, sessionPrompted(issue, sessionId, { body: "Also check Firefox" }), "prompted-1")
    const delivery = await deliveryOf(world, "prompted-1")
    expect(delivery.dispatch).toMatchObject({
      mode: "resume",
      stop: false,
      sessionId: firstSessionId,
      prompt: "Also check Firefox",
      eventType: "AgentSessionEvent.prompted"
    })
    expect(delivery.dispatch.context).toMatchObject({ agentSessionId: sessionId, agentActivityId: expect.any(String) })
  })

  it("the stop signal resumes it with a stop", async () => {
    await send(world, sessionPrompted(issue, sessionId, { signal: "stop", body: "Stop" }), "stop-1")
    const delivery = await deliveryOf(world, "stop-1")
    expect(delivery.dispatch).toMatchObject({ mode: "resume", stop: true, sessionId: firstSessionId })
  })

  it("a stop for an issue without a live session dispatches nothing, with the reason", async () => {
    const other = world.kernel.linear.control.seedIssue({ title: "Never started" })
    await send(world, sessionPrompted(other, "session-unknown", { signal: "stop", body: "Stop" }), "stop-2")
    await ignoredWith(world, "stop-2", `no live session for linear:issue:${other.id}`)
  })

  it("assigning an issue to the app user creates its session; unassigning stops it", async () => {
    const assigned = world.kernel.linear.control.seedIssue({ title: "Flaky login test", description: "One run in ten" })
    await send(world, issueAssigned({ issue: issueFixture(assigned) }), "assign-1")
    const start = await deliveryOf(world, "assign-1")
    expect(start.dispatch).toMatchObject({ mode: "create", eventType: "Issue.update", sessionKey: `linear:issue:${assigned.id}` })
    expect(start.dispatch.prompt).toContain("Flaky login test")
    expect(start.dispatch.prompt).toContain("One run in ten")
    expect(start.dispatch.context).toMatchObject({ trigger: "assignment", agentSessionId: null, issueId: assigned.id })

    await send(world, issueUnassigned({ issue: issueFixture(assigned) }), "unassign-1")
    const stop = await deliveryOf(world, "unassign-1")
    expect(stop.dispatch).toMatchObject({ mode: "resume", stop: true, sessionId: start.dispatch.sessionId })
  })

  it("an issue created already assigned to the app user creates its session", async () => {
    const created = world.kernel.linear.control.seedIssue({ title: "Filed for the agent" })
    await send(world, issueEvent({ action: "create", assigneeId: APP_USER_ID, issue: issueFixture(created) }), "create-1")
    expect((await deliveryOf(world, "create-1")).dispatch).toMatchObject({ mode: "create", eventType: "Issue.create" })
  })

  it("an assignment on an issue with an agent session resumes that same session", async () => {
    await send(world, issueAssigned({ issue: issueFixture(issue) }), "assign-2")
    expect((await deliveryOf(world, "assign-2")).dispatch).toMatchObject({ mode: "resume", sessionId: firstSessionId })
  })

  it("other edits of an assigned issue, and assignments to someone else, are ignored with the reason", async () => {
    const payload = issueEvent({ assigneeId: APP_USER_ID, issue: issueFixture(issue), updatedFrom: { title: "Old" } })
    await send(world, payload, "edit-1")
    await ignoredWith(world, "edit-1", "does not change its assignee")
    await send(world, issueAssigned({ assigneeId: "someone-else", issue: issueFixture(issue) }), "assign-other")
    await ignoredWith(world, "assign-other", "does not assign it to or take it from this app user")
  })

  it("a comment mentioning the app user creates the issue's session with the comment as prompt", async () => {
    const mentioned = world.kernel.linear.control.seedIssue({ title: "Slow search" })
    const body = "@switchboard can you profile the search endpoint?"
    await send(world, commentEvent({ id: "comment-mention-1", body, issue: issueFixture(mentioned) }), "mention-1")
    const delivery = await deliveryOf(world, "mention-1")
    expect(delivery.dispatch).toMatchObject({ mode: "create", prompt: body, eventType: "Comment.create" })
    expect(delivery.dispatch.context).toMatchObject({ trigger: "mention", commentId: "comment-mention-1", agentSessionId: null })

    const link = "[@switchboard](https://linear.app/fake-workspace/profiles/switchboard) and the index too"
    await send(world, commentEvent({ id: "comment-mention-2", body: link, issue: issueFixture(mentioned) }), "mention-2")
    expect((await deliveryOf(world, "mention-2")).dispatch).toMatchObject({ mode: "resume", sessionId: delivery.dispatch.sessionId })
  })

  it("a comment that does not mention the app user is ignored with the reason", async () => {
    const payload = commentEvent({ body: "cc @switchboarder, and mail ops@switchboard.dev", issue: issueFixture(issue) })
    await send(world, payload, "no-mention")
    await ignoredWith(world, "no-mention", "does not mention this app user (@switchboard")
  })

  it("the app's own comments, assignments, sessions and prompts are ignored with the reason", async () => {
    const own = commentEvent({ body: "@switchboard note to self", userId: APP_USER_ID, issue: issueFixture(issue) })
    await send(world, own, "own-comment")
    await ignoredWith(world, "own-comment", "written by this app's own Linear user")

    const selfAssigned = issueAssigned({ actor: { id: APP_USER_ID, name: "Switchboard Agent" }, issue: issueFixture(issue) })
    await send(world, selfAssigned, "own-assignment")
    await ignoredWith(world, "own-assignment", "made by this app's own Linear user")

    await send(world, agentSessionCreated({ creatorId: APP_USER_ID, issue: issueFixture(issue) }), "own-session")
    await ignoredWith(world, "own-session", "caused by this app's own Linear user")

    await send(world, sessionPrompted(issue, sessionId, { userId: APP_USER_ID, body: "echo" }), "own-prompt")
    await ignoredWith(world, "own-prompt", "caused by this app's own Linear user")
  })

  it("events Linear sends but the provider does not act on are recorded as ignored", async () => {
    await send(world, { type: "IssueLabel", action: "create", organizationId: "org-fake-0000-0000-000000000001", data: {} }, "label-1")
    await ignoredWith(world, "label-1", "\"IssueLabel.create\" is not handled")
    await send(world, commentEvent({ action: "update", issue: issueFixture(issue) }), "comment-edit")
    await ignoredWith(world, "comment-edit", "\"Comment.update\" is not handled")
  })

  it("a known event that does not match its Schema is accepted and recorded as ignored with the reason", async () => {
    await send(world, { type: "Issue", action: "update", organizationId: "org-fake-0000-0000-000000000001" }, "issue-no-data")
    await ignoredWith(world, "issue-no-data", "Linear Issue.update payload is not in the documented shape")
    await send(world, { type: "Issue", action: "update" }, "issue-no-organization")
  })
})

describe("a revoked Linear installation", () => {
  let world: LinearWorld

  beforeAll(async () => {
    world = await startWorld()
  })
  afterAll(() => world.kernel.close())

  it("OAuthApp.revoked marks the installation revoked and its publications paused; later events are ignored", async () => {
    const issue = world.kernel.linear.control.seedIssue({ title: "After the uninstall" })
    await send(world, { type: "OAuthApp", action: "revoked", organizationId: "org-fake-0000-0000-000000000001" }, "revoked-1")
    // The kernel revokes the installation on receipt, so the event itself finds it revoked.
    await ignoredWith(world, "revoked-1", "installation is revoked")
    const installations = await (await world.kernel.request("/v1/installations", { apiKey: world.apiKey })).json()
    expect(installations.installations[0]).toMatchObject({ id: world.installationId, status: "revoked" })
    const publications = await (await world.kernel.request("/v1/publications", { apiKey: world.apiKey })).json()
    expect(publications.publications[0]).toMatchObject({ id: world.publicationId, status: "paused" })

    const { payload, session } = sessionCreated(world.kernel, issue)
    await send(world, payload, "after-revoke-1")
    await ignoredWith(world, "after-revoke-1", "installation is revoked")
    await send(world, issueAssigned({ issue: issueFixture(issue) }), "after-revoke-2")
    await ignoredWith(world, "after-revoke-2", "installation is revoked")
    // Nothing is said in Linear on behalf of a revoked installation either.
    expect(world.kernel.linear.control.activities(session.id)).toEqual([])
  })

  it("the stored reasons say which event was ignored and why", async () => {
    const row = await decided(world, "after-revoke-1")
    expect(row.event).toMatchObject({ eventType: "AgentSessionEvent.created", status: "ignored" })
    expect(row.dispatches).toEqual([])
  })
})
