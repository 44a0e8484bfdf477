/**
 * The fake's REST resources, as strict as Jira where it matters to a client: rich text must be
 * an ADF document (REST v3), fields must exist (unknown ones are 400 "cannot be set"), issue
 * types, priorities, accounts and transitions must be known, and JQL must parse.
 */
import { Option, Schema } from "effect"
import { json, noContent, readJsonBody } from "../../kit/FakeVendor.ts"
import type { Caller } from "./FakeJiraApi.ts"
import * as Data from "./FakeJiraData.ts"
import * as Jql from "./FakeJiraJql.ts"
import { type FakeJiraState, ISSUE_TYPES, isoAt, type Json, PRIORITIES, STATUSES, TRANSITIONS } from "./FakeJiraState.ts"

const JsonValue = Schema.Json
const badRequest = (messages: ReadonlyArray<string>, errors: Record<string, string> = {}) => json(400, { errorMessages: messages, errors })
const notFound = (key: string) => json(404, { errorMessages: ["Issue does not exist or you do not have permission to see it."], errors: {}, key })

export const myself = (state: FakeJiraState, caller: Caller): Response => {
  const user = state.users.get(caller.accountId)
  return user === undefined ? json(404, { errorMessages: ["No such user"] }) : json(200, Data.userWithEmail(caller.site, user))
}

export const searchUsers = (state: FakeJiraState, caller: Caller, url: URL): Response => {
  const query = (url.searchParams.get("query") ?? "").toLowerCase()
  if (query.length === 0) return badRequest(["The query parameter 'query' is required"])
  const found = [...state.users.values()].filter((user) =>
    user.displayName.toLowerCase().includes(query) || user.emailAddress.toLowerCase() === query
  )
  return json(200, found.map((user) => Data.userWithEmail(caller.site, user)))
}

const SearchBody = Schema.Struct({
  jql: Schema.String,
  maxResults: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 5000 }))),
  fields: Schema.optional(Schema.Array(Schema.String)),
  nextPageToken: Schema.optional(Schema.String)
})

export const search = async (state: FakeJiraState, caller: Caller, request: Request): Promise<Response> => {
  const body = await readJsonBody(request, SearchBody)
  if (Option.isNone(body)) return badRequest(["The request body must have a jql string"])
  const query = Jql.parse(state, body.value.jql, caller.accountId)
  if (query._tag === "Invalid") return badRequest([query.message])
  const matching = [...state.issues.values()].filter(query.matches).sort(query.order)
  const start = Number(body.value.nextPageToken === undefined ? 0 : atob(body.value.nextPageToken))
  const size = body.value.maxResults ?? 50
  const page = matching.slice(start, start + size)
  const next = start + size < matching.length ? btoa(String(start + size)) : undefined
  return json(200, {
    issues: page.map((issue) => Data.issueJson(state, caller.site, issue, body.value.fields)),
    ...(next === undefined ? { isLast: true } : { nextPageToken: next, isLast: false })
  })
}

export const get = (state: FakeJiraState, caller: Caller, key: string, url: URL): Response => {
  const issue = Data.findIssue(state, key)
  if (issue === undefined) return notFound(key)
  const fields = url.searchParams.get("fields")?.split(",").map((field) => field.trim()).filter((field) => field.length > 0)
  return json(200, Data.issueJson(state, caller.site, issue, fields))
}

const Fields = Schema.Record(Schema.String, JsonValue)
const CreateBody = Schema.Struct({ fields: Fields })
const UpdateBody = Schema.Struct({
  fields: Schema.optional(Fields),
  update: Schema.optional(Schema.Struct({
    labels: Schema.optional(Schema.Array(Schema.Union([Schema.Struct({ add: Schema.String }), Schema.Struct({ remove: Schema.String })])))
  }))
})

