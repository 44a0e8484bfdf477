/**
 * The fake's write methods for messages: `chat.postMessage` (text and/or blocks, threads,
 * `reply_broadcast`), `chat.update` (the bot's own messages only) and `reactions.add` /
 * `reactions.remove`, with Slack's errors: `no_text`, `msg_too_long`, `invalid_blocks`,
 * `not_in_channel`, `is_archived`, `message_not_found`, `cant_update_message`,
 * `already_reacted`, `no_reaction`, `invalid_name`.
 */
import type { Schema } from "effect"
import { conversationFor, isConversation, messageJson } from "./FakeSlackConversations.ts"
import { type Answer, type Arguments, fail, ok, requireScope } from "./FakeSlackWeb.ts"
import { appOf, type FakeAccessToken, type FakeMessage, type FakeSlackState, findMessage, nextTs } from "./FakeSlackState.ts"

const MAX_TEXT = 40_000
const INVALID = Symbol.for("invalid")

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value)

const isJson = (value: unknown): value is Schema.Json =>
  value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean" ||
  (Array.isArray(value) && value.every(isJson)) || (isRecord(value) && Object.values(value).every(isJson))

/** Blocks must be an array of objects, each with a string `type`, as Block Kit requires. */
const blocksOf = (args: Arguments): ReadonlyArray<Schema.Json> | null | Answer => {
  const value = args.structured("blocks")
  if (value === undefined) return null
  if (value === INVALID || !Array.isArray(value)) return fail("invalid_blocks_format")
  const blocks: Array<Schema.Json> = []
  for (const block of value) {
    if (!isRecord(block) || typeof block["type"] !== "string" || !isJson(block)) return fail("invalid_blocks")
    blocks.push(block)
  }
  return blocks
}

const isAnswer = (value: unknown): value is Answer => isRecord(value) && (value["_tag"] === "Ok" || value["_tag"] === "Error")

const writable = (state: FakeSlackState, token: FakeAccessToken, args: Arguments) => {
  const missing = requireScope(token, "chat:write")
  if (missing !== null) return missing
  const conversation = conversationFor(state, token, args.string("channel"))
  if (!isConversation(conversation)) return conversation
  if (conversation.archived) return fail("is_archived")
  return conversation
}

export const postMessage = (state: FakeSlackState, token: FakeAccessToken, args: Arguments): Answer => {
  const conversation = writable(state, token, args)
  if (!isConversation(conversation)) return conversation
  const blocks = blocksOf(args)
  if (isAnswer(blocks)) return blocks
  const text = args.string("text") ?? ""
  if (text.length === 0 && blocks === null) return fail("no_text")
  if (text.length > MAX_TEXT) return fail("msg_too_long")
  const threadTs = args.string("thread_ts") ?? null
  if (threadTs !== null && findMessage(state, conversation.id, threadTs) === undefined) return fail("thread_not_found")
  const app = appOf(state, token.appId)
  const message: FakeMessage = {
    channel: conversation.id,
    ts: nextTs(state),
    threadTs,
    user: app.botUserId,
    botId: app.botId,
    appId: app.id,
    text,
    blocks,
    subtype: null,
    replyBroadcast: threadTs !== null && args.boolean("reply_broadcast"),
    reactions: new Map(),
    files: [],
    edited: null
  }
  state.messages.push(message)
  return ok({ channel: conversation.id, ts: message.ts, message: messageJson(state, message) })
}

export const update = (state: FakeSlackState, token: FakeAccessToken, args: Arguments): Answer => {
  const conversation = writable(state, token, args)
  if (!isConversation(conversation)) return conversation
  const message = findMessage(state, conversation.id, args.string("ts") ?? "")
  if (message === undefined) return fail("message_not_found")
  if (message.botId !== appOf(state, token.appId).botId) return fail("cant_update_message")
  const blocks = blocksOf(args)
  if (isAnswer(blocks)) return blocks
  const text = args.string("text")
  if (text === undefined && blocks === null) return fail("no_text")
  if (text !== undefined && text.length > MAX_TEXT) return fail("msg_too_long")
  if (text !== undefined) message.text = text
  if (blocks !== null) message.blocks = blocks
  message.edited = { user: appOf(state, token.appId).botUserId, ts: nextTs(state) }
  return ok({ channel: conversation.id, ts: message.ts, text: message.text, message: messageJson(state, message) })
}

const reactable = (state: FakeSlackState, token: FakeAccessToken, args: Arguments) => {
  const missing = requireScope(token, "reactions:write")
  if (missing !== null) return missing
  const conversation = conversationFor(state, token, args.string("channel"))
  if (!isConversation(conversation)) return conversation
  const message = findMessage(state, conversation.id, args.string("timestamp") ?? "")
  if (message === undefined) return fail("message_not_found")
  const name = args.string("name") ?? ""
  if (!/^[a-z0-9_+'-]+$/.test(name)) return fail("invalid_name")
  return { message, name, user: appOf(state, token.appId).botUserId }
}

export const addReaction = (state: FakeSlackState, token: FakeAccessToken, args: Arguments): Answer => {
  const target = reactable(state, token, args)
  if (isAnswer(target)) return target
  const users = target.message.reactions.get(target.name) ?? []
  if (users.includes(target.user)) return fail("already_reacted")
  target.message.reactions.set(target.name, [...users, target.user])
  return ok()
}

export const removeReaction = (state: FakeSlackState, token: FakeAccessToken, args: Arguments): Answer => {
  const target = reactable(state, token, args)
  if (isAnswer(target)) return target
  const users = target.message.reactions.get(target.name) ?? []
  if (!users.includes(target.user)) return fail("no_reaction")
  const left = users.filter((user) => user !== target.user)
  if (left.length === 0) target.message.reactions.delete(target.name)
  else target.message.reactions.set(target.name, left)
  return ok()
}
