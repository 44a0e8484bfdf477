/** `create_issue`: opens an issue, optionally labelled and assigned. */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type { GitHubClient } from "./GitHubClient.ts"
import { Body, LabelName, Login, Repo, repoPath, Title } from "./Inputs.ts"
import { RestIssue, toIssueResult } from "./Shapes.ts"

export const Input = Schema.Struct({
  repo: Repo,
  title: Title,
  body: Schema.optionalKey(Body.annotate({ description: "The issue's body, in Markdown" })),
  labels: Schema.optionalKey(Schema.Array(LabelName).check(Schema.isMaxLength(100))),
  assignees: Schema.optionalKey(Schema.Array(Login).check(Schema.isMaxLength(10)))
})

export const make = (client: GitHubClient): Tool =>
  defineTool({
    name: "create_issue",
    title: "Create a GitHub issue",
    description: "Opens a new issue in a repository, optionally with labels and assignees.",
    input: Input,
    scope: "issues:write",
    annotations: { readOnly: false, destructive: false, idempotent: false },
    execute: Effect.fn("GitHubTools.createIssue")(function*(input, context) {
      const { repo: repoName, ...fields } = input
      const repo = yield* repoPath(repoName, context)
      const issue = yield* client.json(
        { method: "POST", path: `${repo}/issues`, body: fields, what: `create an issue in ${repoName}` },
        RestIssue,
        context
      )
      return { repo: repoName, ...toIssueResult(issue) }
    })
  })
