/**
 * The fake Jira's data operations and REST representations: seeding and finding issues, adding
 * comments, and rendering issues, comments and users the way REST v3 answers them (rich text as
 * ADF, `self` URLs on the site). Its own small ADF reader and writer: the fake must not borrow the
 * provider's, or a bug there would be mirrored here and pass every test.
 */
import { Schema } from "effect"
import * as State from "./FakeJiraState.ts"
import type { FakeComment, FakeIssue, FakeJiraState, FakeUser, Json } from "./FakeJiraState.ts"

/** Plain text → an ADF document (paragraphs only). */
export const adf = (text: string): Json => ({
  type: "doc",
  version: 1,
  content: text.split(/\n{2,}/).filter((block) => block.length > 0).map((block) => ({
    type: "paragraph",
    content: [{ type: "text", text: block }]
  }))
})

const isObject = (value: Json): value is { readonly [key: string]: Json } =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Any ADF document → its text; mentions read `[~accountid:<id>]`, paragraphs end with a blank line. */
export const adfText = (node: Json): string => {
  if (typeof node === "string") return node
  if (!isObject(node)) return ""
  const children = Array.isArray(node["content"]) ? node["content"].map(adfText).join("") : ""
  const attrs = isObject(node["attrs"] ?? null) ? node["attrs"] : undefined
  switch (node["type"]) {
    case "text":
      return typeof node["text"] === "string" ? node["text"] : ""
    case "hardBreak":
      return "\n"
    case "mention":
      return `[~accountid:${attrs !== undefined && isObject(attrs) ? String(attrs["id"]) : ""}]`
    case "paragraph":
      return `${children}\n\n`
    default:
      return children
  }
}

export const textOf = (node: Json): string => adfText(node).trim()

/** Whether a value looks like an ADF document (what REST v3 requires for rich text). */
export const isAdfDocument = (value: Json | undefined): boolean =>
  value !== undefined && isObject(value) && value["type"] === "doc" && Array.isArray(value["content"])

export const siteOf = (state: FakeJiraState, origin: string): string => state.siteUrl ?? origin

export const findIssue = (state: FakeJiraState, keyOrId: string): FakeIssue | undefined =>
  state.issues.get(keyOrId) ?? [...state.issues.values()].find((issue) => issue.key.toLowerCase() === keyOrId.toLowerCase())

export const findProject = (state: FakeJiraState, keyOrId: string) =>
  state.projects.get(keyOrId) ?? [...state.projects.values()].find((project) => project.key.toLowerCase() === keyOrId.toLowerCase())

export interface SeedIssue {
  readonly project?: string | undefined
  readonly summary?: string | undefined
  readonly description?: string | undefined
  readonly assigneeId?: string | null | undefined
  readonly reporterId?: string | undefined
  readonly labels?: ReadonlyArray<string> | undefined
  readonly status?: string | undefined
  readonly priority?: string | undefined
  readonly issueType?: string | undefined
}

export const seedIssue = (state: FakeJiraState, seed: SeedIssue = {}): FakeIssue => {
  const project = findProject(state, seed.project ?? "ENG")
  if (project === undefined) throw new Error(`the fake Jira has no project ${seed.project}`)
  const status = State.STATUSES.find((candidate) => candidate.name.toLowerCase() === (seed.status ?? "To Do").toLowerCase())
  const now = State.isoAt(state)
  const issue: FakeIssue = {
    id: State.nextId(state),
    key: `${project.key}-${project.nextNumber++}`,
    projectId: project.id,
    summary: seed.summary ?? "Fix the flaky login test",
    description: adf(seed.description ?? "It fails one run in ten."),
    statusId: status?.id ?? "10000",
    assigneeId: seed.assigneeId ?? null,
    reporterId: seed.reporterId ?? State.ADA.accountId,
    priority: seed.priority ?? "Medium",
    labels: [...(seed.labels ?? [])],
    issueType: seed.issueType ?? "Task",
    dueDate: null,
    created: now,
    updated: now
  }
  state.issues.set(issue.id, issue)
  return issue
}

export const addComment = (state: FakeJiraState, issue: FakeIssue, body: Json, authorId: string): FakeComment => {
  const comment: FakeComment = { id: State.nextId(state), issueId: issue.id, authorId, body, created: State.isoAt(state) }
  state.comments.push(comment)
  issue.updated = comment.created
  return comment
}

export const userJson = (site: string, user: FakeUser | undefined): Json =>
  user === undefined ? null : {
    self: `${site}/rest/api/3/user?accountId=${user.accountId}`,
    accountId: user.accountId,
    accountType: "atlassian",
    displayName: user.displayName,
    active: user.active
  }

