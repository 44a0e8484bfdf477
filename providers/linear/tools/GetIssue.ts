/**
 * `get_issue`: reads one issue by id or identifier (`ENG-123`), with the fields an agent needs
 * to understand it: title, description, state, team, assignee, labels, due date, parent and
 * its URL. The input is `issueId`, as in every issue tool, so an agent passes the same value.
 */
import { Effect, Schema } from "effect"
import { ToolError } from "../../../kernel/domain/Errors.ts"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import * as LinearClient from "../LinearClient.ts"
import { IssueId } from "./Inputs.ts"
import { IssueFields, issueSelection, toIssueResult } from "./IssueShape.ts"

export const Input = Schema.Struct({ issueId: IssueId })

export const GetIssue = LinearClient.operation(
  "GetIssue",
  `query GetIssue($id: String!) {
  issue(id: $id) { ${issueSelection(true)} }
}`,
  Schema.Struct({ issue: Schema.NullOr(IssueFields) })
)

export const make = (client: LinearClient.LinearClient): Tool =>
  defineTool({
    name: "get_issue",
    title: "Get a Linear issue",
    description: "Reads a Linear issue by id or identifier (such as ENG-123): title, description, state, team, " +
      "assignee, labels, due date, parent and URL.",
    input: Input,
    scope: "issues:read",
    annotations: { readOnly: true, destructive: false, idempotent: true },
    execute: Effect.fn("LinearTools.getIssue")(function*(input, context) {
      const data = yield* client.execute(GetIssue, { id: input.issueId }, context.accessToken)
      if (data.issue === null) {
        return yield* new ToolError({ reason: "NotFound", message: `Linear has no issue ${input.issueId}` })
      }
      return toIssueResult(data.issue)
    })
  })
