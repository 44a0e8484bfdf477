/**
 * `post_message`: posts a new message in a conversation as the bot (mrkdwn text and/or Block
 * Kit blocks). To answer inside a thread, `reply_in_thread` says so explicitly.
 */
import { Effect, Option, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import * as SlackClient from "../SlackClient.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"
import { Channel, Content } from "./Inputs.ts"
import { contentArguments, noContent, permalinkOf, SlackMessage } from "./MessageShape.ts"

export const Input = Schema.Struct({
  channel: Channel,
  ...Content,
  unfurlLinks: Schema.optionalKey(Schema.Boolean.annotate({ description: "Show link previews (Slack's default: only for media)" }))
})

export const PostMessage = SlackClient.method(
  "chat.postMessage",
  "json",
  Schema.Struct({ channel: Schema.String, ts: Schema.String, message: nullable(SlackMessage) })
)

export const make = (client: SlackClient.SlackClient): Tool =>
  defineTool({
    name: "post_message",
    title: "Post a Slack message",
    description: "Posts a new message in a Slack conversation as the bot. Text is Slack mrkdwn; blocks are Block Kit.",
    input: Input,
    scope: "messages:write",
    annotations: { readOnly: false, destructive: false, idempotent: false },
    execute: Effect.fn("SlackTools.postMessage")(function*(input, context) {
      const content = contentArguments(input)
      if (Option.isNone(content)) return yield* noContent
      const posted = yield* client.call(
        PostMessage,
        { channel: input.channel, ...content.value, unfurl_links: input.unfurlLinks },
        context.accessToken
      )
      return {
        channel: posted.channel,
        ts: posted.ts,
        threadTs: null,
        permalink: permalinkOf(context.installation, posted.channel, posted.ts)
      }
    })
  })
