/**
 * The fake's mutations: `commentCreate`, `issueCreate`, `issueUpdate`, `issueAddLabel`,
 * `issueRemoveLabel` and `agentActivityCreate`, each answering Linear's payload shape
 * (`{ success, lastSyncId, <entity> }`). Inputs are as strict as Linear's GraphQL validation: an
 * input field the schema does not define is an error, so a typo in the provider cannot pass
 * silently; references to unknown entities are "Entity not found"; writes need the `write`
 * scope (or Linear's narrower `issues:create` / `comments:create`).
 */
import { Option, Schema } from "effect"
import { addComment, findIssue, priorityLabel, replaceIssue, statesOf, statusAfter } from "./FakeLinearData.ts"
import { data, failure, type FieldResult, forbidden, invalidInput, notFound } from "./FakeLinearErrors.ts"
import type { ResolveContext, Resolver } from "./FakeLinearQueries.ts"
import type { FakeIssue, FakeLinearState } from "./FakeLinearState.ts"
import { iso } from "./FakeLinearState.ts"
import { activityView, commentView, issueView } from "./FakeLinearViews.ts"

const optional = <S extends Schema.Top>(schema: S) => Schema.optionalKey(schema)
const clearable = <S extends Schema.Top>(schema: S) => Schema.optionalKey(Schema.NullOr(schema))
const Priority = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 4 }))
const TimelessDate = Schema.String.check(Schema.isPattern(/^\d{4}-\d{2}-\d{2}$/))

const CommentCreateInput = Schema.Struct({ issueId: Schema.String, body: Schema.String, parentId: optional(Schema.String) })

const issueFields = {
  title: optional(Schema.String),
  description: clearable(Schema.String),
  priority: optional(Priority),
  assigneeId: clearable(Schema.String),
  dueDate: clearable(TimelessDate),
  stateId: optional(Schema.String),
  parentId: clearable(Schema.String),
  labelIds: optional(Schema.Array(Schema.String))
}
const IssueCreateInput = Schema.Struct({ ...issueFields, teamId: Schema.String, title: Schema.String })
const IssueUpdateInput = Schema.Struct(issueFields)

const ActivityContent = Schema.Struct({
  type: Schema.String,
  body: optional(Schema.String),
  action: optional(Schema.String),
  parameter: optional(Schema.String),
  result: optional(Schema.String)
})
const AgentActivityCreateInput = Schema.Struct({
  agentSessionId: Schema.String,
  content: ActivityContent,
  ephemeral: optional(Schema.Boolean),
  signal: optional(Schema.Literals(["auth", "continue", "select", "stop"])),
  signalMetadata: optional(Schema.Record(Schema.String, Schema.Unknown)),
  id: optional(Schema.String.check(Schema.isUUID()))
})

const strict = { onExcessProperty: "error" } as const

/** Decodes an argument, or answers Linear's validation error naming what was wrong. */
const withArg = <A>(
  context: ResolveContext,
  name: string,
  schema: Schema.Codec<A, unknown>,
  use: (value: A) => FieldResult
): FieldResult => {
  const decoded = Schema.decodeUnknownExit(schema, strict)(context.args[name])
  return decoded._tag === "Success"
    ? use(decoded.value)
    : failure(invalidInput(`Argument "${name}" is invalid: ${decoded.cause.toString().split("\n")[0] ?? ""}`))
}

const canWrite = (context: ResolveContext, narrower?: string) =>
  context.token.scopes.includes("write") || (narrower !== undefined && context.token.scopes.includes(narrower))

const payload = (state: FakeLinearState, key: string, value: unknown) =>
  data({ success: true, lastSyncId: state.comments.length + state.issues.size + state.agentActivities.length, [key]: value })

type IssueChanges = typeof IssueUpdateInput.Type

/** Applies Linear's issue input fields, checking every reference they make. */
const applyFields = (state: FakeLinearState, teamId: string, input: IssueChanges): Partial<FakeIssue> | string => {
  const changes: { -readonly [K in keyof FakeIssue]?: FakeIssue[K] } = {}
  if (input.title !== undefined) {
    if (input.title.trim().length === 0) return "title must not be empty"
    changes.title = input.title
  }
  if (input.description !== undefined) changes.description = input.description
  if (input.priority !== undefined) {
    changes.priority = input.priority
    changes.priorityLabel = priorityLabel(input.priority)
  }
  if (input.dueDate !== undefined) changes.dueDate = input.dueDate
  if (input.assigneeId !== undefined) {
    const user = input.assigneeId === null ? null : state.users.get(input.assigneeId)
    if (user === undefined) return "Entity not found: User"
    changes.assignee = user
  }
  if (input.stateId !== undefined) {
    const found = statesOf(state, teamId).find((entry) => entry.id === input.stateId)
    if (found === undefined) return "the workflow state does not belong to the issue's team"
    changes.state = { id: found.id, name: found.name, type: found.type }
  }
  if (input.parentId !== undefined) {
    const parent = input.parentId === null ? null : findIssue(state, input.parentId)
    if (parent === undefined) return "Entity not found: Issue"
    changes.parentId = parent === null ? null : parent.id
  }
  if (input.labelIds !== undefined) {
    const names = input.labelIds.map((id) => state.labels.get(id)?.name)
    if (names.some((name) => name === undefined)) return "Entity not found: IssueLabel"
    changes.labels = names.filter((name): name is string => name !== undefined)
  }
  return changes
}

const problem = (detail: string): FieldResult =>
  failure(detail.startsWith("Entity not found: ") ? notFound(detail.slice("Entity not found: ".length)) : invalidInput(detail))

