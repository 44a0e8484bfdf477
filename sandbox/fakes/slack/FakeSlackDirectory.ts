/**
 * The fake's directory and identity methods: `users.info` (Slack's user object; the email only
 * with `users:read.email`), `users.conversations` (the bot's memberships by type, each type
 * behind its own read scope), `auth.test` and `auth.revoke`.
 */
import type { Schema } from "effect"
import { type Answer, type Arguments, fail, ok, requireScope } from "./FakeSlackWeb.ts"
import { appOf, type ConversationKind, type FakeAccessToken, type FakeConversation, type FakeSlackState } from "./FakeSlackState.ts"

const TYPES: ReadonlyMap<string, readonly [ConversationKind, string]> = new Map([
  ["public_channel", ["public", "channels:read"]],
  ["private_channel", ["private", "groups:read"]],
  ["im", ["im", "im:read"]],
  ["mpim", ["mpim", "mpim:read"]]
])

export const usersInfo = (state: FakeSlackState, token: FakeAccessToken, args: Arguments): Answer => {
  const missing = requireScope(token, "users:read")
  if (missing !== null) return missing
  const user = state.users.get(args.string("user") ?? "")
  if (user === undefined) return fail("user_not_found")
  const profile: Record<string, Schema.Json> = {
    real_name: user.realName,
    display_name: user.displayName,
    title: user.title
  }
  if (token.scopes.includes("users:read.email") && user.email.length > 0) profile["email"] = user.email
  if (user.botId !== null) profile["bot_id"] = user.botId
  return ok({
    user: {
      id: user.id,
      team_id: user.teamId,
      name: user.name,
      deleted: user.deleted,
      real_name: user.realName,
      tz: user.tz,
      is_admin: user.isAdmin,
      is_bot: user.isBot,
      is_app_user: false,
      profile
    }
  })
}

const conversationJson = (conversation: FakeConversation): Record<string, Schema.Json> => ({
  id: conversation.id,
  created: conversation.created,
  is_archived: conversation.archived,
  is_channel: conversation.kind === "public",
  is_group: conversation.kind === "private",
  is_im: conversation.kind === "im",
  is_mpim: conversation.kind === "mpim",
  is_private: conversation.kind !== "public",
  ...(conversation.kind === "im"
    ? { user: conversation.user ?? "" }
    : {
      name: conversation.name ?? "",
      topic: { value: conversation.topic, creator: "", last_set: 0 },
      purpose: { value: conversation.purpose, creator: "", last_set: 0 },
      num_members: conversation.members.size
    })
})

export const usersConversations = (state: FakeSlackState, token: FakeAccessToken, args: Arguments): Answer => {
  const requested = (args.string("types") ?? "public_channel").split(",").map((type) => type.trim()).filter((type) => type.length > 0)
  const kinds: Array<ConversationKind> = []
  for (const type of requested) {
    const known = TYPES.get(type)
    if (known === undefined) return fail("invalid_types")
    const missing = requireScope(token, known[1])
    if (missing !== null) return missing
    kinds.push(known[0])
  }
  const bot = appOf(state, token.appId).botUserId
  const excludeArchived = args.boolean("exclude_archived")
  const all = [...state.conversations.values()].filter((conversation) =>
    kinds.includes(conversation.kind) && conversation.members.has(bot) && !(excludeArchived && conversation.archived)
  )
  const limit = Math.min(Math.max(args.number("limit") ?? 100, 1), 1000)
  const cursor = args.string("cursor")
  const start = cursor === undefined ? 0 : Number(/^next:(\d+)$/.exec(atob(cursor))?.[1] ?? Number.NaN)
  if (!Number.isInteger(start)) return fail("invalid_cursor")
  const more = start + limit < all.length
  return ok({
    channels: all.slice(start, start + limit).map(conversationJson),
    response_metadata: { next_cursor: more ? btoa(`next:${start + limit}`) : "" }
  })
}

export const authTest = (state: FakeSlackState, token: FakeAccessToken): Answer => {
  const app = appOf(state, token.appId)
  return ok({
    url: `https://${state.team.domain}.slack.com/`,
    team: state.team.name,
    user: state.users.get(app.botUserId)?.name ?? "bot",
    team_id: state.team.id,
    user_id: app.botUserId,
    bot_id: app.botId,
    is_enterprise_install: state.orgInstall,
    ...(state.orgInstall ? { enterprise_id: state.enterprise.id } : {})
  })
}

export const authRevoke = (token: FakeAccessToken): Answer => {
  token.revoked = true
  return ok({ revoked: true })
}
