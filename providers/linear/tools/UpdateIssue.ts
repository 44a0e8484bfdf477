/**
 * `update_issue`: changes an issue's title, description, priority, assignee or due date. Only
 * the fields given change; `assignee: null` unassigns and `dueDate: null` clears the date.
 * Moving between workflow states is `move_issue`.
 */
import { Effect, Schema } from "effect"
import { ToolError } from "../../../kernel/domain/Errors.ts"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import * as LinearClient from "../LinearClient.ts"
import { Assignee, Description, DueDate, IssueId, Priority, Title } from "./Inputs.ts"
import { changedIssue, IssuePayload, issueSelection } from "./IssueShape.ts"
import { resolveUser } from "./Lookups.ts"

export const Input = Schema.Struct({
  issueId: IssueId,
  title: Schema.optionalKey(Title),
  description: Schema.optionalKey(Description),
  priority: Schema.optionalKey(Priority),
  assignee: Schema.optionalKey(Schema.NullOr(Assignee)),
  dueDate: Schema.optionalKey(Schema.NullOr(DueDate))
})

export const IssueUpdate = LinearClient.operation(
  "UpdateIssue",
  `mutation UpdateIssue($id: String!, $input: IssueUpdateInput!) {
  issueUpdate(id: $id, input: $input) { success issue { ${issueSelection(true)} } }
}`,
  Schema.Struct({ issueUpdate: IssuePayload })
)

export const make = (client: LinearClient.LinearClient): Tool =>
  defineTool({
    name: "update_issue",
    title: "Update a Linear issue",
    description: "Changes a Linear issue's title, description, priority, assignee or due date; fields left out stay " +
      "as they are. assignee null unassigns, dueDate null clears it. Overwrites what was there.",
    input: Input,
    scope: "issues:write",
    annotations: { readOnly: false, destructive: true, idempotent: true },
    execute: Effect.fn("LinearTools.updateIssue")(function*(input, context) {
      const { issueId, assignee, ...rest } = input
      if (Object.keys(rest).length === 0 && assignee === undefined) {
        return yield* new ToolError({
          reason: "InvalidInput",
          message: "Give at least one of title, description, priority, assignee, dueDate"
        })
      }
      const assigneeId = assignee === undefined || assignee === null
        ? assignee
        : yield* resolveUser(client, context.accessToken, context.installation, assignee)
      const changes = { ...rest, ...(assigneeId === undefined ? {} : { assigneeId }) }
      const data = yield* client.execute(IssueUpdate, { id: issueId, input: changes }, context.accessToken)
      return yield* changedIssue(data.issueUpdate, `update ${issueId}`)
    })
  })
