/**
 * Jira's decide rules, event by event, without the kernel: which session an event starts,
 * resumes or stops, with which prompt and context, and why everything else is ignored.
 */
import { describe, expect, it } from "vitest"
import { ADA, AGENT, GRACE } from "../../../sandbox/fakes/jira/FakeJiraState.ts"
import { commentCreated, issueAssigned, issueCreated, issueEdited, issueUnassigned, mention } from "../../../sandbox/fakes/jira/payloads.ts"
import { decisionOf, dispatched, ignored, installation, publication, SITE } from "./fixtures.ts"

const issue = { id: "10042", key: "ENG-42", summary: "Checkout times out", description: "504s in the EU.", projectKey: "ENG", projectId: "10000" }

describe("Jira decisions", () => {
  it("an assignment to the agent starts the issue's session with the issue as the prompt", async () => {
    const intent = dispatched(await decisionOf(issueAssigned({ site: SITE, issue, to: AGENT, from: GRACE, actor: ADA })))
    expect(intent).toMatchObject({ sessionKey: "jira:issue:10042", mode: "start", actor: { id: ADA.accountId, name: "Ada Lovelace" } })
    expect(intent.prompt).toBe("Ada Lovelace assigned you the Jira issue ENG-42: Checkout times out\n\n504s in the EU.")
    expect(intent.context).toMatchObject({ trigger: "assignment", issueKey: "ENG-42", issueUrl: `${SITE}/browse/ENG-42`, projectKey: "ENG", site: "acme.atlassian.net", commentId: null })
  })

  it("taking it from the agent stops an issue session, and only tells a workspace session", async () => {
    expect(dispatched(await decisionOf(issueUnassigned({ site: SITE, issue, from: AGENT })))).toMatchObject({ mode: "stop", context: { stopRequested: true } })
    const workspace = publication({ granularity: "workspace" })
    expect(dispatched(await decisionOf(issueUnassigned({ site: SITE, issue, from: AGENT }), { publication: workspace })))
      .toMatchObject({ mode: "resumeOnly", sessionKey: "jira:site:acme.atlassian.net" })
  })

  it("ignores assignments between other people, the agent's own, other edits, and installs without an account", async () => {
    expect(ignored(await decisionOf(issueAssigned({ site: SITE, issue, to: GRACE, from: ADA })))).toContain("does not assign it to or take it from")
    expect(ignored(await decisionOf(issueAssigned({ site: SITE, issue, to: AGENT, actor: AGENT })))).toContain("made by the agent's own Jira account")
    expect(ignored(await decisionOf(issueEdited({ site: SITE, issue })))).toContain("does not change its assignee")
    expect(ignored(await decisionOf(issueAssigned({ site: SITE, issue, to: AGENT }), { installation: installation({}) }))).toContain("reinstall it")
  })

  it("an issue created assigned to the agent starts; created for someone else does not", async () => {
    expect(dispatched(await decisionOf(issueCreated({ site: SITE, issue: { ...issue, assignee: AGENT } }))).mode).toBe("start")
    expect(ignored(await decisionOf(issueCreated({ site: SITE, issue: { ...issue, assignee: GRACE } })))).toContain("does not assign it")
  })

  it("a comment mentioning the agent (wiki markup) starts, with the mention made readable", async () => {
    const intent = dispatched(await decisionOf(commentCreated({ site: SITE, issue, body: `${mention(AGENT.accountId)} please retry`, commentId: "777" })))
    expect(intent).toMatchObject({ mode: "start", prompt: "@Switchboard Agent please retry", context: { trigger: "mention", commentId: "777" } })
  })

  it("a comment mentioning the agent as an ADF mention node starts too", async () => {
    const body = { type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "mention", attrs: { id: AGENT.accountId, text: "@Switchboard Agent" } }, { type: "text", text: " have a look" }] }] }
    const payload = { ...commentCreated({ site: SITE, issue, body: "" }), comment: { id: "778", body, author: { accountId: ADA.accountId, displayName: "Ada" } } }
    expect(dispatched(await decisionOf(payload))).toMatchObject({ mode: "start", prompt: "@Switchboard Agent have a look" })
  })

  it("other comments resume a live issue session, are not heard at workspace granularity, and the agent's own are ignored", async () => {
    expect(dispatched(await decisionOf(commentCreated({ site: SITE, issue, body: "Any news?" })))).toMatchObject({ mode: "resumeOnly", context: { trigger: "comment" } })
    expect(ignored(await decisionOf(commentCreated({ site: SITE, issue, body: "Any news?" }), { publication: publication({ granularity: "workspace" }) })))
      .toContain("does not mention the agent's account")
    expect(ignored(await decisionOf(commentCreated({ site: SITE, issue, body: mention(AGENT.accountId), author: AGENT })))).toContain("written by the agent's own")
    expect(ignored(await decisionOf(commentCreated({ site: SITE, issue, body: "   " })))).toContain("has no text")
  })

  it("the project filter matches keys (any case), ids, and the key's prefix when the payload has no project", async () => {
    const filtered = (projects: ReadonlyArray<string>) => publication({ filters: { project: projects } })
    expect(dispatched(await decisionOf(issueAssigned({ site: SITE, issue, to: AGENT }), { publication: filtered(["eng"]) })).mode).toBe("start")
    expect(dispatched(await decisionOf(issueAssigned({ site: SITE, issue, to: AGENT }), { publication: filtered(["10000"]) })).mode).toBe("start")
    expect(ignored(await decisionOf(issueAssigned({ site: SITE, issue, to: AGENT }), { publication: filtered(["OPS"]) }))).toContain("outside this publication's project filter")
    const bare = commentCreated({ site: SITE, issue, body: mention(AGENT.accountId) })
    const withoutProject = { ...bare, issue: { id: "10042", key: "OPS-7", self: `${SITE}/rest/api/2/issue/10042`, fields: { summary: "x" } } }
    expect(dispatched(await decisionOf(withoutProject, { publication: filtered(["OPS"]) })).context).toMatchObject({ projectKey: "OPS" })
  })

  it("thread and user granularities are refused with a reason", async () => {
    expect(ignored(await decisionOf(issueAssigned({ site: SITE, issue, to: AGENT }), { publication: publication({ granularity: "thread" }) })))
      .toContain(`Jira does not support "thread" granularity`)
  })
})
