/**
 * `list_channels`: the conversations the bot is a member of (`users.conversations`), by type,
 * a page at a time: the channels it can read and post in without being invited.
 */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import * as SlackClient from "../SlackClient.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"
import { Cursor, DEFAULT_LIMIT, Limit } from "./Inputs.ts"

const ConversationType = Schema.Literals(["public_channel", "private_channel", "mpim", "im"])

export const Input = Schema.Struct({
  types: Schema.optionalKey(Schema.Array(ConversationType).check(Schema.isMinLength(1)).annotate({
    description: "Which kinds (default public_channel and private_channel)"
  })),
  includeArchived: Schema.optionalKey(Schema.Boolean.annotate({ description: "Include archived channels (default false)" })),
  limit: Schema.optionalKey(Limit),
  cursor: Schema.optionalKey(Cursor)
})

const Text = nullable(Schema.Struct({ value: nullable(Schema.String) }))

export const UsersConversations = SlackClient.method(
  "users.conversations",
  "form",
  Schema.Struct({
    channels: Schema.Array(Schema.Struct({
      id: Schema.String,
      name: nullable(Schema.String),
      is_private: nullable(Schema.Boolean),
      is_im: nullable(Schema.Boolean),
      is_mpim: nullable(Schema.Boolean),
      is_archived: nullable(Schema.Boolean),
      user: nullable(Schema.String),
      topic: Text,
      purpose: Text,
      num_members: nullable(Schema.Number)
    })),
    response_metadata: nullable(Schema.Struct({ next_cursor: nullable(Schema.String) }))
  })
)

export const make = (client: SlackClient.SlackClient): Tool =>
  defineTool({
    name: "list_channels",
    title: "List the bot's Slack channels",
    description: "Lists the Slack conversations the bot is a member of: ids, names, kinds, topics.",
    input: Input,
    scope: "channels:read",
    annotations: { readOnly: true, destructive: false, idempotent: true },
    execute: Effect.fn("SlackTools.listChannels")(function*(input, context) {
      const answer = yield* client.call(
        UsersConversations,
        {
          types: (input.types ?? ["public_channel", "private_channel"]).join(","),
          exclude_archived: !(input.includeArchived ?? false),
          limit: input.limit ?? DEFAULT_LIMIT,
          cursor: input.cursor
        },
        context.accessToken
      )
      const cursor = answer.response_metadata?.next_cursor
      return {
        channels: answer.channels.map((channel) => ({
          id: channel.id,
          name: channel.name ?? null,
          kind: channel.is_im ? "im" : channel.is_mpim ? "mpim" : channel.is_private ? "private_channel" : "public_channel",
          user: channel.user ?? null,
          archived: channel.is_archived ?? false,
          topic: channel.topic?.value || null,
          purpose: channel.purpose?.value || null,
          members: channel.num_members ?? null
        })),
        nextCursor: cursor === undefined || cursor === null || cursor.length === 0 ? null : cursor
      }
    })
  })
