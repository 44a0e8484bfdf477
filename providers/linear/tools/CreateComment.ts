/**
 * `create_comment`: posts a Markdown comment on an issue as the app user (the install used
 * `actor=app`, so Linear shows the agent as the author), optionally as a reply in a thread.
 */
import { Effect, Schema } from "effect"
import { ToolError } from "../../../kernel/domain/Errors.ts"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import * as LinearClient from "../LinearClient.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"
import { Body, IssueId } from "./Inputs.ts"

export const Input = Schema.Struct({
  issueId: IssueId,
  body: Body.annotate({ description: "The comment, in Markdown" }),
  parentCommentId: Schema.optionalKey(Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(200)).annotate({
    description: "Reply in this comment's thread (a comment id from list_comments or the dispatch context)"
  }))
})

export const CreateComment = LinearClient.operation(
  "CreateComment",
  `mutation CreateComment($input: CommentCreateInput!) {
  commentCreate(input: $input) {
    success
    comment { id body url createdAt }
  }
}`,
  Schema.Struct({
    commentCreate: Schema.Struct({
      success: Schema.Boolean,
      comment: nullable(Schema.Struct({
        id: Schema.String,
        body: Schema.String,
        url: nullable(Schema.String),
        createdAt: Schema.String
      }))
    })
  })
)

export const make = (client: LinearClient.LinearClient): Tool =>
  defineTool({
    name: "create_comment",
    title: "Comment on a Linear issue",
    description: "Posts a Markdown comment on a Linear issue as the agent, optionally as a reply to a comment.",
    input: Input,
    scope: "comments:write",
    annotations: { readOnly: false, destructive: false, idempotent: false },
    execute: Effect.fn("LinearTools.createComment")(function*(input, context) {
      const commentInput = {
        issueId: input.issueId,
        body: input.body,
        ...(input.parentCommentId === undefined ? {} : { parentId: input.parentCommentId })
      }
      const data = yield* client.execute(CreateComment, { input: commentInput }, context.accessToken)
      const comment = data.commentCreate.comment
      if (!data.commentCreate.success || comment === undefined || comment === null) {
        return yield* new ToolError({ reason: "VendorError", message: `Linear did not create the comment on ${input.issueId}` })
      }
      return { id: comment.id, issueId: input.issueId, body: comment.body, url: comment.url ?? null, createdAt: comment.createdAt }
    })
  })
