/** `create_pull_request`: opens a pull request from a branch (default base: the default branch). */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type { GitHubClient } from "./GitHubClient.ts"
import { Body, BranchName, Repo, repoPath, Title } from "./Inputs.ts"
import { defaultBranch } from "./Repository.ts"
import { RestPullRequest, toPullRequestResult } from "./Shapes.ts"

export const Input = Schema.Struct({
  repo: Repo,
  title: Title,
  head: BranchName.annotate({ description: "The branch with the changes" }),
  base: Schema.optionalKey(BranchName.annotate({ description: "The branch to merge into; default: the default branch" })),
  body: Schema.optionalKey(Body.annotate({ description: "The description, in Markdown (\"Fixes #12\" links an issue)" })),
  draft: Schema.optionalKey(Schema.Boolean.annotate({ description: "Open it as a draft" }))
})

export const make = (client: GitHubClient): Tool =>
  defineTool({
    name: "create_pull_request",
    title: "Open a GitHub pull request",
    description: "Opens a pull request from a branch into another (default: the repository's default branch), " +
      "optionally as a draft.",
    input: Input,
    scope: "pulls:write",
    annotations: { readOnly: false, destructive: false, idempotent: false },
    execute: Effect.fn("GitHubTools.createPullRequest")(function*(input, context) {
      const repo = yield* repoPath(input.repo, context)
      const base = input.base ?? (yield* defaultBranch(client, repo, input.repo, context))
      const pull = yield* client.json(
        {
          method: "POST",
          path: `${repo}/pulls`,
          body: {
            title: input.title,
            head: input.head,
            base,
            ...(input.body === undefined ? {} : { body: input.body }),
            ...(input.draft === undefined ? {} : { draft: input.draft })
          },
          what: `open a pull request from ${input.head} into ${base} in ${input.repo}`
        },
        RestPullRequest,
        context
      )
      return { repo: input.repo, ...toPullRequestResult(pull) }
    })
  })
