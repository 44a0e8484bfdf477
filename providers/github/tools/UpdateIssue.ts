/**
 * `update_issue`: changes an issue's (or a pull request's) title, body, state, labels or
 * assignees. Only the fields given change; `labels` and `assignees` replace the whole set
 * (add_labels and remove_label change one at a time).
 */
import { Effect, Schema } from "effect"
import { ToolError } from "../../../kernel/domain/Errors.ts"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type { GitHubClient } from "./GitHubClient.ts"
import { ItemNumber, LabelName, Login, Repo, repoPath, Title } from "./Inputs.ts"
import { RestIssue, toIssueResult } from "./Shapes.ts"

export const Input = Schema.Struct({
  repo: Repo,
  number: ItemNumber,
  title: Schema.optionalKey(Title),
  body: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(65_536)).annotate({ description: "The new body, in Markdown" })),
  state: Schema.optionalKey(Schema.Literals(["open", "closed"]).annotate({ description: "open or closed" })),
  stateReason: Schema.optionalKey(Schema.Literals(["completed", "not_planned", "reopened"]).annotate({
    description: "Why it was closed (completed, not_planned) or reopened"
  })),
  labels: Schema.optionalKey(Schema.Array(LabelName).check(Schema.isMaxLength(100)).annotate({
    description: "The complete set of label names (replaces the current labels)"
  })),
  assignees: Schema.optionalKey(Schema.Array(Login).check(Schema.isMaxLength(10)).annotate({
    description: "The complete set of assignee logins (replaces the current assignees; [] unassigns everyone)"
  }))
})

export const make = (client: GitHubClient): Tool =>
  defineTool({
    name: "update_issue",
    title: "Update a GitHub issue",
    description: "Changes an issue's or pull request's title, body, state (open/closed, with a reason), labels or " +
      "assignees. Fields left out stay as they are; labels and assignees replace the whole set.",
    input: Input,
    scope: "issues:write",
    annotations: { readOnly: false, destructive: true, idempotent: true },
    execute: Effect.fn("GitHubTools.updateIssue")(function*(input, context) {
      const { number, repo: repoName, stateReason, ...rest } = input
      const changes = { ...rest, ...(stateReason === undefined ? {} : { state_reason: stateReason }) }
      if (Object.keys(changes).length === 0) {
        return yield* new ToolError({
          reason: "InvalidInput",
          message: "Give at least one of title, body, state, stateReason, labels, assignees"
        })
      }
      const repo = yield* repoPath(repoName, context)
      const issue = yield* client.json(
        { method: "PATCH", path: `${repo}/issues/${number}`, body: changes, what: `update ${repoName}#${number}` },
        RestIssue,
        context
      )
      return { repo: repoName, ...toIssueResult(issue) }
    })
  })
