/**
 * What the issue tools select from Linear and hand back to the agent. One selection and one
 * result shape for reading, searching, creating, updating, moving and labelling issues, so an
 * agent sees the same fields whichever tool it used. Absent values become `null`, so the shape
 * never changes.
 */
import { Effect, Schema } from "effect"
import { ToolError } from "../../../kernel/domain/Errors.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"

/** The GraphQL selection of an issue; `description` only where one issue is read. */
export const issueSelection = (withDescription: boolean): string =>
  `id identifier title ${withDescription ? "description " : ""}url priority priorityLabel dueDate createdAt updatedAt
    state { id name type }
    team { id key name }
    assignee { id name displayName }
    labels { nodes { id name } }
    parent { id identifier }`

const Named = Schema.Struct({ id: Schema.String, name: Schema.String })

export const IssueFields = Schema.Struct({
  id: Schema.String,
  identifier: Schema.String,
  title: Schema.String,
  description: nullable(Schema.String),
  url: Schema.String,
  priority: nullable(Schema.Number),
  priorityLabel: nullable(Schema.String),
  dueDate: nullable(Schema.String),
  createdAt: Schema.String,
  updatedAt: Schema.String,
  state: nullable(Schema.Struct({ id: nullable(Schema.String), name: Schema.String, type: Schema.String })),
  team: nullable(Schema.Struct({ id: Schema.String, key: Schema.String, name: Schema.String })),
  assignee: nullable(Schema.Struct({ ...Named.fields, displayName: nullable(Schema.String) })),
  labels: nullable(Schema.Struct({ nodes: Schema.Array(Named) })),
  parent: nullable(Schema.Struct({ id: Schema.String, identifier: Schema.String }))
})
export type IssueFields = typeof IssueFields.Type

export const toIssueResult = (issue: IssueFields) => ({
  id: issue.id,
  identifier: issue.identifier,
  title: issue.title,
  description: issue.description ?? null,
  url: issue.url,
  priority: issue.priority ?? null,
  priorityLabel: issue.priorityLabel ?? null,
  dueDate: issue.dueDate ?? null,
  state: issue.state ? { name: issue.state.name, type: issue.state.type } : null,
  team: issue.team ? { id: issue.team.id, key: issue.team.key, name: issue.team.name } : null,
  assignee: issue.assignee ? { id: issue.assignee.id, name: issue.assignee.name } : null,
  labels: (issue.labels?.nodes ?? []).map((label) => label.name),
  parent: issue.parent ? { id: issue.parent.id, identifier: issue.parent.identifier } : null,
  createdAt: issue.createdAt,
  updatedAt: issue.updatedAt
})

export type IssueResult = ReturnType<typeof toIssueResult>

/** Linear's `IssuePayload`: what issueCreate, issueUpdate, issueAddLabel and issueRemoveLabel answer. */
export const IssuePayload = Schema.Struct({ success: Schema.Boolean, issue: nullable(IssueFields) })
export type IssuePayload = typeof IssuePayload.Type

/** The changed issue, or a clear failure when Linear says it did not apply the change. */
export const changedIssue = (payload: IssuePayload, what: string): Effect.Effect<IssueResult, ToolError> =>
  payload.success && payload.issue !== undefined && payload.issue !== null
    ? Effect.succeed(toIssueResult(payload.issue))
    : Effect.fail(new ToolError({ reason: "VendorError", message: `Linear did not ${what}` }))
