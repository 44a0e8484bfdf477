/** `get_issue`: an issue (or a pull request read as an issue): title, body, state, labels, assignees. */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type { GitHubClient } from "./GitHubClient.ts"
import { ItemNumber, Repo, repoPath } from "./Inputs.ts"
import { RestIssue, toIssueResult } from "./Shapes.ts"

export const Input = Schema.Struct({ repo: Repo, number: ItemNumber })

export const make = (client: GitHubClient): Tool =>
  defineTool({
    name: "get_issue",
    title: "Read a GitHub issue",
    description: "Reads an issue (or a pull request's conversation side) by repository and number: title, body, " +
      "state, labels, assignees and comment count. For a pull request's branches and diff use get_pull_request.",
    input: Input,
    scope: "issues:read",
    annotations: { readOnly: true, destructive: false, idempotent: true },
    execute: Effect.fn("GitHubTools.getIssue")(function*(input, context) {
      const repo = yield* repoPath(input.repo, context)
      const issue = yield* client.json(
        { method: "GET", path: `${repo}/issues/${input.number}`, what: `get issue ${input.repo}#${input.number}` },
        RestIssue,
        context
      )
      return { repo: input.repo, ...toIssueResult(issue) }
    })
  })
