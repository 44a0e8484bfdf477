/**
 * Maps a decoded Slack event to a dispatch decision for one publication. Pure, so a stored event
 * decides the same way after a restart or a replay.
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
import type { Installation } from "../../kernel/domain/Installation.ts"
import type { Publication } from "../../kernel/domain/Publication.ts"
import { type DispatchDecision, ignore } from "../../kernel/provider/Webhook.ts"
import type { AppMention, AssistantThreadStarted, Message, SlackEvent } from "./SlackEvents.ts"
import { botUserIdOf, channelTypeOf, promptOf, route } from "./SlackRouting.ts"

export { CHANNEL_FILTER } from "./SlackRouting.ts"

/** Subtypes that are still a person's new message (a file shared with text, a reply also sent to the channel). */
const PERSON_SUBTYPES: ReadonlySet<string> = new Set(["file_share", "thread_broadcast"])

const present = (value: string | null | undefined): Option.Option<string> =>
  value === undefined || value === null || value.length === 0 ? Option.none() : Option.some(value)

/** Why an author is not a person this provider answers; none when it is. */
const notAPerson = (
  author: {
    readonly user?: string | null | undefined
    readonly bot_id?: string | null | undefined
    readonly subtype?: string | null | undefined
  },
  installation: Installation,
  what: string
): Option.Option<string> => {
  const botUserId = botUserIdOf(installation)
  if (Option.isSome(botUserId) && author.user === botUserId.value) return Option.some(`${what} was sent by this app's own bot user`)
  if (Option.isSome(present(author.bot_id))) return Option.some(`${what} was sent by a bot (${author.bot_id}); bot messages are ignored`)
  if (author.subtype === "bot_message") return Option.some(`${what} was sent by a bot (bot_message); bot messages are ignored`)
  if (Option.isNone(present(author.user))) return Option.some(`${what} has no user`)
  return Option.none()
}

const decideMention = (event: AppMention, installation: Installation, publication: Publication): DispatchDecision => {
  const skip = notAPerson(event, installation, "the app_mention")
  if (Option.isSome(skip)) return ignore(skip.value)
  const channelType = channelTypeOf(event.channel, undefined)
  if (channelType === "im") return ignore("a mention inside a direct message is handled by the DM's message event")
  const text = event.text ?? ""
  const botUserId = botUserIdOf(installation)
  return route({
    installation,
    publication,
    trigger: "mention",
    eventName: "app_mention",
    place: {
      channel: event.channel,
      channelType,
      threadTs: Option.some(event.thread_ts ?? event.ts),
      messageTs: Option.some(event.ts),
      user: event.user ?? ""
    },
    prompt: promptOf(text, botUserId) || "(mentioned without a message)",
    mode: "start",
    text
  })
}

const decideMessage = (event: Message, installation: Installation, publication: Publication): DispatchDecision => {
  if (event.subtype && event.subtype !== "bot_message" && !PERSON_SUBTYPES.has(event.subtype)) {
    return ignore(`message subtype "${event.subtype}" is not a new message from a person`)
  }
  const skip = notAPerson(event, installation, "the message")
  if (Option.isSome(skip)) return ignore(skip.value)
  const channelType = channelTypeOf(event.channel, event.channel_type)
  const text = event.text ?? ""
  const botUserId = botUserIdOf(installation)
  const user = event.user ?? ""
  const thread = present(event.thread_ts)
  if (channelType === "im") {
    return route({
      installation,
      publication,
      trigger: "direct_message",
      eventName: "a direct message",
      place: { channel: event.channel, channelType, threadTs: thread, messageTs: Option.some(event.ts), user },
      prompt: promptOf(text, botUserId) || "(a message without text)",
      mode: "start",
      text
    })
  }
  if (Option.isSome(botUserId) && text.includes(`<@${botUserId.value}>`)) {
    return ignore("the message mentions the bot; its app_mention event starts or resumes the session")
  }
  if (Option.isNone(thread) || thread.value === event.ts) {
    return ignore(`a message in channel ${event.channel} outside a thread, without a mention of the bot`)
  }
  return route({
    installation,
    publication,
    trigger: "thread_reply",
    eventName: "a thread reply",
    place: { channel: event.channel, channelType, threadTs: thread, messageTs: Option.some(event.ts), user },
    prompt: text.length > 0 ? text : "(a reply without text)",
    mode: "resumeOnly",
    text
  })
}

const decideAssistantThread = (
  event: AssistantThreadStarted,
  installation: Installation,
  publication: Publication
): DispatchDecision => {
  const thread = event.assistant_thread
  const viewing = thread.context?.channel_id
  return route({
    installation,
    publication,
    trigger: "assistant_thread",
    eventName: "assistant_thread_started",
    place: {
      channel: thread.channel_id,
      channelType: "im",
      threadTs: Option.some(thread.thread_ts),
      messageTs: Option.none(),
      user: thread.user_id
    },
    prompt: `<@${thread.user_id}> opened an assistant thread${viewing ? ` while viewing <#${viewing}>` : ""}. ` +
      "Greet them and wait for their question.",
    mode: "start",
    text: ""
  })
}

export const decide = (event: SlackEvent, installation: Installation, publication: Publication): DispatchDecision => {
  switch (event._tag) {
    case "Mention":
      return decideMention(event.event, installation, publication)
    case "Message":
      return decideMessage(event.event, installation, publication)
    case "AssistantThreadStarted":
      return decideAssistantThread(event.event, installation, publication)
    case "TokensRevoked":
      return (event.event.tokens.bot ?? []).length > 0
        ? ignore("Slack revoked the bot token; the installation is marked revoked")
        : ignore("Slack revoked user tokens only; the bot token still works")
    case "AppUninstalled":
      return ignore("the app was uninstalled from the Slack workspace; the installation is marked revoked")
    case "RateLimited":
      return ignore(`Slack paused event deliveries for minute ${event.minute} (app_rate_limited)`)
    case "Unhandled":
      return ignore(`Slack event "${event.eventType}" is not handled by this provider`)
  }
}
