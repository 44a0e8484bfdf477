/**
 * The Slack decision rules, without the kernel: what each event means for one publication, through
 * the provider's event table as the kernel runs it. The near misses matter as much as the hits: a
 * mention inside a DM (left to the DM's message), a `bot_message`, people's subtypes that still
 * count (`file_share`, `thread_broadcast`), the Messages tab (`app_home`) as a direct message, a
 * mention without words, granularities.
 */
import { Option, Result } from "effect"
import { describe, expect, it } from "vitest"
import type { Publication } from "../../../kernel/domain/Publication.ts"
import { promptOf } from "../../../providers/slack/publication/SlackRouting.ts"
import type { AppMention, AssistantThreadStarted, Message } from "../../../providers/slack/webhook/SlackPayloads.ts"
import * as SlackWebhook from "../../../providers/slack/webhook/SlackWebhook.ts"
import { installation, publication } from "./fixtures.ts"

const { events } = SlackWebhook.make({ oauth: Option.none(), signingSecrets: [], apiUrl: "https://slack.com/api", oauthUrl: "https://slack.com" })

type SlackEvent = AppMention | Message | AssistantThreadStarted

const message = (fields: Partial<Message>): SlackEvent => ({ type: "message", channel: "C1", ts: "2.0", user: "U1", text: "hello", channel_type: "channel", ...fields })

const mention = (fields: Partial<AppMention>): SlackEvent => ({ type: "app_mention", channel: "C1", ts: "2.0", user: "U1", text: "<@UBOT> help", ...fields })

/** The event decided for one publication, as the kernel does once the envelope was stored. */
const decide = (event: SlackEvent, target: Publication = publication()) => {
  const handler = events[event.type]
  if (handler === undefined) throw new Error(`no handler for ${event.type}`)
  const prepared = handler.prepare({ type: "event_callback", event_id: "Ev1", event }, { deliveryId: "Ev1", eventType: event.type, account: Option.some("T1") })
  if (Result.isFailure(prepared)) throw new Error(prepared.failure)
  return prepared.success.decide(installation, target)
}

describe("the Slack event table decides", () => {
  it("a mention starts the session of its thread, or of the new thread under it", () => {
    expect(decide(mention({}))).toMatchObject({ _tag: "Dispatch", intent: { sessionKey: "slack:thread:C1:2.0", mode: "start", prompt: "help" } })
    expect(decide(mention({ thread_ts: "1.0" }))).toMatchObject({ intent: { sessionKey: "slack:thread:C1:1.0" } })
    expect(decide(mention({ text: "<@UBOT>" }))).toMatchObject({ intent: { prompt: "(mentioned without a message)" } })
    expect(decide(mention({ channel: "G123" }))).toMatchObject({ intent: { context: { channelType: "group" } } })
  })

  it("a mention inside a DM is left to the DM's message event; a bot's mention is ignored", () => {
    expect(decide(mention({ channel: "D1" }))).toMatchObject({ _tag: "Ignore", reason: expect.stringContaining("handled by the DM's message event") })
    expect(decide(mention({ user: null, bot_id: "B9" }))).toMatchObject({ _tag: "Ignore", reason: expect.stringContaining("bot (B9)") })
    expect(decide(mention({ user: "UBOT" }))).toMatchObject({ _tag: "Ignore", reason: expect.stringContaining("own bot user") })
  })

  it("direct messages: the DM's session, its thread's in a thread; the Messages tab counts", () => {
    expect(decide(message({ channel: "D1", channel_type: "im" }))).toMatchObject({ intent: { sessionKey: "slack:dm:D1", mode: "start" } })
    expect(decide(message({ channel: "D1", channel_type: "im", thread_ts: "1.0" }))).toMatchObject({ intent: { sessionKey: "slack:thread:D1:1.0" } })
    expect(decide(message({ channel: "D1", channel_type: "app_home" }))).toMatchObject({ intent: { sessionKey: "slack:dm:D1", context: { channelType: "im" } } })
  })

  it("people's subtypes that are still new messages count; others and bot_message do not", () => {
    expect(decide(message({ channel: "D1", channel_type: "im", subtype: "file_share" }))).toMatchObject({ _tag: "Dispatch" })
    expect(decide(message({ subtype: "thread_broadcast", thread_ts: "1.0" }))).toMatchObject({ intent: { mode: "resumeOnly", sessionKey: "slack:thread:C1:1.0" } })
    expect(decide(message({ subtype: "channel_join" }))).toMatchObject({ _tag: "Ignore", reason: expect.stringContaining(`"channel_join"`) })
    expect(decide(message({ subtype: "bot_message", user: null, bot_id: null }))).toMatchObject({ _tag: "Ignore", reason: expect.stringContaining("bot") })
    expect(decide(message({ user: null }))).toMatchObject({ _tag: "Ignore", reason: "the message has no user" })
  })

  it("a thread's first message and top-level channel chatter are not replies", () => {
    expect(decide(message({ thread_ts: "2.0" }))).toMatchObject({ _tag: "Ignore", reason: expect.stringContaining("outside a thread") })
    expect(decide(message({}))).toMatchObject({ _tag: "Ignore", reason: expect.stringContaining("outside a thread") })
  })

  it("granularities key sessions by thread, user or workspace; issue is not Slack's", () => {
    expect(decide(mention({}), publication("user"))).toMatchObject({ intent: { sessionKey: "slack:user:U1" } })
    expect(decide(message({ channel: "D1", channel_type: "im" }), publication("workspace"))).toMatchObject({ intent: { sessionKey: "slack:workspace:T1" } })
    expect(decide(mention({}), publication("issue"))).toMatchObject({ _tag: "Ignore", reason: expect.stringContaining(`"issue" granularity`) })
  })

  it("the channel filter admits listed channels, and dm admits direct messages and assistant threads", () => {
    expect(decide(mention({}), publication("thread", ["C2"]))).toMatchObject({ _tag: "Ignore", reason: expect.stringContaining("channel filter") })
    expect(decide(mention({}), publication("thread", ["C1"]))).toMatchObject({ _tag: "Dispatch" })
    expect(decide(message({ channel: "D1", channel_type: "im" }), publication("thread", ["C1"]))).toMatchObject({ _tag: "Ignore" })
    expect(decide(message({ channel: "D1", channel_type: "im" }), publication("thread", ["dm"]))).toMatchObject({ _tag: "Dispatch" })
    const assistant: SlackEvent = { type: "assistant_thread_started", assistant_thread: { user_id: "U1", channel_id: "D1", thread_ts: "3.0" } }
    expect(decide(assistant, publication("thread", ["dm"]))).toMatchObject({ intent: { sessionKey: "slack:thread:D1:3.0", mode: "start" } })
    expect(decide(assistant, publication("thread", ["C1"]))).toMatchObject({ _tag: "Ignore" })
  })

  it("the prompt loses the bot's mention, not the words around it", () => {
    const bot = Option.some("UBOT")
    expect(promptOf("<@UBOT> deploy please", bot)).toBe("deploy please")
    expect(promptOf("<@UBOT>: status?", bot)).toBe("status?")
    expect(promptOf("thanks <@UBOT>, and ping <@U2>", bot)).toBe("thanks, and ping <@U2>")
  })
})
