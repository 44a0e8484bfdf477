/**
 * What each Slack event means for one publication. Pure, so a stored event decides the same way
 * after a restart or a replay.
 *
 * - `app_mention` starts (or resumes) the session of the mention's thread, or of the new thread
 *   under the mention;
 * - a direct message to the bot starts or resumes the DM's session (its thread's, in a thread);
 * - a reply in a channel thread resumes that thread's session if one is live, and is otherwise
 *   ignored (`resumeOnly`);
 * - `assistant_thread_started` starts the assistant thread's session.
 *
 * Bot messages, the bot's own included, are ignored, and so are edits, deletions and other
 * message subtypes. A channel message that mentions the bot is left to its `app_mention` event
 * (Slack sends both), and a mention inside a direct message to the DM's `message` event, so one
 * human message never dispatches twice.
 */
import { Option } from "effect"
import type { DecideContext } from "../../../kernel/provider/Events.ts"
import { isSelf, resumeOnly, start } from "../../../kernel/provider/Routing.ts"
import { type DispatchDecision, ignore } from "../../../kernel/provider/Webhook.ts"
import { botUserIdOf, channelTypeOf, type Happening, type Place, promptOf, route } from "../publication/SlackRouting.ts"
import type { AppMention, AssistantThreadStarted, Message, TokensRevoked } from "./SlackPayloads.ts"

/** Subtypes that are still a person's new message (a file shared with text, a reply also sent to the channel). */
const PERSON_SUBTYPES: ReadonlySet<string> = new Set(["file_share", "thread_broadcast"])

const present = (value: string | null | undefined): Option.Option<string> =>
  value === undefined || value === null || value.length === 0 ? Option.none() : Option.some(value)

interface Author {
  readonly user?: string | null | undefined
  readonly bot_id?: string | null | undefined
  readonly subtype?: string | null | undefined
}

/** Why an author is not a person this provider answers; none when it is. */
const notAPerson = (author: Author, context: DecideContext, what: string): Option.Option<string> => {
  if (isSelf(author.user, [context.installation.metadata["botUserId"]])) return Option.some(`${what} was sent by this app's own bot user`)
  if (Option.isSome(present(author.bot_id))) return Option.some(`${what} was sent by a bot (${author.bot_id}); bot messages are ignored`)
  if (author.subtype === "bot_message") return Option.some(`${what} was sent by a bot (bot_message); bot messages are ignored`)
  if (Option.isNone(present(author.user))) return Option.some(`${what} has no user`)
  return Option.none()
}

/** Routes a person's message and starts, or only resumes, the session it lands in. */
const dispatch = (
  context: DecideContext,
  how: Happening & { readonly mode: typeof start; readonly prompt: string },
  place: Place
): DispatchDecision => how.mode(route(context, how, place), { prompt: how.prompt, actor: { id: place.user, name: null } })

export const decideMention = (event: AppMention, context: DecideContext): DispatchDecision => {
  const skip = notAPerson(event, context, "the app_mention")
  if (Option.isSome(skip)) return ignore(skip.value)
  const channelType = channelTypeOf(event.channel, undefined)
  if (channelType === "im") return ignore("a mention inside a direct message is handled by the DM's message event")
  const text = event.text ?? ""
  const prompt = promptOf(text, botUserIdOf(context.installation)) || "(mentioned without a message)"
  return dispatch(context, { trigger: "mention", eventName: "app_mention", mode: start, prompt, text }, {
    channel: event.channel,
    channelType,
    threadTs: Option.some(event.thread_ts ?? event.ts),
    messageTs: Option.some(event.ts),
    user: event.user ?? ""
  })
}

export const decideMessage = (event: Message, context: DecideContext): DispatchDecision => {
  if (event.subtype && event.subtype !== "bot_message" && !PERSON_SUBTYPES.has(event.subtype)) {
    return ignore(`message subtype "${event.subtype}" is not a new message from a person`)
  }
  const skip = notAPerson(event, context, "the message")
  if (Option.isSome(skip)) return ignore(skip.value)
  const channelType = channelTypeOf(event.channel, event.channel_type)
  const text = event.text ?? ""
  const botUserId = botUserIdOf(context.installation)
  const thread = present(event.thread_ts)
  const place: Place = { channel: event.channel, channelType, threadTs: thread, messageTs: Option.some(event.ts), user: event.user ?? "" }
  if (channelType === "im") {
    const prompt = promptOf(text, botUserId) || "(a message without text)"
    return dispatch(context, { trigger: "direct_message", eventName: "a direct message", mode: start, prompt, text }, place)
  }
  if (Option.isSome(botUserId) && text.includes(`<@${botUserId.value}>`)) {
    return ignore("the message mentions the bot; its app_mention event starts or resumes the session")
  }
  if (Option.isNone(thread) || thread.value === event.ts) {
    return ignore(`a message in channel ${event.channel} outside a thread, without a mention of the bot`)
  }
  const prompt = text.length > 0 ? text : "(a reply without text)"
  return dispatch(context, { trigger: "thread_reply", eventName: "a thread reply", mode: resumeOnly, prompt, text }, place)
}

export const decideAssistantThread = (event: AssistantThreadStarted, context: DecideContext): DispatchDecision => {
  const thread = event.assistant_thread
  const viewing = thread.context?.channel_id
  const prompt = `<@${thread.user_id}> opened an assistant thread${viewing ? ` while viewing <#${viewing}>` : ""}. ` +
    "Greet them and wait for their question."
  return dispatch(context, { trigger: "assistant_thread", eventName: "assistant_thread_started", mode: start, prompt, text: "" }, {
    channel: thread.channel_id,
    channelType: "im",
    threadTs: Option.some(thread.thread_ts),
    messageTs: Option.none(),
    user: thread.user_id
  })
}

/** Whether Slack took the bot token back (and not only some people's user tokens). */
export const revokesBot = (tokens: { readonly bot?: ReadonlyArray<string> | null | undefined }): boolean =>
  (tokens.bot ?? []).length > 0

export const decideTokensRevoked = (event: TokensRevoked): DispatchDecision =>
  revokesBot(event.tokens)
    ? ignore("Slack revoked the bot token; the installation is marked revoked")
    : ignore("Slack revoked user tokens only; the bot token still works")