const SETTABLE = new Set(["project", "summary", "issuetype", "description", "labels", "priority", "assignee", "duedate"])
const Named = Schema.Struct({ name: Schema.String })
const Account = Schema.NullOr(Schema.Struct({ accountId: Schema.String }))
const ProjectRef = Schema.Struct({ key: Schema.optional(Schema.String), id: Schema.optional(Schema.String) })
const Labels = Schema.Array(Schema.String.check(Schema.isPattern(/^\S+$/u)))
const DueDate = Schema.NullOr(Schema.String.check(Schema.isPattern(/^\d{4}-\d{2}-\d{2}$/u)))

/** `{ name }` naming one of `known`. */
const named = (value: Json | undefined, known: ReadonlyArray<string>): boolean =>
  Option.exists(Schema.decodeUnknownOption(Named)(value), (entry) => known.includes(entry.name))

/** The problems with a set of field values, by field, as Jira reports them. */
const fieldErrors = (state: FakeJiraState, fields: Readonly<Record<string, Json>>): Record<string, string> => {
  const errors: Record<string, string> = {}
  const is = <A>(schema: Schema.Codec<A, unknown>, value: Json | undefined) => Schema.is(schema)(value)
  for (const [field, value] of Object.entries(fields)) {
    if (!SETTABLE.has(field)) errors[field] = `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.`
    else if (field === "summary" && (typeof value !== "string" || value.trim().length === 0 || value.length > 255)) errors[field] = "You must specify a summary of the issue."
    else if (field === "description" && value !== null && !Data.isAdfDocument(value)) errors[field] = "Operation value must be an Atlassian Document (see the Atlassian Document Format)."
    else if (field === "issuetype" && !named(value, ISSUE_TYPES)) errors[field] = "Specify a valid issue type"
    else if (field === "priority" && !named(value, PRIORITIES)) errors[field] = "Specify a valid priority"
    else if (field === "labels" && !is(Labels, value)) errors[field] = "Labels must be a list of strings without spaces"
    else if (field === "duedate" && !is(DueDate, value)) errors[field] = "Error parsing date string: use yyyy-MM-dd"
    else if (field === "assignee") {
      const account = Schema.decodeUnknownOption(Account)(value)
      if (Option.isNone(account) || (account.value !== null && !state.users.has(account.value.accountId))) errors[field] = "User does not exist or cannot be assigned"
    }
  }
  return errors
}

const apply = (issue: ReturnType<typeof Data.seedIssue>, fields: Readonly<Record<string, Json>>) => {
  for (const [field, value] of Object.entries(fields)) {
    if (field === "summary" && typeof value === "string") issue.summary = value
    if (field === "description") issue.description = value ?? Data.adf("")
    if (field === "priority") issue.priority = Option.getOrNull(Option.map(Schema.decodeUnknownOption(Named)(value), (named) => named.name))
    if (field === "labels") issue.labels = [...Schema.decodeUnknownSync(Labels)(value)]
    if (field === "duedate") issue.dueDate = Schema.decodeUnknownSync(DueDate)(value)
    if (field === "assignee") issue.assigneeId = Schema.decodeUnknownSync(Account)(value)?.accountId ?? null
    if (field === "issuetype") issue.issueType = Schema.decodeUnknownSync(Named)(value).name
  }
}

export const create = async (state: FakeJiraState, caller: Caller, request: Request): Promise<Response> => {
  const body = await readJsonBody(request, CreateBody)
  if (Option.isNone(body)) return badRequest(["The request body must have fields"])
  const { fields } = body.value
  const reference = Schema.decodeUnknownOption(ProjectRef)(fields["project"])
  const project = Option.flatMap(reference, (ref) => Option.fromNullishOr(Data.findProject(state, ref.key ?? ref.id ?? "")))
  const errors = fieldErrors(state, fields)
  if (Option.isNone(project)) errors["project"] = "Specify a valid project ID or key"
  if (fields["summary"] === undefined) errors["summary"] = "You must specify a summary of the issue."
  if (fields["issuetype"] === undefined) errors["issuetype"] = "Specify an issue type"
  if (Option.isNone(project) || Object.keys(errors).length > 0) return badRequest([], errors)
  const issue = Data.seedIssue(state, { project: project.value.key, reporterId: caller.accountId })
  issue.description = Data.adf("")
  issue.priority = null
  apply(issue, fields)
  return json(201, { id: issue.id, key: issue.key, self: `${caller.site}/rest/api/3/issue/${issue.id}` })
}