const withIssue = (context: ResolveContext, use: (issue: FakeIssue) => FieldResult): FieldResult =>
  withArg(context, "id", Schema.String, (id) => {
    const issue = findIssue(context.state, id)
    return issue === undefined ? failure(notFound("Issue")) : use(issue)
  })

const labelChange = (add: boolean): Resolver => (context) => {
  if (!canWrite(context)) return failure(forbidden("`write`", "change labels"))
  return withIssue(context, (issue) =>
    withArg(context, "labelId", Schema.String, (labelId) => {
      const label = context.state.labels.get(labelId)
      if (label === undefined) return failure(notFound("IssueLabel"))
      if (label.teamId !== null && label.teamId !== issue.teamId) {
        return failure(invalidInput("The label belongs to another team"))
      }
      const others = issue.labels.filter((name) => name.toLowerCase() !== label.name.toLowerCase())
      const next = replaceIssue(context.state, issue, { labels: add ? [...others, label.name] : others })
      return payload(context.state, "issue", issueView(context.state, next))
    }))
}

const activityProblem = (input: typeof AgentActivityCreateInput.Type): Option.Option<string> => {
  const { content } = input
  const hasBody = content.body !== undefined && content.body.trim().length > 0
  switch (content.type) {
    case "thought":
    case "response":
    case "error":
    case "elicitation":
      if (!hasBody) return Option.some(`a ${content.type} activity needs a non-empty body`)
      break
    case "action":
      if (content.action === undefined || content.parameter === undefined) {
        return Option.some("an action activity needs action and parameter")
      }
      break
    default:
      return Option.some(`content.type must be thought, action, response, error or elicitation, not ${content.type}`)
  }
  if (input.ephemeral === true && content.type !== "thought" && content.type !== "action") {
    return Option.some("only thought and action activities can be ephemeral")
  }
  return Option.none()
}

export const mutations: ReadonlyMap<string, Resolver> = new Map<string, Resolver>([
  [
    "commentCreate",
    (context) => {
      if (!canWrite(context, "comments:create")) return failure(forbidden("`write` or `comments:create`", "create comments"))
      return withArg(context, "input", CommentCreateInput, (input) => {
        if (input.body.trim().length === 0) return failure(invalidInput("Comment body must not be empty"))
        const issue = findIssue(context.state, input.issueId)
        if (issue === undefined) return failure(notFound("Issue"))
        const parent = input.parentId === undefined ? undefined : context.state.comments.find((c) => c.id === input.parentId)
        if (input.parentId !== undefined && parent === undefined) return failure(notFound("Comment"))
        const comment = addComment(context.state, issue, input.body, { parentId: parent?.parentId ?? parent?.id })
        return payload(context.state, "comment", commentView(context.state, comment))
      })
    }
  ],
  [
    "issueCreate",
    (context) => {
      if (!canWrite(context, "issues:create")) return failure(forbidden("`write` or `issues:create`", "create issues"))
      return withArg(context, "input", IssueCreateInput, (input) => {
        const team = context.state.teams.get(input.teamId)
        if (team === undefined) return failure(notFound("Team"))
        const fields = applyFields(context.state, team.id, input)
        if (typeof fields === "string") return problem(fields)
        const state = fields.state ?? statesOf(context.state, team.id).find((entry) => entry.type === "unstarted")
        context.state.issueCounter += 1
        const identifier = `${team.key}-${context.state.issueCounter}`
        const issue: FakeIssue = {
          id: crypto.randomUUID(),
          identifier,
          title: input.title,
          description: null,
          url: `https://linear.app/${context.state.organization.urlKey}/issue/${identifier}`,
          priority: 0,
          priorityLabel: priorityLabel(0),
          teamId: team.id,
          state: state === undefined ? { id: "none", name: "Todo", type: "unstarted" } : { id: state.id, name: state.name, type: state.type },
          assignee: null,
          labels: [],
          dueDate: null,
          parentId: null,
          createdAt: iso(context.state),
          updatedAt: iso(context.state),
          ...fields
        }
        context.state.issues.set(issue.id, issue)
        return payload(context.state, "issue", issueView(context.state, issue))
      })
    }
  ],
  [
    "issueUpdate",
    (context) => {
      if (!canWrite(context)) return failure(forbidden("`write`", "update issues"))
      return withIssue(context, (issue) =>
        withArg(context, "input", IssueUpdateInput, (input) => {
          const fields = applyFields(context.state, issue.teamId, input)
          if (typeof fields === "string") return problem(fields)
          return payload(context.state, "issue", issueView(context.state, replaceIssue(context.state, issue, fields)))
        }))
    }
  ],
  ["issueAddLabel", labelChange(true)],
  ["issueRemoveLabel", labelChange(false)],
  [
    "agentActivityCreate",
    (context) => {
      if (!canWrite(context)) return failure(forbidden("`write`", "create agent activities"))
      return withArg(context, "input", AgentActivityCreateInput, (input) => {
        const session = context.state.agentSessions.get(input.agentSessionId)
        if (session === undefined) return failure(notFound("AgentSession"))
        const wrong = activityProblem(input)
        if (Option.isSome(wrong)) return failure(invalidInput(wrong.value))
        if (input.id !== undefined && context.state.agentActivities.some((activity) => activity.id === input.id)) {
          return failure(invalidInput("An agent activity with this id already exists"))
        }
        const activity = {
          id: input.id ?? crypto.randomUUID(),
          agentSessionId: session.id,
          content: input.content,
          ephemeral: input.ephemeral ?? false,
          signal: input.signal ?? null,
          userId: context.state.appUser.id,
          createdAt: iso(context.state),
          receivedAt: Date.now()
        }
        context.state.agentActivities.push(activity)
        session.status = statusAfter(input.content.type, session.status)
        return payload(context.state, "agentActivity", activityView(activity))
      })
    }
  ]
])
