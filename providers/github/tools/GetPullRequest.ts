/** `get_pull_request`: a pull request's head and base branches, merge state, reviewers and size. */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type { GitHubClient } from "./GitHubClient.ts"
import { ItemNumber, Repo, repoPath } from "./Inputs.ts"
import { RestPullRequest, toPullRequestResult } from "./Shapes.ts"

export const Input = Schema.Struct({ repo: Repo, number: ItemNumber })

export const make = (client: GitHubClient): Tool =>
  defineTool({
    name: "get_pull_request",
    title: "Read a GitHub pull request",
    description: "Reads a pull request: title, body, state, draft and merge state, head and base branches with " +
      "their SHAs, requested reviewers, and the size of the change.",
    input: Input,
    scope: "pulls:read",
    annotations: { readOnly: true, destructive: false, idempotent: true },
    execute: Effect.fn("GitHubTools.getPullRequest")(function*(input, context) {
      const repo = yield* repoPath(input.repo, context)
      const pull = yield* client.json(
        { method: "GET", path: `${repo}/pulls/${input.number}`, what: `get pull request ${input.repo}#${input.number}` },
        RestPullRequest,
        context
      )
      return { repo: input.repo, ...toPullRequestResult(pull) }
    })
  })
