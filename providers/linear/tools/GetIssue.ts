/**
 * `get_issue`: reads one issue by id or identifier (`ENG-123`), with the fields an agent needs
 * to understand it: title, description, state, team, assignee, labels and its URL. The input is
 * `issueId`, as in `create_comment`, so an agent can pass the same value to both.
 */
import { Effect, Schema } from "effect"
import { ToolError } from "../../../kernel/domain/Errors.ts"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import * as LinearClient from "../LinearClient.ts"
import { nullable } from "../LinearSchema.ts"

export const Input = Schema.Struct({
  issueId: Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(200)).annotate({
    description: "The issue's id (UUID) or its identifier, such as ENG-123"
  })
})

const Named = Schema.Struct({ id: Schema.String, name: Schema.String })

const IssueFields = Schema.Struct({
  id: Schema.String,
  identifier: Schema.String,
  title: Schema.String,
  description: nullable(Schema.String),
  url: Schema.String,
  priority: nullable(Schema.Number),
  priorityLabel: nullable(Schema.String),
  createdAt: Schema.String,
  updatedAt: Schema.String,
  state: nullable(Schema.Struct({ name: Schema.String, type: Schema.String })),
  team: nullable(Schema.Struct({ id: Schema.String, key: Schema.String, name: Schema.String })),
  assignee: nullable(Named),
  labels: nullable(Schema.Struct({ nodes: Schema.Array(Schema.Struct({ name: Schema.String })) }))
})

export const GetIssue = LinearClient.operation(
  "GetIssue",
  `query GetIssue($id: String!) {
  issue(id: $id) {
    id identifier title description url priority priorityLabel createdAt updatedAt
    state { name type }
    team { id key name }
    assignee { id name }
    labels { nodes { name } }
  }
}`,
  Schema.Struct({ issue: Schema.NullOr(IssueFields) })
)

type IssueFields = typeof IssueFields.Type

/** Plain JSON for the agent: absent values become `null` so the shape never changes. */
const toResult = (issue: IssueFields) => ({
  id: issue.id,
  identifier: issue.identifier,
  title: issue.title,
  description: issue.description ?? null,
  url: issue.url,
  priority: issue.priority ?? null,
  priorityLabel: issue.priorityLabel ?? null,
  state: issue.state ? { name: issue.state.name, type: issue.state.type } : null,
  team: issue.team ? { id: issue.team.id, key: issue.team.key, name: issue.team.name } : null,
  assignee: issue.assignee ? { id: issue.assignee.id, name: issue.assignee.name } : null,
  labels: (issue.labels?.nodes ?? []).map((label) => label.name),
  createdAt: issue.createdAt,
  updatedAt: issue.updatedAt
})

export const make = (client: LinearClient.LinearClient): Tool =>
  defineTool({
    name: "get_issue",
    title: "Get a Linear issue",
    description: "Reads a Linear issue by id or identifier (such as ENG-123): title, description, state, team, " +
      "assignee, labels and URL.",
    input: Input,
    scope: "issues:read",
    annotations: { readOnly: true, destructive: false, idempotent: true },
    execute: Effect.fn("LinearTools.getIssue")(function*(input, context) {
      const data = yield* client.execute(GetIssue, { id: input.issueId }, context.accessToken)
      if (data.issue === null) {
        return yield* new ToolError({ reason: "NotFound", message: `Linear has no issue ${input.issueId}` })
      }
      return toResult(data.issue)
    })
  })
