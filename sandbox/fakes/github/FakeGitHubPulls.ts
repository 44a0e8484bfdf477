/**
 * The fake's pull request endpoints: read one (JSON, or the unified diff when asked for
 * `application/vnd.github.diff`), its changed files, open one from a branch, and review one.
 * Diffs compare the head and base branches' trees file by file (a changed file shows as all
 * lines removed and added, which is all a test needs).
 */
import { type Granted, repoFor } from "./FakeGitHubAccess.ts"
import type { Caller } from "./FakeGitHubAuth.ts"
import { failure, json, notFound, readJson, stringField, validationFailed } from "./FakeGitHubHttp.ts"
import type { RepoParams } from "./FakeGitHubIssues.ts"
import { type FakeGitHubState, type FakeIssue, type FakeRepo, type FakeReview, iso, nextId } from "./FakeGitHubState.ts"
import { pullView, reviewView } from "./FakeGitHubViews.ts"

type NumberParams = RepoParams & { readonly number: string }

const pullOf = (granted: Granted, number: string): FakeIssue | undefined =>
  granted.repo.issues.find((issue) => String(issue.number) === number && issue.pull !== null)

const treeOf = (repo: FakeRepo, branch: string) => {
  const sha = repo.branches.get(branch)
  return sha === undefined ? new Map() : repo.commits.get(sha)?.tree ?? new Map()
}

const lines = (text: string) => text.length === 0 ? [] : text.replace(/\n$/, "").split("\n")

export const changedFiles = (repo: FakeRepo, issue: FakeIssue) => {
  const head = treeOf(repo, issue.pull?.head ?? repo.defaultBranch)
  const base = treeOf(repo, issue.pull?.base ?? repo.defaultBranch)
  const paths = [...new Set([...head.keys(), ...base.keys()])].sort()
  return paths.flatMap((path) => {
    const before = base.get(path)
    const after = head.get(path)
    if (before?.sha === after?.sha) return []
    const removed = lines(before?.content ?? "")
    const added = lines(after?.content ?? "")
    const patch = `@@ -${removed.length === 0 ? 0 : 1},${removed.length} +${added.length === 0 ? 0 : 1},${added.length} @@\n` +
      [...removed.map((line) => `-${line}`), ...added.map((line) => `+${line}`)].join("\n")
    return [{
      path,
      status: before === undefined ? "added" : after === undefined ? "removed" : "modified",
      additions: added.length,
      deletions: removed.length,
      patch,
      sha: after?.sha ?? before?.sha ?? ""
    }]
  })
}

export const getPull = async (state: FakeGitHubState, caller: Caller, request: Request, params: NumberParams) => {
  const granted = repoFor(state, caller, params.owner, params.name, ["pull_requests", "read"])
  if (granted instanceof Response) return granted
  const issue = pullOf(granted, params.number)
  if (issue === undefined) return notFound()
  if ((request.headers.get("accept") ?? "").includes("application/vnd.github.diff")) {
    const diff = changedFiles(granted.repo, issue).map((file) =>
      `diff --git a/${file.path} b/${file.path}\n--- ${file.status === "added" ? "/dev/null" : `a/${file.path}`}\n` +
      `+++ ${file.status === "removed" ? "/dev/null" : `b/${file.path}`}\n${file.patch}\n`
    ).join("")
    return new Response(diff, { status: 200, headers: { "content-type": "application/vnd.github.diff; charset=utf-8" } })
  }
  return json(200, pullView(state, granted.repo, issue))
}

export const listFiles = async (state: FakeGitHubState, caller: Caller, _request: Request, params: NumberParams) => {
  const granted = repoFor(state, caller, params.owner, params.name, ["pull_requests", "read"])
  if (granted instanceof Response) return granted
  const issue = pullOf(granted, params.number)
  if (issue === undefined) return notFound()
  return json(200, changedFiles(granted.repo, issue).map((file) => ({
    sha: file.sha,
    filename: file.path,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    changes: file.additions + file.deletions,
    blob_url: `https://github.com/blob/${file.sha}`,
    patch: file.patch
  })))
}

