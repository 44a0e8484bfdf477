/**
 * Acceptance 3, the tools: every GitHub tool through the MCP endpoint with the official SDK
 * client bound to a delivery's session token, against the fake GitHub, checking what the fake
 * now holds. A publication sees and may call only its scopes' tools; GitHub's 404, 403 and 422
 * come back as clear tool errors; the publication's repo filter holds for the tools too.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Payloads from "../../../sandbox/fakes/github/payloads.ts"
import type { FakeIssue } from "../../../sandbox/fakes/github/FakeGitHubState.ts"
import { deliver, deliveryOf, failed, type GitHubWorld, ok, startWorld } from "../../support/github.ts"

const ALL_TOOLS = [
  "add_labels",
  "create_branch",
  "create_comment",
  "create_issue",
  "create_or_update_file",
  "create_pull_request",
  "get_file_contents",
  "get_issue",
  "get_pull_request",
  "get_pull_request_diff",
  "list_comments",
  "list_pull_request_files",
  "remove_label",
  "search_issues",
  "submit_review",
  "update_issue"
].map((name) => `mcp_github_${name}`)

describe("GitHub tools through MCP", () => {
  let world: GitHubWorld
  let agent: Client
  let narrow: Client
  let issue: FakeIssue
  let pull: FakeIssue
  const repo = "acme/widgets"

  beforeAll(async () => {
    world = await startWorld()
    const limited = await world.kernel.publish(world.apiKey, {
      installationId: world.installationId,
      agentId: "agent-reader",
      scopes: ["issues:read"],
      granularity: "issue"
    })
    const { control } = world.github
    issue = control.seedIssue(repo, { title: "Login fails on Safari", body: `@${world.app.slug} please look`, labels: ["bug"] })
    control.addComment(repo, issue.number, "It started after the last deploy", "ada")
    pull = await control.seedPullRequest(repo, {
      title: "Answer 42",
      body: "Fixes the answer",
      head: "feature/answer",
      files: { "src/app.ts": "export const answer = 42\n", "docs/answer.md": "42\n" },
      author: "ada"
    })
    await deliver(world, Payloads.issues(world.where("ada"), "opened", issue), "mcp-1")
    await world.kernel.eventually(() => world.kernel.deliveries.filter((entry) => entry.dispatch.deliveryId === "mcp-1").length === 2)
    const full = world.kernel.deliveries.find((entry) => entry.dispatch.publicationId === world.publicationId) ?? (await deliveryOf(world, "mcp-1"))
    const few = world.kernel.deliveries.find((entry) => entry.dispatch.publicationId === limited.id) ?? (await deliveryOf(world, "mcp-1"))
    agent = await world.kernel.mcpClient(full)
    narrow = await world.kernel.mcpClient(few)
  })
  afterAll(async () => {
    await agent.close()
    await narrow.close()
    await world.close()
  })

  it("lists every tool with its schema and annotations; a narrow publication sees only its scope's", async () => {
    const { tools } = await agent.listTools()
    expect(tools.map((tool) => tool.name).sort()).toEqual(ALL_TOOLS)
    const byName = new Map(tools.map((tool) => [tool.name, tool]))
    expect(byName.get("mcp_github_get_issue")?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false })
    expect(byName.get("mcp_github_create_or_update_file")?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true })
    expect(byName.get("mcp_github_submit_review")?.inputSchema).toMatchObject({ type: "object", required: ["repo", "number", "event"] })
    expect((await narrow.listTools()).tools.map((tool) => tool.name).sort()).toEqual(["mcp_github_get_issue", "mcp_github_list_comments"])
    expect((await failed(narrow, "create_comment", { repo, number: issue.number, body: "hi" })).reason).toBe("OutOfScope")
  })

  it("get_issue, list_comments and create_comment read and write the conversation", async () => {
    expect(await ok(agent, "get_issue", { repo, number: issue.number })).toMatchObject({
      repo,
      number: issue.number,
      title: "Login fails on Safari",
      state: "open",
      labels: ["bug"],
      isPullRequest: false,
      author: "octocat",
      comments: 1
    })
    const posted = await ok(agent, "create_comment", { repo, number: issue.number, body: "Reproduced on Safari 18" })
    expect(posted).toMatchObject({ author: `${world.app.slug}[bot]`, byAgent: true, body: "Reproduced on Safari 18" })
    expect(world.github.control.comments(repo, issue.number).at(-1)).toMatchObject({ body: "Reproduced on Safari 18", viaAppId: world.app.id })
    const { comments } = await ok(agent, "list_comments", { repo, number: issue.number })
    expect(comments).toEqual([
      expect.objectContaining({ author: "ada", byAgent: false, body: "It started after the last deploy" }),
      expect.objectContaining({ author: `${world.app.slug}[bot]`, byAgent: true })
    ])
  })

  it("update_issue, add_labels, remove_label and create_issue change issues", async () => {
    const created = await ok(agent, "create_issue", { repo, title: "Add a Safari smoke test", body: "Cover login", labels: ["test"], assignees: ["ada"] })
    expect(created).toMatchObject({ title: "Add a Safari smoke test", labels: ["test"], assignees: ["ada"], author: `${world.app.slug}[bot]` })
    const number = Number(created["number"])
    expect(await ok(agent, "add_labels", { repo, number, labels: ["safari", "test"] })).toEqual({ repo, number, labels: ["test", "safari"] })
    expect(await ok(agent, "remove_label", { repo, number, label: "test" })).toEqual({ repo, number, labels: ["safari"] })
    expect((await failed(agent, "remove_label", { repo, number, label: "nope" })).reason).toBe("NotFound")
    const updated = await ok(agent, "update_issue", { repo, number, title: "Safari smoke test", state: "closed", stateReason: "completed", assignees: [] })
    expect(updated).toMatchObject({ title: "Safari smoke test", state: "closed", stateReason: "completed", assignees: [] })
    expect(world.github.control.issue(repo, number)).toMatchObject({ title: "Safari smoke test", state: "closed", labels: ["safari"] })
    expect((await failed(agent, "update_issue", { repo, number })).reason).toBe("InvalidInput")
  })

  it("get_pull_request, list_pull_request_files and get_pull_request_diff read a pull request", async () => {
    expect(await ok(agent, "get_pull_request", { repo, number: pull.number })).toMatchObject({
      number: pull.number,
      title: "Answer 42",
      head: { ref: "feature/answer", sha: world.github.control.branch(repo, "feature/answer") },
      base: { ref: "main" },
      merged: false
    })
    const { files } = await ok(agent, "list_pull_request_files", { repo, number: pull.number })
    expect(files).toEqual([
      expect.objectContaining({ filename: "docs/answer.md", status: "added", additions: 1, deletions: 0 }),
      expect.objectContaining({ filename: "src/app.ts", status: "modified", patch: expect.stringContaining("+export const answer = 42") })
    ])
    const { diff, truncated } = await ok(agent, "get_pull_request_diff", { repo, number: pull.number })
    expect(truncated).toBe(false)
    expect(diff).toContain("diff --git a/src/app.ts b/src/app.ts")
    expect(diff).toContain("-export const answer = 41")
  })

  it("get_file_contents, create_branch, create_or_update_file and create_pull_request make a change", async () => {
    const file = await ok(agent, "get_file_contents", { repo, path: "src/app.ts" })
    expect(file).toMatchObject({ type: "file", content: "export const answer = 41\n", binary: false })
    expect(await ok(agent, "get_file_contents", { repo, path: "src" })).toMatchObject({ type: "dir", entries: [expect.objectContaining({ name: "app.ts", type: "file" })] })
    expect(await ok(agent, "get_file_contents", { repo, path: "src/app.ts", ref: "feature/answer" })).toMatchObject({ content: "export const answer = 42\n" })

    const branch = await ok(agent, "create_branch", { repo, branch: "agent/answer-43" })
    expect(branch).toMatchObject({ from: "main", sha: world.github.control.branch(repo, "main") })
    expect((await failed(agent, "create_branch", { repo, branch: "agent/answer-43" })).reason).toBe("InvalidInput")

    const withoutSha = await failed(agent, "create_or_update_file", { repo, branch: "agent/answer-43", path: "src/app.ts", content: "x", message: "x" })
    expect(withoutSha.reason).toBe("InvalidInput")
    expect(withoutSha.message).toContain("sha")
    const committed = await ok(agent, "create_or_update_file", {
      repo,
      branch: "agent/answer-43",
      path: "src/app.ts",
      content: "export const answer = 43 // ✓\n",
      message: "Answer 43",
      sha: file["sha"]
    })
    expect(world.github.control.file(repo, "agent/answer-43", "src/app.ts")?.content).toBe("export const answer = 43 // ✓\n")
    const head = world.github.control.branch(repo, "agent/answer-43") ?? ""
    expect(committed).toMatchObject({ path: "src/app.ts", commit: { sha: head } })
    expect(world.github.control.commit(repo, head)?.message).toBe("Answer 43")
    await ok(agent, "create_or_update_file", { repo, branch: "agent/answer-43", path: "CHANGELOG.md", content: "- 43\n", message: "Changelog" })

    const opened = await ok(agent, "create_pull_request", { repo, title: "Answer 43", head: "agent/answer-43", body: `Fixes #${issue.number}`, draft: true })
    expect(opened).toMatchObject({ title: "Answer 43", draft: true, head: { ref: "agent/answer-43" }, base: { ref: "main" }, author: `${world.app.slug}[bot]` })
    const noChange = await failed(agent, "create_pull_request", { repo, title: "Nothing", head: "main", base: "main" })
    expect(noChange).toMatchObject({ reason: "InvalidInput", message: expect.stringContaining("No commits between main and main") })

    const selfReview = await failed(agent, "submit_review", { repo, number: Number(opened["number"]), event: "APPROVE" })
    expect(selfReview).toMatchObject({ reason: "InvalidInput", message: expect.stringContaining("your own pull request") })
  })

  it("submit_review comments, approves and requests changes, with line comments", async () => {
    const review = await ok(agent, "submit_review", {
      repo,
      number: pull.number,
      event: "REQUEST_CHANGES",
      body: "Please add a test",
      comments: [{ path: "src/app.ts", line: 1, body: "Why 42?" }]
    })
    expect(review).toMatchObject({ state: "CHANGES_REQUESTED", url: expect.stringContaining(`/pull/${pull.number}#pullrequestreview-`) })
    await ok(agent, "submit_review", { repo, number: pull.number, event: "APPROVE" })
    expect((await failed(agent, "submit_review", { repo, number: pull.number, event: "COMMENT" })).reason).toBe("InvalidInput")
    expect(world.github.control.reviews(repo, pull.number)).toEqual([
      expect.objectContaining({ state: "CHANGES_REQUESTED", body: "Please add a test", comments: [{ path: "src/app.ts", line: 1, side: "RIGHT", body: "Why 42?" }] }),
      expect.objectContaining({ state: "APPROVED" })
    ])
  })

  it("search_issues stays inside the installation's account and refuses widening qualifiers", async () => {
    await world.github.control.seedRepo("elsewhere/public", { private: false })
    world.github.control.seedIssue("elsewhere/public", { title: "Safari login elsewhere" })
    const found = await ok(agent, "search_issues", { query: "safari", type: "issue", state: "open" })
    expect(found["query"]).toBe("safari org:acme is:issue state:open")
    expect(found["items"]).toEqual([expect.objectContaining({ repo, number: issue.number, title: "Login fails on Safari" })])
    const prs = await ok(agent, "search_issues", { query: "answer", repo, type: "pr" })
    expect(prs).toMatchObject({ totalCount: 2 })
    expect(prs["items"]).toEqual(expect.arrayContaining([
      expect.objectContaining({ title: "Answer 42", isPullRequest: true }),
      expect.objectContaining({ title: "Answer 43", isPullRequest: true })
    ]))
    for (const query of ["safari repo:elsewhere/public", "safari \"org:elsewhere\"", "-user:acme safari", "(owner:x)"]) {
      expect((await failed(agent, "search_issues", { query })).reason).toBe("InvalidInput")
    }
  })

  it("maps GitHub's 404, 403 and invalid input to clear tool errors", async () => {
    const missing = await failed(agent, "get_issue", { repo, number: 9999 })
    expect(missing).toMatchObject({ reason: "NotFound", message: expect.stringContaining("App is installed on that repository") })
    expect((await failed(agent, "get_issue", { repo: "someone/else", number: 1 })).reason).toBe("NotFound")
    expect((await failed(agent, "get_issue", { repo: "not a repo", number: 1 })).reason).toBe("InvalidInput")

    world.github.control.setPermissions(world.githubInstallationId, { metadata: "read", issues: "write", pull_requests: "write", contents: "read" })
    const forbidden = await failed(agent, "create_branch", { repo, branch: "agent/no", from: "main" })
    expect(forbidden).toMatchObject({ reason: "Forbidden", message: expect.stringContaining("the App needs the permission contents=write") })
    world.github.control.setPermissions(world.githubInstallationId, { metadata: "read", issues: "write", pull_requests: "write", contents: "write" })
  })

  it("holds the tools to the publication's repo filter", async () => {
    const { id } = await world.kernel.publish(world.apiKey, {
      installationId: world.installationId,
      agentId: "agent-other-repo",
      scopes: ["issues:read"],
      granularity: "issue",
      filters: { repo: ["acme/other"] }
    })
    await world.github.control.seedRepo("acme/other")
    const other = world.github.control.seedIssue("acme/other", { title: "Other", body: `@${world.app.slug} hi` })
    await deliver(world, Payloads.issues({ ...world.where("ada"), repo: world.github.control.repo("acme/other") }, "opened", other), "mcp-filter")
    const delivery = await world.kernel.eventually(() =>
      world.kernel.deliveries.find((entry) => entry.dispatch.deliveryId === "mcp-filter" && entry.dispatch.publicationId === id)
    )
    const filtered = await world.kernel.mcpClient(delivery)
    expect(await ok(filtered, "get_issue", { repo: "acme/other", number: other.number })).toMatchObject({ title: "Other" })
    expect(await failed(filtered, "get_issue", { repo, number: issue.number })).toMatchObject({
      reason: "Forbidden",
      message: "acme/widgets is outside this publication's repositories (acme/other)"
    })
    await filtered.close()
  })
})
