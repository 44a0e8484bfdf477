/**
 * `update_issue`: changes an issue's summary, description, priority, labels (the whole set) or
 * due date (null clears it). Status has its own tool (`update_issue_status`: Jira moves issues
 * through workflow transitions, not by setting a field), and so does the assignee.
 */
import { Effect, Schema } from "effect"
import { ToolError } from "../../../kernel/domain/Errors.ts"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import { fromText } from "../client/JiraAdf.ts"
import type { JiraClient } from "../client/JiraClient.ts"
import { Description, DueDate, Issue, Label, Priority, Summary } from "./Inputs.ts"

export const Input = Schema.Struct({
  issue: Issue,
  summary: Schema.optionalKey(Summary),
  description: Schema.optionalKey(Description),
  priority: Schema.optionalKey(Priority),
  labels: Schema.optionalKey(Schema.Array(Label).check(Schema.isMaxLength(20)).annotate({
    description: "The issue's labels after the update (replaces them all; add_label adds one)"
  })),
  dueDate: Schema.optionalKey(Schema.NullOr(DueDate))
})

export const make = (client: JiraClient): Tool =>
  defineTool({
    name: "update_issue",
    title: "Update a Jira issue's fields",
    description: "Changes a Jira issue's summary, description, priority, labels or due date (null clears it). " +
      "Use update_issue_status to change its status and assign_issue to change its assignee.",
    input: Input,
    scope: "issues:write",
    annotations: { readOnly: false, destructive: true, idempotent: true },
    execute: Effect.fn("JiraTools.updateIssue")(function*(input, context) {
      const fields = {
        ...(input.summary === undefined ? {} : { summary: input.summary }),
        ...(input.description === undefined ? {} : { description: fromText(input.description) }),
        ...(input.priority === undefined ? {} : { priority: { name: input.priority } }),
        ...(input.labels === undefined ? {} : { labels: [...input.labels] }),
        ...(input.dueDate === undefined ? {} : { duedate: input.dueDate })
      }
      const changed = Object.keys(fields)
      if (changed.length === 0) {
        return yield* new ToolError({ reason: "InvalidInput", message: "Nothing to update: give summary, description, priority, labels or dueDate" })
      }
      yield* client.send(yield* client.access(context), {
        method: "PUT",
        path: `/rest/api/3/issue/${encodeURIComponent(input.issue)}`,
        body: { fields },
        what: `update ${input.issue}`
      })
      return { issue: input.issue, updated: changed }
    })
  })
