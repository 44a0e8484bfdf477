/**
 * `create_sub_issue`: breaks work down. The new issue goes under the parent, in the parent's
 * team (Linear keeps sub-issues in their parent's team unless moved).
 */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type * as LinearClient from "../LinearClient.ts"
import { createIssue, newIssueFields } from "./CreateIssue.ts"
import { IssueId, Title } from "./Inputs.ts"
import { issueWithTeam } from "./Lookups.ts"

export const Input = Schema.Struct({
  parentIssueId: IssueId.annotate({ description: "The parent issue's id (UUID) or identifier, such as ENG-123" }),
  title: Title,
  ...newIssueFields
})

export const make = (client: LinearClient.LinearClient): Tool =>
  defineTool({
    name: "create_sub_issue",
    title: "Create a Linear sub-issue",
    description: "Creates a sub-issue under a Linear issue, in the parent's team, with optional description, " +
      "priority, assignee and due date.",
    input: Input,
    scope: "issues:write",
    annotations: { readOnly: false, destructive: false, idempotent: false },
    execute: Effect.fn("LinearTools.createSubIssue")(function*(input, context) {
      const parent = yield* issueWithTeam(client, context.accessToken, input.parentIssueId)
      return yield* createIssue(client, context, parent.team.id, input, parent.id)
    })
  })
