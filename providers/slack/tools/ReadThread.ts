/**
 * `read_thread`: a thread's messages, its first message included, oldest first, a page at a
 * time (`conversations.replies`). Each message says whether this app's bot wrote it.
 */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import * as SlackClient from "../SlackClient.ts"
import { Channel, Cursor, DEFAULT_LIMIT, Limit, ThreadTs } from "./Inputs.ts"
import { nextCursorOf, Page, toView } from "./MessageShape.ts"

export const Input = Schema.Struct({
  channel: Channel,
  threadTs: ThreadTs,
  limit: Schema.optionalKey(Limit),
  cursor: Schema.optionalKey(Cursor)
})

export const ConversationsReplies = SlackClient.method("conversations.replies", "form", Page)

export const make = (client: SlackClient.SlackClient): Tool =>
  defineTool({
    name: "read_thread",
    title: "Read a Slack thread",
    description: "Reads the messages of a Slack thread, oldest first, starting with the thread's first message.",
    input: Input,
    scope: "history:read",
    annotations: { readOnly: true, destructive: false, idempotent: true },
    execute: Effect.fn("SlackTools.readThread")(function*(input, context) {
      const page = yield* client.call(
        ConversationsReplies,
        { channel: input.channel, ts: input.threadTs, limit: input.limit ?? DEFAULT_LIMIT, cursor: input.cursor },
        context.accessToken
      )
      return {
        channel: input.channel,
        threadTs: input.threadTs,
        messages: page.messages.map((message) => toView(message, context.installation)),
        hasMore: page.has_more ?? false,
        nextCursor: nextCursorOf(page)
      }
    })
  })