/** A user as `/myself` and user search answer (they show the e-mail address). */
export const userWithEmail = (site: string, user: FakeUser): Json => ({
  self: `${site}/rest/api/3/user?accountId=${user.accountId}`,
  accountId: user.accountId,
  accountType: "atlassian",
  displayName: user.displayName,
  emailAddress: user.emailAddress,
  active: user.active
})

export const statusJson = (site: string, statusId: string): Json => {
  const status = State.STATUSES.find((candidate) => candidate.id === statusId) ?? State.STATUSES[0]!
  const names = { new: "To Do", indeterminate: "In Progress", done: "Done" }
  return {
    self: `${site}/rest/api/3/status/${status.id}`,
    id: status.id,
    name: status.name,
    statusCategory: { key: status.category, name: names[status.category] }
  }
}

export const commentJson = (state: FakeJiraState, site: string, comment: FakeComment): Json => ({
  self: `${site}/rest/api/3/issue/${comment.issueId}/comment/${comment.id}`,
  id: comment.id,
  author: userJson(site, state.users.get(comment.authorId)),
  body: comment.body,
  created: comment.created,
  updated: comment.created
})

/** An issue as `GET /rest/api/3/issue/<key>` answers it, limited to `fields` when given. */
export const issueJson = (state: FakeJiraState, site: string, issue: FakeIssue, fields?: ReadonlyArray<string>): Json => {
  const project = state.projects.get(issue.projectId)
  const comments = state.comments.filter((comment) => comment.issueId === issue.id)
  const all: Record<string, Json> = {
    summary: issue.summary,
    description: issue.description,
    status: statusJson(site, issue.statusId),
    assignee: issue.assigneeId === null ? null : userJson(site, state.users.get(issue.assigneeId)),
    reporter: userJson(site, state.users.get(issue.reporterId)),
    priority: issue.priority === null ? null : { name: issue.priority, id: String(State.PRIORITIES.indexOf(issue.priority) + 1) },
    labels: issue.labels,
    issuetype: { name: issue.issueType, subtask: false },
    project: project === undefined ? null : { self: `${site}/rest/api/3/project/${project.id}`, id: project.id, key: project.key, name: project.name },
    created: issue.created,
    updated: issue.updated,
    duedate: issue.dueDate,
    comment: {
      comments: comments.map((comment) => commentJson(state, site, comment)),
      maxResults: comments.length,
      total: comments.length,
      startAt: 0
    }
  }
  const wanted = fields === undefined || fields.length === 0 || fields.includes("*all")
    ? Object.keys(all)
    : fields.filter((field) => Object.hasOwn(all, field))
  return {
    id: issue.id,
    key: issue.key,
    self: `${site}/rest/api/3/issue/${issue.id}`,
    fields: Object.fromEntries(wanted.map((field) => [field, all[field] ?? null]))
  }
}

const Snapshot = Schema.Struct({
  users: Schema.Array(Schema.Struct({ accountId: Schema.String, displayName: Schema.String, emailAddress: Schema.String, active: Schema.Boolean })),
  projects: Schema.Array(Schema.Struct({ id: Schema.String, key: Schema.String, name: Schema.String, nextNumber: Schema.Number })),
  issues: Schema.Array(Schema.Struct({
    id: Schema.String,
    key: Schema.String,
    projectId: Schema.String,
    summary: Schema.String,
    description: Schema.Json,
    statusId: Schema.String,
    assigneeId: Schema.NullOr(Schema.String),
    reporterId: Schema.String,
    priority: Schema.NullOr(Schema.String),
    labels: Schema.Array(Schema.String),
    issueType: Schema.String,
    dueDate: Schema.NullOr(Schema.String),
    created: Schema.String,
    updated: Schema.String
  })),
  comments: Schema.Array(Schema.Struct({ id: Schema.String, issueId: Schema.String, authorId: Schema.String, body: Schema.Json, created: Schema.String })),
  nextId: Schema.Number
})

/** Puts back a `snapshot`; one that does not decode (an older format) is ignored. */
export const restore = (state: FakeJiraState, snapshot: string): void => {
  const decoded = Schema.decodeUnknownOption(Schema.fromJsonString(Snapshot))(snapshot)
  if (decoded._tag === "None") return
  for (const user of decoded.value.users) state.users.set(user.accountId, user)
  for (const project of decoded.value.projects) state.projects.set(project.id, { ...project })
  state.issues.clear()
  for (const issue of decoded.value.issues) state.issues.set(issue.id, { ...issue, labels: [...issue.labels] })
  state.comments.length = 0
  state.comments.push(...decoded.value.comments)
  state.nextId = Math.max(state.nextId, decoded.value.nextId)
}
