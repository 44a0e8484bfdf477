/** `get_issue`: one issue with its description and newest comments, as plain text. */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type { JiraClient } from "../client/JiraClient.ts"
import { Issue } from "./Inputs.ts"
import { FIELDS, RestIssue, shape } from "./IssueShape.ts"

export const Input = Schema.Struct({ issue: Issue })

export const make = (client: JiraClient): Tool =>
  defineTool({
    name: "get_issue",
    title: "Read a Jira issue",
    description: "Reads a Jira issue: summary, description, status, type, priority, assignee, labels, due date and the newest comments.",
    input: Input,
    scope: "issues:read",
    annotations: { readOnly: true, destructive: false, idempotent: true },
    execute: Effect.fn("JiraTools.getIssue")(function*(input, context) {
      const issue = yield* client.call(
        context,
        {
          method: "GET",
          path: `/rest/api/3/issue/${encodeURIComponent(input.issue)}`,
          query: { fields: [...FIELDS, "comment"].join(",") },
          what: `get issue ${input.issue}`
        },
        RestIssue
      )
      return shape(issue, context)
    })
  })
