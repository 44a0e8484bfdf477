/**
 * `list_pull_request_files`: the files a pull request changes, with their patches. Patches are
 * cut at `MAX_PATCH_CHARS` each so one generated file cannot fill the agent's context;
 * get_pull_request_diff or get_file_contents read the rest.
 */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type { GitHubClient } from "./GitHubClient.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"
import { ItemNumber, Page, PerPage, pageQuery, Repo, repoPath } from "./Inputs.ts"

export const MAX_PATCH_CHARS = 20_000

export const Input = Schema.Struct({
  repo: Repo,
  number: ItemNumber,
  perPage: Schema.optionalKey(PerPage),
  page: Schema.optionalKey(Page)
})

const RestFile = Schema.Struct({
  filename: Schema.String,
  status: Schema.String,
  additions: Schema.Number,
  deletions: Schema.Number,
  changes: Schema.Number,
  patch: nullable(Schema.String),
  previous_filename: nullable(Schema.String),
  sha: nullable(Schema.String)
})

export const make = (client: GitHubClient): Tool =>
  defineTool({
    name: "list_pull_request_files",
    title: "List the files a GitHub pull request changes",
    description: "Lists the files a pull request changes: status (added, modified, removed, renamed), line counts " +
      `and each file's patch (cut at ${MAX_PATCH_CHARS} characters).`,
    input: Input,
    scope: "pulls:read",
    annotations: { readOnly: true, destructive: false, idempotent: true },
    execute: Effect.fn("GitHubTools.listPullRequestFiles")(function*(input, context) {
      const repo = yield* repoPath(input.repo, context)
      const query = pageQuery(input)
      const files = yield* client.json(
        {
          method: "GET",
          path: `${repo}/pulls/${input.number}/files`,
          query,
          what: `list the files of pull request ${input.repo}#${input.number}`
        },
        Schema.Array(RestFile),
        context
      )
      return {
        repo: input.repo,
        number: input.number,
        files: files.map((file) => ({
          filename: file.filename,
          status: file.status,
          additions: file.additions,
          deletions: file.deletions,
          changes: file.changes,
          previousFilename: file.previous_filename ?? null,
          patch: file.patch === undefined || file.patch === null ? null : file.patch.slice(0, MAX_PATCH_CHARS),
          patchTruncated: (file.patch?.length ?? 0) > MAX_PATCH_CHARS
        })),
        page: Number(query.page),
        hasMore: files.length === Number(query.per_page)
      }
    })
  })
