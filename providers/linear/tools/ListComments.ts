/**
 * `list_comments`: an issue's discussion, oldest first, as the agent needs to follow it: who
 * wrote each comment (and whether it was the agent itself), which thread it replies to, and
 * its text.
 */
import { Effect, Schema } from "effect"
import { ToolError } from "../../../kernel/domain/Errors.ts"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import * as LinearClient from "../LinearClient.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"
import { First, IssueId } from "./Inputs.ts"

export const Input = Schema.Struct({
  issueId: IssueId,
  first: Schema.optionalKey(First.annotate({ description: "How many comments to return, 1 to 50 (default 50)" }))
})

const Comment = Schema.Struct({
  id: Schema.String,
  body: Schema.String,
  url: nullable(Schema.String),
  createdAt: Schema.String,
  user: nullable(Schema.Struct({ id: Schema.String, name: Schema.String, displayName: nullable(Schema.String) })),
  parent: nullable(Schema.Struct({ id: Schema.String }))
})

export const ListComments = LinearClient.operation(
  "ListComments",
  `query ListComments($id: String!, $first: Int) {
  issue(id: $id) {
    id identifier
    comments(first: $first) {
      nodes { id body url createdAt user { id name displayName } parent { id } }
    }
  }
}`,
  Schema.Struct({
    issue: Schema.NullOr(Schema.Struct({
      id: Schema.String,
      identifier: Schema.String,
      comments: Schema.Struct({ nodes: Schema.Array(Comment) })
    }))
  })
)

export const make = (client: LinearClient.LinearClient): Tool =>
  defineTool({
    name: "list_comments",
    title: "List a Linear issue's comments",
    description: "Lists the comments on a Linear issue, oldest first, with author, thread (parentId) and whether the " +
      "agent wrote it.",
    input: Input,
    scope: "comments:read",
    annotations: { readOnly: true, destructive: false, idempotent: true },
    execute: Effect.fn("LinearTools.listComments")(function*(input, context) {
      const data = yield* client.execute(ListComments, { id: input.issueId, first: input.first ?? 50 }, context.accessToken)
      if (data.issue === null) {
        return yield* new ToolError({ reason: "NotFound", message: `Linear has no issue ${input.issueId}` })
      }
      const appUserId = context.installation.metadata["appUserId"]
      const comments = [...data.issue.comments.nodes].sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      return {
        issueId: data.issue.id,
        identifier: data.issue.identifier,
        comments: comments.map((comment) => ({
          id: comment.id,
          body: comment.body,
          url: comment.url ?? null,
          createdAt: comment.createdAt,
          author: comment.user ? { id: comment.user.id, name: comment.user.name } : null,
          byAgent: comment.user !== undefined && comment.user !== null && comment.user.id === appUserId,
          parentId: comment.parent?.id ?? null
        }))
      }
    })
  })
