/** `list_comments`: the conversation of an issue or pull request, oldest first, one page at a time. */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type { GitHubClient } from "./GitHubClient.ts"
import { ItemNumber, Page, PerPage, pageQuery, Repo, repoPath } from "./Inputs.ts"
import { RestComment, toCommentResult } from "./Shapes.ts"

export const Input = Schema.Struct({
  repo: Repo,
  number: ItemNumber,
  perPage: Schema.optionalKey(PerPage),
  page: Schema.optionalKey(Page)
})

export const make = (client: GitHubClient): Tool =>
  defineTool({
    name: "list_comments",
    title: "List comments on a GitHub issue or pull request",
    description: "Lists the comments on an issue or a pull request's conversation, oldest first. byAgent marks the " +
      "agent's own comments. Review comments on diff lines are not included.",
    input: Input,
    scope: "issues:read",
    annotations: { readOnly: true, destructive: false, idempotent: true },
    execute: Effect.fn("GitHubTools.listComments")(function*(input, context) {
      const repo = yield* repoPath(input.repo, context)
      const query = pageQuery(input)
      const comments = yield* client.json(
        {
          method: "GET",
          path: `${repo}/issues/${input.number}/comments`,
          query,
          what: `list comments on ${input.repo}#${input.number}`
        },
        Schema.Array(RestComment),
        context
      )
      return {
        repo: input.repo,
        number: input.number,
        comments: comments.map((comment) => toCommentResult(comment, context)),
        page: Number(query.page),
        hasMore: comments.length === Number(query.per_page)
      }
    })
  })
