/**
 * `add_reaction`: reacts to a message with an emoji as the bot (👀 while working, ✅ when done).
 * Reacting twice is not an error: Slack's `already_reacted` is reported as done.
 */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import * as SlackClient from "../SlackClient.ts"
import { Channel, EmojiName, Ts } from "./Inputs.ts"

export const Input = Schema.Struct({ channel: Channel, ts: Ts, name: EmojiName })

export const ReactionsAdd = SlackClient.method("reactions.add", "json", Schema.Struct({}))

/** Slack takes the name without the colons people type around it. */
export const bareName = (name: string): string => name.replace(/^:|:$/g, "")

export const make = (client: SlackClient.SlackClient): Tool =>
  defineTool({
    name: "add_reaction",
    title: "Add a reaction",
    description: "Adds an emoji reaction to a Slack message as the bot.",
    input: Input,
    scope: "reactions:write",
    annotations: { readOnly: false, destructive: false, idempotent: true },
    execute: Effect.fn("SlackTools.addReaction")(function*(input, context) {
      const name = bareName(input.name)
      const result = yield* client.attempt(
        ReactionsAdd,
        { channel: input.channel, timestamp: input.ts, name },
        context.accessToken,
        ["already_reacted"]
      )
      return { channel: input.channel, ts: input.ts, name, added: result._tag === "Ok", alreadyThere: result._tag === "Refused" }
    })
  })
