/**
 * `create_comment`: posts a Markdown comment on an issue as the app user (the install used
 * `actor=app`, so Linear shows the agent as the author).
 */
import { Effect, Schema } from "effect"
import { ToolError } from "../../../kernel/domain/Errors.ts"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import * as LinearClient from "../LinearClient.ts"

export const Input = Schema.Struct({
  issueId: Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(200)).annotate({
    description: "The issue's id (UUID) or its identifier, such as ENG-123"
  }),
  body: Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(100_000)).annotate({
    description: "The comment, in Markdown"
  })
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
      comment: Schema.optional(Schema.NullOr(Schema.Struct({
        id: Schema.String,
        body: Schema.String,
        url: Schema.optional(Schema.NullOr(Schema.String)),
        createdAt: Schema.String
      })))
    })
  })
)

export const make = (client: LinearClient.LinearClient): Tool =>
  defineTool({
    name: "create_comment",
    title: "Comment on a Linear issue",
    description: "Posts a Markdown comment on a Linear issue as the agent.",
    input: Input,
    scope: "comments:write",
    annotations: { readOnly: false, destructive: false, idempotent: false },
    execute: Effect.fn("LinearTools.createComment")(function*(input, context) {
      const data = yield* client.execute(
        CreateComment,
        { input: { issueId: input.issueId, body: input.body } },
        context.accessToken
      )
      const comment = data.commentCreate.comment
      if (!data.commentCreate.success || comment === undefined || comment === null) {
        return yield* new ToolError({ reason: "VendorError", message: `Linear did not create the comment on ${input.issueId}` })
      }
      return { id: comment.id, issueId: input.issueId, body: comment.body, url: comment.url ?? null, createdAt: comment.createdAt }
    })
  })
