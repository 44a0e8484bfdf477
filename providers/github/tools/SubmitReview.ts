/**
 * `submit_review`: reviews a pull request as the app's bot: a comment, an approval or a request
 * for changes, optionally with comments on diff lines. GitHub requires a body for COMMENT and
 * REQUEST_CHANGES, and refuses an app's review of its own pull request (InvalidInput).
 */
import { Effect, Schema } from "effect"
import { ToolError } from "../../../kernel/domain/Errors.ts"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type { GitHubClient } from "./GitHubClient.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"
import { Body, FilePath, ItemNumber, Repo, repoPath } from "./Inputs.ts"

const LineComment = Schema.Struct({
  path: FilePath,
  line: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)).annotate({ description: "The line in the file (new side)" }),
  side: Schema.optionalKey(Schema.Literals(["LEFT", "RIGHT"]).annotate({ description: "RIGHT (new, default) or LEFT (old)" })),
  body: Body
})

export const Input = Schema.Struct({
  repo: Repo,
  number: ItemNumber,
  event: Schema.Literals(["COMMENT", "APPROVE", "REQUEST_CHANGES"]).annotate({
    description: "COMMENT, APPROVE or REQUEST_CHANGES"
  }),
  body: Schema.optionalKey(Body.annotate({ description: "The review's summary, in Markdown" })),
  comments: Schema.optionalKey(Schema.Array(LineComment).check(Schema.isMaxLength(50)).annotate({
    description: "Comments on lines of the diff"
  }))
})

const Review = Schema.Struct({
  id: Schema.Number,
  state: Schema.String,
  html_url: Schema.String,
  body: nullable(Schema.String),
  submitted_at: nullable(Schema.String),
  commit_id: nullable(Schema.String)
})

export const make = (client: GitHubClient): Tool =>
  defineTool({
    name: "submit_review",
    title: "Review a GitHub pull request",
    description: "Submits a review of a pull request: COMMENT, APPROVE or REQUEST_CHANGES, with a summary (required " +
      "for COMMENT and REQUEST_CHANGES) and optional comments on diff lines.",
    input: Input,
    scope: "pulls:write",
    annotations: { readOnly: false, destructive: false, idempotent: false },
    execute: Effect.fn("GitHubTools.submitReview")(function*(input, context) {
      if (input.event !== "APPROVE" && input.body === undefined) {
        return yield* new ToolError({ reason: "InvalidInput", message: `A ${input.event} review needs a body` })
      }
      const repo = yield* repoPath(input.repo, context)
      const review = yield* client.json(
        {
          method: "POST",
          path: `${repo}/pulls/${input.number}/reviews`,
          body: {
            event: input.event,
            ...(input.body === undefined ? {} : { body: input.body }),
            ...(input.comments === undefined ? {} : { comments: input.comments })
          },
          what: `review pull request ${input.repo}#${input.number}`
        },
        Review,
        context
      )
      return {
        repo: input.repo,
        number: input.number,
        id: review.id,
        state: review.state,
        url: review.html_url,
        commitId: review.commit_id ?? null,
        submittedAt: review.submitted_at ?? null
      }
    })
  })
