/**
 * `lookup_user`: who a user id is (`users.info`): names, title, time zone, whether it is a bot
 * or deactivated. The email only appears if the app was granted `users:read.email`, which the
 * generated manifest does not ask for.
 */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import * as SlackClient from "../SlackClient.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"
import { UserId } from "./Inputs.ts"

export const Input = Schema.Struct({ user: UserId })

export const UsersInfo = SlackClient.method(
  "users.info",
  "form",
  Schema.Struct({
    user: Schema.Struct({
      id: Schema.String,
      team_id: nullable(Schema.String),
      name: nullable(Schema.String),
      real_name: nullable(Schema.String),
      deleted: nullable(Schema.Boolean),
      is_bot: nullable(Schema.Boolean),
      is_admin: nullable(Schema.Boolean),
      tz: nullable(Schema.String),
      profile: nullable(Schema.Struct({
        display_name: nullable(Schema.String),
        real_name: nullable(Schema.String),
        title: nullable(Schema.String),
        email: nullable(Schema.String)
      }))
    })
  })
)

export const make = (client: SlackClient.SlackClient): Tool =>
  defineTool({
    name: "lookup_user",
    title: "Look up a Slack user",
    description: "Looks up a Slack user by id (such as the actor or a <@U…> mention): names, title, time zone, bot or not.",
    input: Input,
    scope: "users:read",
    annotations: { readOnly: true, destructive: false, idempotent: true },
    execute: Effect.fn("SlackTools.lookupUser")(function*(input, context) {
      const { user } = yield* client.call(UsersInfo, { user: input.user }, context.accessToken)
      return {
        id: user.id,
        teamId: user.team_id ?? null,
        handle: user.name ?? null,
        realName: user.profile?.real_name ?? user.real_name ?? null,
        displayName: user.profile?.display_name || null,
        title: user.profile?.title || null,
        email: user.profile?.email ?? null,
        timeZone: user.tz ?? null,
        isBot: user.is_bot ?? false,
        isAdmin: user.is_admin ?? false,
        deactivated: user.deleted ?? false
      }
    })
  })
