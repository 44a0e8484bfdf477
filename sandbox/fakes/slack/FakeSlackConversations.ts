/**
 * Conversations in the fake Slack: who can see what (a bot sees public channels, and private
 * ones, DMs and group DMs only as a member), Slack's message objects, and the two history
 * methods: `conversations.history` (top-level messages, newest first) and
 * `conversations.replies` (a thread, oldest first), both paged with opaque cursors.
 */
import type { Schema } from "effect"
import { type Answer, type Arguments, fail, ok, requireScope } from "./FakeSlackWeb.ts"
import { appOf, type ConversationKind, type FakeAccessToken, type FakeConversation, type FakeMessage, type FakeSlackState } from "./FakeSlackState.ts"

export const HISTORY_SCOPES: Record<ConversationKind, string> = {
  public: "channels:history",
  private: "groups:history",
  im: "im:history",
  mpim: "mpim:history"
}

/** The conversation a call names, if the token's bot may use it; else Slack's error. */
export const conversationFor = (
  state: FakeSlackState,
  token: FakeAccessToken,
  channel: string | undefined
): FakeConversation | Answer => {
  const conversation = channel === undefined ? undefined : state.conversations.get(channel)
  if (conversation === undefined) return fail("channel_not_found")
  const member = conversation.members.has(appOf(state, token.appId).botUserId)
  if (!member) return conversation.kind === "public" ? fail("not_in_channel") : fail("channel_not_found")
  return conversation
}

export const isConversation = (value: FakeConversation | Answer): value is FakeConversation => "members" in value

const repliesOf = (state: FakeSlackState, message: FakeMessage) =>
  state.messages.filter((reply) => reply.channel === message.channel && reply.threadTs === message.ts && reply.ts !== message.ts)

/** A message as Slack's history methods and events show it. */
export const messageJson = (state: FakeSlackState, message: FakeMessage): Record<string, Schema.Json> => {
  const replies = repliesOf(state, message)
  const view: Record<string, Schema.Json> = { type: "message", ts: message.ts, text: message.text, team: state.team.id }
  if (message.user !== null) view["user"] = message.user
  if (message.botId !== null) view["bot_id"] = message.botId
  if (message.appId !== null) view["app_id"] = message.appId
  if (message.subtype !== null) view["subtype"] = message.subtype
  if (message.blocks !== null) view["blocks"] = [...message.blocks]
  if (message.threadTs !== null) view["thread_ts"] = message.threadTs
  if (message.threadTs === message.ts || (message.threadTs === null && replies.length > 0)) {
    view["thread_ts"] = message.ts
    view["reply_count"] = replies.length
    view["reply_users"] = [...new Set(replies.flatMap((reply) => (reply.user === null ? [] : [reply.user])))]
    if (replies.length > 0) view["latest_reply"] = replies[replies.length - 1]?.ts ?? message.ts
  }
  if (message.edited !== null) view["edited"] = { user: message.edited.user, ts: message.edited.ts }
  if (message.reactions.size > 0) {
    view["reactions"] = [...message.reactions].map(([name, users]) => ({ name, users: [...users], count: users.length }))
  }
  if (message.files.length > 0) {
    view["files"] = message.files.flatMap((id) => {
      const file = state.files.get(id)
      return file === undefined ? [] : [{ id: file.id, name: file.filename, title: file.title }]
    })
  }
  return view
}

const page = (
  state: FakeSlackState,
  all: ReadonlyArray<FakeMessage>,
  args: Arguments
): Answer => {
  const limit = Math.min(Math.max(args.number("limit") ?? 100, 1), 1000)
  const cursor = args.string("cursor")
  const start = cursor === undefined ? 0 : Number(/^next:(\d+)$/.exec(atob(cursor))?.[1] ?? Number.NaN)
  if (!Number.isInteger(start)) return fail("invalid_cursor")
  const slice = all.slice(start, start + limit)
  const more = start + limit < all.length
  return ok({
    messages: slice.map((message) => messageJson(state, message)),
    has_more: more,
    response_metadata: { next_cursor: more ? btoa(`next:${start + limit}`) : "" }
  })
}

const readable = (state: FakeSlackState, token: FakeAccessToken, args: Arguments): FakeConversation | Answer => {
  const conversation = conversationFor(state, token, args.string("channel"))
  if (!isConversation(conversation)) return conversation
  return requireScope(token, HISTORY_SCOPES[conversation.kind]) ?? conversation
}

const inWindow = (message: FakeMessage, args: Arguments): boolean => {
  const oldest = args.number("oldest")
  const latest = args.number("latest")
  const ts = Number(message.ts)
  const inclusive = args.boolean("inclusive")
  return (oldest === undefined || (inclusive ? ts >= oldest : ts > oldest)) &&
    (latest === undefined || (inclusive ? ts <= latest : ts < latest))
}

export const history = (state: FakeSlackState, token: FakeAccessToken, args: Arguments): Answer => {
  const conversation = readable(state, token, args)
  if (!isConversation(conversation)) return conversation
  const topLevel = state.messages.filter((message) =>
    message.channel === conversation.id &&
    (message.threadTs === null || message.threadTs === message.ts || message.replyBroadcast) &&
    inWindow(message, args)
  ).reverse()
  return page(state, topLevel, args)
}

export const replies = (state: FakeSlackState, token: FakeAccessToken, args: Arguments): Answer => {
  const conversation = readable(state, token, args)
  if (!isConversation(conversation)) return conversation
  const ts = args.string("ts")
  const parent = state.messages.find((message) => message.channel === conversation.id && message.ts === ts)
  if (parent === undefined) return fail("thread_not_found")
  const root = parent.threadTs !== null && parent.threadTs !== parent.ts
    ? state.messages.find((message) => message.channel === conversation.id && message.ts === parent.threadTs) ?? parent
    : parent
  const thread = [root, ...repliesOf(state, root)].filter((message) => message === root || inWindow(message, args))
  return page(state, thread, args)
}
