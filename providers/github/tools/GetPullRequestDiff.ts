/** `get_pull_request_diff`: the unified diff of a pull request, cut at `MAX_DIFF_CHARS`. */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import { DIFF_MEDIA_TYPE, type GitHubClient } from "./GitHubClient.ts"
import { ItemNumber, Repo, repoPath } from "./Inputs.ts"

export const MAX_DIFF_CHARS = 200_000

export const Input = Schema.Struct({ repo: Repo, number: ItemNumber })

export const make = (client: GitHubClient): Tool =>
  defineTool({
    name: "get_pull_request_diff",
    title: "Read a GitHub pull request's diff",
    description: `Reads a pull request's unified diff (cut at ${MAX_DIFF_CHARS} characters; list_pull_request_files ` +
      "gives per-file patches).",
    input: Input,
    scope: "pulls:read",
    annotations: { readOnly: true, destructive: false, idempotent: true },
    execute: Effect.fn("GitHubTools.getPullRequestDiff")(function*(input, context) {
      const repo = yield* repoPath(input.repo, context)
      const diff = yield* client.text(
        {
          method: "GET",
          path: `${repo}/pulls/${input.number}`,
          accept: DIFF_MEDIA_TYPE,
          what: `get the diff of pull request ${input.repo}#${input.number}`
        },
        context
      )
      return {
        repo: input.repo,
        number: input.number,
        diff: diff.slice(0, MAX_DIFF_CHARS),
        truncated: diff.length > MAX_DIFF_CHARS
      }
    })
  })
