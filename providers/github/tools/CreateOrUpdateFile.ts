/**
 * `create_or_update_file`: commits one file to a branch. Updating an existing file needs its
 * current blob `sha` (from get_file_contents on that branch): GitHub refuses a stale one, so
 * the agent never overwrites a change it has not seen.
 */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type { GitHubClient } from "./GitHubClient.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"
import { base64Encode } from "../../../kernel/encoding/Encoding.ts"
import { BranchName, encodePath, FilePath, Repo, repoPath } from "./Inputs.ts"

export const Input = Schema.Struct({
  repo: Repo,
  branch: BranchName.annotate({ description: "The branch to commit to" }),
  path: FilePath,
  content: Schema.String.check(Schema.isMaxLength(1_000_000)).annotate({ description: "The file's whole new text (UTF-8)" }),
  message: Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(10_000)).annotate({ description: "The commit message" }),
  sha: Schema.optionalKey(Schema.String.check(Schema.isPattern(/^[0-9a-fA-F]{40}$/u)).annotate({
    description: "The file's current blob sha (from get_file_contents); required to update an existing file"
  }))
})

const Written = Schema.Struct({
  content: nullable(Schema.Struct({ path: Schema.String, sha: Schema.String, html_url: nullable(Schema.String) })),
  commit: Schema.Struct({ sha: Schema.String, html_url: nullable(Schema.String), message: nullable(Schema.String) })
})

export const make = (client: GitHubClient): Tool =>
  defineTool({
    name: "create_or_update_file",
    title: "Commit a file to a branch of a GitHub repository",
    description: "Creates or replaces one file on a branch as a commit. To replace an existing file pass its current " +
      "sha from get_file_contents; without it GitHub refuses (InvalidInput). Overwrites the file's content.",
    input: Input,
    scope: "contents:write",
    annotations: { readOnly: false, destructive: true, idempotent: false },
    execute: Effect.fn("GitHubTools.createOrUpdateFile")(function*(input, context) {
      const repo = yield* repoPath(input.repo, context)
      const written = yield* client.json(
        {
          method: "PUT",
          path: `${repo}/contents/${encodePath(input.path)}`,
          body: {
            message: input.message,
            content: base64Encode(input.content),
            branch: input.branch,
            ...(input.sha === undefined ? {} : { sha: input.sha })
          },
          what: `commit ${input.path} to ${input.branch} in ${input.repo}`
        },
        Written,
        context
      )
      return {
        repo: input.repo,
        branch: input.branch,
        path: input.path,
        sha: written.content?.sha ?? null,
        commit: { sha: written.commit.sha, url: written.commit.html_url ?? null }
      }
    })
  })
