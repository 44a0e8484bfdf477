/**
 * The fake's issue endpoints: read, create and edit issues (pull requests are issues too),
 * their comments and labels. Writes act as the App's bot (`<slug>[bot]`), with
 * `performed_via_github_app` on comments, and answer GitHub's 422 shapes for bad input.
 */
import { type Granted, repoFor } from "./FakeGitHubAccess.ts"
import type { Caller } from "./FakeGitHubAuth.ts"
import { failure, json, notFound, readJson, stringArrayField, stringField, validationFailed } from "./FakeGitHubHttp.ts"
import { type FakeGitHubState, type FakeIssue, iso, nextId } from "./FakeGitHubState.ts"
import { commentView, issueView, labelsView } from "./FakeGitHubViews.ts"

export interface RepoParams {
  readonly owner: string
  readonly name: string
}

const issueOf = (granted: Granted, number: string): FakeIssue | undefined =>
  granted.repo.issues.find((issue) => String(issue.number) === number)

type Handler = (state: FakeGitHubState, caller: Caller, request: Request, params: RepoParams & { readonly number: string }) => Promise<Response>

const withIssue = (access: "read" | "write", handle: (state: FakeGitHubState, granted: Granted, issue: FakeIssue, request: Request) => Promise<Response> | Response): Handler =>
  async (state, caller, request, params) => {
    const granted = repoFor(state, caller, params.owner, params.name, ["issues", access])
    if (granted instanceof Response) return granted
    const issue = issueOf(granted, params.number)
    return issue === undefined ? notFound() : handle(state, granted, issue, request)
  }

export const getIssue = withIssue("read", (state, granted, issue) => json(200, issueView(state, granted.repo, issue)))

const touch = (state: FakeGitHubState, issue: FakeIssue) => {
  issue.updatedAt = iso(state.now())
}

export const updateIssue = withIssue("write", async (state, granted, issue, request) => {
  const body = await readJson(request)
  if (body === undefined) return failure(400, "Problems parsing JSON")
  const stateValue = stringField(body, "state")
  if (stateValue !== undefined && stateValue !== "open" && stateValue !== "closed") {
    return validationFailed([{ resource: "Issue", field: "state", code: "invalid" }])
  }
  issue.title = stringField(body, "title") ?? issue.title
  issue.body = stringField(body, "body") ?? issue.body
  if (stateValue !== undefined) {
    issue.state = stateValue
    issue.closedAt = stateValue === "closed" ? iso(state.now()) : null
    issue.stateReason = stringField(body, "state_reason") ?? (stateValue === "closed" ? "completed" : "reopened")
  }
  const labels = stringArrayField(body, "labels")
  if (labels !== undefined) {
    issue.labels = [...new Set(labels)]
    for (const label of labels) granted.repo.labels.add(label)
  }
  issue.assignees = stringArrayField(body, "assignees") ?? issue.assignees
  touch(state, issue)
  return json(200, issueView(state, granted.repo, issue))
})

export const listComments = withIssue("read", (_state, granted, issue, request) => {
  const url = new URL(request.url)
  const perPage = Number(url.searchParams.get("per_page") ?? "30")
  const page = Number(url.searchParams.get("page") ?? "1")
  const slice = issue.comments.slice((page - 1) * perPage, page * perPage)
  return json(200, slice.map((comment) => commentView(granted.repo, issue, comment)))
})

export const createComment = withIssue("write", async (state, granted, issue, request) => {
  const text = stringField(await readJson(request), "body")
  if (text === undefined || text.length === 0) return validationFailed([{ resource: "IssueComment", field: "body", code: "missing_field" }])
  const comment = { id: nextId(state), body: text, user: granted.app.bot, createdAt: iso(state.now()), viaAppId: granted.app.id }
  issue.comments.push(comment)
  touch(state, issue)
  return json(201, commentView(granted.repo, issue, comment))
})

export const addLabels = withIssue("write", async (state, granted, issue, request) => {
  const labels = stringArrayField(await readJson(request), "labels")
  if (labels === undefined || labels.length === 0) return validationFailed([{ resource: "Label", field: "labels", code: "missing_field" }])
  issue.labels = [...new Set([...issue.labels, ...labels])]
  for (const label of labels) granted.repo.labels.add(label)
  touch(state, issue)
  return json(200, labelsView(granted.repo, issue.labels))
})

export const removeLabel = (state: FakeGitHubState, caller: Caller, request: Request, params: RepoParams & { readonly number: string; readonly label: string }) =>
  withIssue("write", (_state, granted, issue) => {
    if (!issue.labels.includes(params.label)) return failure(404, "Label does not exist")
    issue.labels = issue.labels.filter((label) => label !== params.label)
    touch(state, issue)
    return json(200, labelsView(granted.repo, issue.labels))
  })(state, caller, request, params)

export const createIssue = async (state: FakeGitHubState, caller: Caller, request: Request, params: RepoParams) => {
  const granted = repoFor(state, caller, params.owner, params.name, ["issues", "write"])
  if (granted instanceof Response) return granted
  const body = await readJson(request)
  const title = stringField(body, "title")
  if (title === undefined || title.length === 0) return validationFailed([{ resource: "Issue", field: "title", code: "missing_field" }])
  const now = iso(state.now())
  const issue: FakeIssue = {
    number: granted.repo.issues.length + 1,
    title,
    body: stringField(body, "body") ?? "",
    state: "open",
    stateReason: null,
    user: granted.app.bot,
    labels: stringArrayField(body, "labels") ?? [],
    assignees: stringArrayField(body, "assignees") ?? [],
    comments: [],
    pull: null,
    createdAt: now,
    updatedAt: now,
    closedAt: null
  }
  granted.repo.issues.push(issue)
  return json(201, issueView(state, granted.repo, issue))
}
