/**
 * `reply_in_thread`: answers in a thread (the dispatch context's `channel` and `threadTs`), as
 * the bot; `broadcast` also shows the reply in the channel, as Slack's "Also send to #channel".
 */
import { Effect, Option, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type * as SlackClient from "../SlackClient.ts"
import { Channel, Content, ThreadTs } from "./Inputs.ts"
import { contentArguments, noContent, permalinkOf } from "./MessageShape.ts"
import { PostMessage } from "./PostMessage.ts"

export const Input = Schema.Struct({
  channel: Channel,
  threadTs: ThreadTs,
  ...Content,
  broadcast: Schema.optionalKey(Schema.Boolean.annotate({ description: "Also send the reply to the channel" }))
})

export const make = (client: SlackClient.SlackClient): Tool =>
  defineTool({
    name: "reply_in_thread",
    title: "Reply in a Slack thread",
    description: "Replies in a Slack thread as the bot: give the channel and the thread's ts from the dispatch context. " +
      "Text is Slack mrkdwn; blocks are Block Kit.",
    input: Input,
    scope: "messages:write",
    annotations: { readOnly: false, destructive: false, idempotent: false },
    execute: Effect.fn("SlackTools.replyInThread")(function*(input, context) {
      const content = contentArguments(input)
      if (Option.isNone(content)) return yield* noContent
      const posted = yield* client.call(
        PostMessage,
        { channel: input.channel, thread_ts: input.threadTs, ...content.value, reply_broadcast: input.broadcast },
        context.accessToken
      )
      return {
        channel: posted.channel,
        ts: posted.ts,
        threadTs: input.threadTs,
        permalink: permalinkOf(context.installation, posted.channel, posted.ts, input.threadTs)
      }
    })
  })
