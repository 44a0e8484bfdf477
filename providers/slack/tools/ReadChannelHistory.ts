/**
 * `read_channel_history`: a conversation's recent top-level messages, newest first, a page at a
 * time (`conversations.history`), optionally between two timestamps. Thread replies are not in
 * it (Slack keeps them under their thread); `read_thread` reads those.
 */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import * as SlackClient from "../SlackClient.ts"
import { Channel, Cursor, DEFAULT_LIMIT, Limit, Ts } from "./Inputs.ts"
import { nextCursorOf, Page, toView } from "./MessageShape.ts"

export const Input = Schema.Struct({
  channel: Channel,
  limit: Schema.optionalKey(Limit),
  cursor: Schema.optionalKey(Cursor),
  oldest: Schema.optionalKey(Ts.annotate({ description: "Only messages after this ts" })),
  latest: Schema.optionalKey(Ts.annotate({ description: "Only messages before this ts" }))
})

export const ConversationsHistory = SlackClient.method("conversations.history", "form", Page)

export const make = (client: SlackClient.SlackClient): Tool =>
  defineTool({
    name: "read_channel_history",
    title: "Read a Slack channel's recent messages",
    description: "Reads a Slack conversation's recent messages, newest first (thread replies excluded; use read_thread).",
    input: Input,
    scope: "history:read",
    annotations: { readOnly: true, destructive: false, idempotent: true },
    execute: Effect.fn("SlackTools.readChannelHistory")(function*(input, context) {
      const page = yield* client.call(
        ConversationsHistory,
        {
          channel: input.channel,
          limit: input.limit ?? DEFAULT_LIMIT,
          cursor: input.cursor,
          oldest: input.oldest,
          latest: input.latest
        },
        context.accessToken
      )
      return {
        channel: input.channel,
        messages: page.messages.map((message) => toView(message, context.installation)),
        hasMore: page.has_more ?? false,
        nextCursor: nextCursorOf(page)
      }
    })
  })
