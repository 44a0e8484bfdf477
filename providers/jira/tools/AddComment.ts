/** `add_comment`: posts a comment on an issue as the agent's account (plain text, sent as ADF). */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import { fromText } from "../client/JiraAdf.ts"
import type { JiraClient } from "../client/JiraClient.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"
import { Issue, RichText } from "./Inputs.ts"

export const Input = Schema.Struct({
  issue: Issue,
  body: RichText.annotate({ description: "The comment: plain text; blank lines separate paragraphs, [~accountid:<id>] mentions someone" })
})

const Created = Schema.Struct({ id: Schema.String, created: nullable(Schema.String) })

export const make = (client: JiraClient): Tool =>
  defineTool({
    name: "add_comment",
    title: "Comment on a Jira issue",
    description: "Posts a comment on a Jira issue as the agent.",
    input: Input,
    scope: "comments:write",
    annotations: { readOnly: false, destructive: false, idempotent: false },
    execute: Effect.fn("JiraTools.addComment")(function*(input, context) {
      const comment = yield* client.call(
        context,
        {
          method: "POST",
          path: `/rest/api/3/issue/${encodeURIComponent(input.issue)}/comment`,
          body: { body: fromText(input.body) },
          what: `add a comment to ${input.issue}`
        },
        Created
      )
      return { id: comment.id, issue: input.issue, created: comment.created ?? null }
    })
  })
