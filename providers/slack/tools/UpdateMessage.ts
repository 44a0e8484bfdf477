/**
 * `update_message`: edits a message the bot posted (Slack lets a bot edit only its own),
 * replacing its text and/or blocks. Editing twice to the same content changes nothing.
 */
import { Effect, Option, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import * as SlackClient from "../SlackClient.ts"
import { Channel, Content, Ts } from "./Inputs.ts"
import { contentArguments, noContent, permalinkOf } from "./MessageShape.ts"

export const Input = Schema.Struct({
  channel: Channel,
  ts: Ts.annotate({ description: "The ts of the bot's message to edit" }),
  ...Content
})

export const ChatUpdate = SlackClient.method(
  "chat.update",
  "json",
  Schema.Struct({ channel: Schema.String, ts: Schema.String, text: Schema.optional(Schema.NullOr(Schema.String)) })
)

export const make = (client: SlackClient.SlackClient): Tool =>
  defineTool({
    name: "update_message",
    title: "Edit a Slack message",
    description: "Replaces the text and/or blocks of a message the bot posted earlier.",
    input: Input,
    scope: "messages:write",
    annotations: { readOnly: false, destructive: true, idempotent: true },
    execute: Effect.fn("SlackTools.updateMessage")(function*(input, context) {
      const content = contentArguments(input)
      if (Option.isNone(content)) return yield* noContent
      const updated = yield* client.call(ChatUpdate, { channel: input.channel, ts: input.ts, ...content.value }, context.accessToken)
      return {
        channel: updated.channel,
        ts: updated.ts,
        text: updated.text ?? input.text ?? null,
        permalink: permalinkOf(context.installation, updated.channel, updated.ts)
      }
    })
  })