export const update = async (state: FakeJiraState, key: string, request: Request): Promise<Response> => {
  const issue = Data.findIssue(state, key)
  if (issue === undefined) return notFound(key)
  const body = await readJsonBody(request, UpdateBody)
  if (Option.isNone(body)) return badRequest(["The request body must have fields or update"])
  const fields = body.value.fields ?? {}
  const errors = fieldErrors(state, fields)
  if (fields["project"] !== undefined) errors["project"] = "Use the move operation to change an issue's project"
  if (Object.keys(errors).length > 0) return badRequest([], errors)
  apply(issue, fields)
  for (const operation of body.value.update?.labels ?? []) {
    if ("add" in operation && !issue.labels.includes(operation.add)) issue.labels.push(operation.add)
    if ("remove" in operation) issue.labels = issue.labels.filter((label) => label !== operation.remove)
  }
  issue.updated = isoAt(state)
  return noContent()
}

const AssignBody = Schema.Struct({ accountId: Schema.NullOr(Schema.String) })

export const assign = async (state: FakeJiraState, key: string, request: Request): Promise<Response> => {
  const issue = Data.findIssue(state, key)
  if (issue === undefined) return notFound(key)
  const body = await readJsonBody(request, AssignBody)
  if (Option.isNone(body)) return badRequest(["The request body must have accountId (null to unassign)"])
  if (body.value.accountId !== null && !state.users.has(body.value.accountId)) return badRequest([], { assignee: "User does not exist or cannot be assigned" })
  issue.assigneeId = body.value.accountId
  issue.updated = isoAt(state)
  return noContent()
}

const available = (statusId: string) => TRANSITIONS.filter((transition) => transition.toStatusId !== statusId)

export const transitions = (state: FakeJiraState, key: string): Response => {
  const issue = Data.findIssue(state, key)
  if (issue === undefined) return notFound(key)
  return json(200, {
    expand: "transitions",
    transitions: available(issue.statusId).map((transition) => {
      const to = STATUSES.find((status) => status.id === transition.toStatusId)!
      return { id: transition.id, name: transition.name, hasScreen: false, to: { id: to.id, name: to.name, statusCategory: { key: to.category, name: to.name } } }
    })
  })
}

const TransitionBody = Schema.Struct({ transition: Schema.Struct({ id: Schema.String }) })

export const transition = async (state: FakeJiraState, key: string, request: Request): Promise<Response> => {
  const issue = Data.findIssue(state, key)
  if (issue === undefined) return notFound(key)
  const body = await readJsonBody(request, TransitionBody)
  const chosen = Option.flatMap(body, (parsed) => Option.fromNullishOr(available(issue.statusId).find((candidate) => candidate.id === parsed.transition.id)))
  if (Option.isNone(chosen)) return badRequest(["Transition id is not valid for this issue"])
  issue.statusId = chosen.value.toStatusId
  issue.updated = isoAt(state)
  return noContent()
}

export const comments = (state: FakeJiraState, caller: Caller, key: string): Response => {
  const issue = Data.findIssue(state, key)
  if (issue === undefined) return notFound(key)
  const list = state.comments.filter((comment) => comment.issueId === issue.id)
  return json(200, { comments: list.map((comment) => Data.commentJson(state, caller.site, comment)), total: list.length, startAt: 0, maxResults: list.length })
}

const CommentBody = Schema.Struct({ body: JsonValue })

export const comment = async (state: FakeJiraState, caller: Caller, key: string, request: Request): Promise<Response> => {
  const issue = Data.findIssue(state, key)
  if (issue === undefined) return notFound(key)
  const body = await readJsonBody(request, CommentBody)
  if (Option.isNone(body) || !Data.isAdfDocument(body.value.body)) return badRequest([], { comment: "Comment body must be an Atlassian Document" })
  const created = Data.addComment(state, issue, body.value.body, caller.accountId)
  return json(201, Data.commentJson(state, caller.site, created))
}
