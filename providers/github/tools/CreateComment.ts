/** `create_comment`: posts a Markdown comment on an issue or pull request as the app's bot. */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type { GitHubClient } from "./GitHubClient.ts"
import { Body, ItemNumber, Repo, repoPath } from "./Inputs.ts"
import { RestComment, toCommentResult } from "./Shapes.ts"

export const Input = Schema.Struct({
  repo: Repo,
  number: ItemNumber,
  body: Body.annotate({ description: "The comment, in Markdown" })
})

export const make = (client: GitHubClient): Tool =>
  defineTool({
    name: "create_comment",
    title: "Comment on a GitHub issue or pull request",
    description: "Posts a Markdown comment on an issue or a pull request's conversation, as the app's bot.",
    input: Input,
    scope: "comments:write",
    annotations: { readOnly: false, destructive: false, idempotent: false },
    execute: Effect.fn("GitHubTools.createComment")(function*(input, context) {
      const repo = yield* repoPath(input.repo, context)
      const comment = yield* client.json(
        {
          method: "POST",
          path: `${repo}/issues/${input.number}/comments`,
          body: { body: input.body },
          what: `comment on ${input.repo}#${input.number}`
        },
        RestComment,
        context
      )
      return { repo: input.repo, number: input.number, ...toCommentResult(comment, context) }
    })
  })