export const createPull = async (state: FakeGitHubState, caller: Caller, request: Request, params: RepoParams) => {
  const granted = repoFor(state, caller, params.owner, params.name, ["pull_requests", "write"])
  if (granted instanceof Response) return granted
  const body = await readJson(request)
  const title = stringField(body, "title")
  const head = stringField(body, "head")
  const base = stringField(body, "base")
  if (title === undefined) return validationFailed([{ resource: "PullRequest", field: "title", code: "missing_field" }])
  if (head === undefined || !granted.repo.branches.has(head)) {
    return validationFailed([{ resource: "PullRequest", field: "head", code: "invalid" }])
  }
  if (base === undefined || !granted.repo.branches.has(base)) {
    return validationFailed([{ resource: "PullRequest", field: "base", code: "invalid" }])
  }
  if (granted.repo.branches.get(head) === granted.repo.branches.get(base)) {
    return failure(422, "Validation Failed", {}, { errors: [{ resource: "PullRequest", code: "custom", message: `No commits between ${base} and ${head}` }] })
  }
  const now = iso(state.now())
  const issue: FakeIssue = {
    number: granted.repo.issues.length + 1,
    title,
    body: stringField(body, "body") ?? "",
    state: "open",
    stateReason: null,
    user: granted.app.bot,
    labels: [],
    assignees: [],
    comments: [],
    pull: { head, base, draft: body?.["draft"] === true, merged: false, reviews: [] },
    createdAt: now,
    updatedAt: now,
    closedAt: null
  }
  granted.repo.issues.push(issue)
  return json(201, pullView(state, granted.repo, issue))
}

const REVIEW_STATES: ReadonlyMap<string, string> = new Map([
  ["APPROVE", "APPROVED"],
  ["REQUEST_CHANGES", "CHANGES_REQUESTED"],
  ["COMMENT", "COMMENTED"]
])

export const createReview = async (state: FakeGitHubState, caller: Caller, request: Request, params: NumberParams) => {
  const granted = repoFor(state, caller, params.owner, params.name, ["pull_requests", "write"])
  if (granted instanceof Response) return granted
  const issue = pullOf(granted, params.number)
  if (issue === undefined || issue.pull === null) return notFound()
  const body = await readJson(request)
  const event = stringField(body, "event") ?? "COMMENT"
  const reviewState = REVIEW_STATES.get(event)
  const text = stringField(body, "body") ?? ""
  if (reviewState === undefined) return validationFailed([{ resource: "PullRequestReview", field: "event", code: "invalid" }])
  if (event !== "APPROVE" && text.length === 0) {
    return failure(422, "Unprocessable Entity", {}, { errors: [`Review body is required for ${event}`] })
  }
  if (event !== "COMMENT" && issue.user.login === granted.app.bot.login) {
    return failure(422, "Unprocessable Entity", {}, { errors: [`Can not ${event === "APPROVE" ? "approve" : "request changes on"} your own pull request`] })
  }
  const rawComments = Array.isArray(body?.["comments"]) ? body["comments"] : []
  const review: FakeReview = {
    id: nextId(state),
    user: granted.app.bot,
    state: reviewState,
    body: text,
    commitId: granted.repo.branches.get(issue.pull.head) ?? "",
    comments: rawComments.flatMap((entry: unknown) => {
      if (typeof entry !== "object" || entry === null) return []
      const fields = Object.fromEntries(Object.entries(entry))
      const path = fields["path"]
      const line = fields["line"]
      const commentBody = fields["body"]
      return typeof path === "string" && typeof line === "number" && typeof commentBody === "string"
        ? [{ path, line, side: typeof fields["side"] === "string" ? fields["side"] : "RIGHT", body: commentBody }]
        : []
    }),
    submittedAt: iso(state.now())
  }
  issue.pull.reviews.push(review)
  return json(200, reviewView(granted.repo, issue, review))
}
