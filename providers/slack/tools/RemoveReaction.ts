/**
 * `remove_reaction`: takes back one of the bot's emoji reactions. Removing a reaction that is
 * not there is not an error: Slack's `no_reaction` is reported as nothing to remove.
 */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import * as SlackClient from "../SlackClient.ts"
import { bareName } from "./AddReaction.ts"
import { Channel, EmojiName, Ts } from "./Inputs.ts"

export const Input = Schema.Struct({ channel: Channel, ts: Ts, name: EmojiName })

export const ReactionsRemove = SlackClient.method("reactions.remove", "json", Schema.Struct({}))

export const make = (client: SlackClient.SlackClient): Tool =>
  defineTool({
    name: "remove_reaction",
    title: "Remove a reaction",
    description: "Removes one of the bot's emoji reactions from a Slack message.",
    input: Input,
    scope: "reactions:write",
    annotations: { readOnly: false, destructive: false, idempotent: true },
    execute: Effect.fn("SlackTools.removeReaction")(function*(input, context) {
      const name = bareName(input.name)
      const result = yield* client.attempt(
        ReactionsRemove,
        { channel: input.channel, timestamp: input.ts, name },
        context.accessToken,
        ["no_reaction"]
      )
      return { channel: input.channel, ts: input.ts, name, removed: result._tag === "Ok" }
    })
  })
