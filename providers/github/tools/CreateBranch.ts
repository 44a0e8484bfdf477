/**
 * `create_branch`: a new branch from another branch (default: the repository's default branch)
 * or from a commit SHA, where the agent can then commit with create_or_update_file.
 */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type { GitHubClient } from "./GitHubClient.ts"
import { BranchName, GitRef, Repo, repoPath } from "./Inputs.ts"
import { branchHead, defaultBranch } from "./Repository.ts"

export const Input = Schema.Struct({
  repo: Repo,
  branch: BranchName.annotate({ description: "The new branch's name, such as agent/fix-login" }),
  from: Schema.optionalKey(GitRef.annotate({ description: "The branch or full commit SHA to start from; default: the default branch" }))
})

const SHA = /^[0-9a-f]{40}$/i

const RestRef = Schema.Struct({ ref: Schema.String, object: Schema.Struct({ sha: Schema.String }) })

export const make = (client: GitHubClient): Tool =>
  defineTool({
    name: "create_branch",
    title: "Create a branch in a GitHub repository",
    description: "Creates a branch from another branch (default: the repository's default branch) or from a commit " +
      "SHA. Fails with InvalidInput when the branch already exists.",
    input: Input,
    scope: "contents:write",
    annotations: { readOnly: false, destructive: false, idempotent: false },
    execute: Effect.fn("GitHubTools.createBranch")(function*(input, context) {
      const repo = yield* repoPath(input.repo, context)
      const from = input.from ?? (yield* defaultBranch(client, repo, input.repo, context))
      const sha = SHA.test(from) ? from : yield* branchHead(client, repo, input.repo, from, context)
      const created = yield* client.json(
        {
          method: "POST",
          path: `${repo}/git/refs`,
          body: { ref: `refs/heads/${input.branch}`, sha },
          what: `create the branch ${input.branch} in ${input.repo}`
        },
        RestRef,
        context
      )
      return { repo: input.repo, branch: input.branch, from, sha: created.object.sha }
    })
  })
