/**
 * Slack in the sandbox: the fake Slack (OAuth v2 consent page, Web API), Events API requests
 * signed with SLACK_SIGNING_SECRET, the messages of a thread as the agent's visible work, and
 * the demo agent's plan: `read_thread` on the dispatch's thread, then `reply_in_thread` to it.
 *
 * With the fake running, a simulated event is something a person really says in it: a new person
 * and a channel the bot is in (or a direct message with the bot), and the fake hands back the
 * Events API body Slack would deliver for that message.
 */
import { Effect, Schema } from "effect"
import type { SessionDispatch } from "../../kernel/domain/SessionDispatch.ts"
import { makeFakeSlack } from "../fakes/slack/FakeSlack.ts"
import { appMention, eventCallback, message } from "../fakes/slack/payloads.ts"
import { signSlackRequest } from "../fakes/slack/sign.ts"
import {
  type DemoPlan,
  fakeJson,
  requireSecret,
  type SandboxAdapter,
  type SandboxEvent,
  type SimulatedWebhook
} from "./Sandbox.ts"
import { readableSlackText } from "./SlackText.ts"
import { restoreInto, snapshotOf } from "./Snapshot.ts"

/** Logs and settings: not worth keeping, or decided by this run's options. */
const NOT_PERSISTED = ["calls", "tokenRequests", "rateLimit"]

const randomDigits = (length: number) => Array.from(crypto.getRandomValues(new Uint8Array(length)), (byte) => String(byte % 10)).join("")
const randomHex = (bytes: number) => Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (byte) => byte.toString(16).padStart(2, "0")).join("")

const FakeState = Schema.Struct({
  team: Schema.Struct({ id: Schema.String }),
  app: Schema.Struct({ id: Schema.String, name: Schema.String, botUserId: Schema.String })
})
const Created = Schema.Struct({ id: Schema.String })
const Json = Schema.Record(Schema.String, Schema.Json)
const Said = Schema.Struct({
  message: Schema.Struct({ channel: Schema.String, ts: Schema.String }),
  events: Schema.Array(Json)
})
const Messages = Schema.Struct({
  messages: Schema.Array(Schema.Struct({
    ts: Schema.String,
    threadTs: Schema.NullOr(Schema.String),
    user: Schema.NullOr(Schema.String),
    botId: Schema.NullOr(Schema.String),
    text: Schema.String
  }))
})

const post = (url: string, body: unknown) => fakeJson(url, { method: "POST", body: JSON.stringify(body) })

const EventOf = Schema.Struct({ event: Schema.Struct({ type: Schema.String }) })

const eventType = (body: typeof Json.Type): string | undefined => {
  const decoded = Schema.decodeUnknownOption(EventOf)(body)
  return decoded._tag === "Some" ? decoded.value.event.type : undefined
}

const signed = async (secret: string, payload: typeof Json.Type, summary: string, subject: SimulatedWebhook["subject"]) => {
  const request = await Effect.runPromise(signSlackRequest({ signingSecret: secret, payload }))
  const deliveryId = typeof payload["event_id"] === "string" ? payload["event_id"] : crypto.randomUUID()
  return { path: "/webhook/slack", headers: request.headers, body: request.body, deliveryId, summary, subject }
}

/** Someone says `text` in a new channel with the bot (or a DM with it); the fake answers with Slack's event bodies. */
const say = async (fakeUrl: string, where: "channel" | "dm", text: (botUserId: string) => string) => {
  const state = Schema.decodeUnknownSync(FakeState)(await fakeJson(`${fakeUrl}/_fake/state`))
  const person = Schema.decodeUnknownSync(Created)(await post(`${fakeUrl}/_fake/users`, { name: "ada", realName: "Ada Lovelace" }))
  const place = where === "channel"
    ? Schema.decodeUnknownSync(Created)(await post(`${fakeUrl}/_fake/channels`, { name: `sandbox-${randomDigits(4)}`, members: [person.id] }))
    : Schema.decodeUnknownSync(Created)(await post(`${fakeUrl}/_fake/dms`, { user: person.id }))
  const said = Schema.decodeUnknownSync(Said)(
    await post(`${fakeUrl}/_fake/say`, { channel: place.id, user: person.id, text: text(state.app.botUserId) })
  )
  return { state, said }
}

const mention: SandboxEvent = {
  name: "mention",
  description: "Someone @-mentions the bot in a channel (app_mention): a new thread",
  build: async ({ env, fakeUrl }) => {
    const secret = requireSecret(env, "SLACK_SIGNING_SECRET")
    const ask = (bot: string) => `<@${bot}> can you summarise what this channel decided about the launch date?`
    if (fakeUrl === undefined) {
      const payload = eventCallback({
        teamId: "T0SANDBOX",
        appId: "A0SANDBOX",
        botUserId: "U0SANDBOXBOT",
        event: appMention({ channel: "C0SANDBOX", ts: `${Math.floor(Date.now() / 1000)}.000100`, user: "U0ADA", text: ask("U0SANDBOXBOT") })
      })
      return signed(secret, payload, "app_mention", null)
    }
    const { said } = await say(fakeUrl, "channel", ask)
    const event = said.events.find((body) => eventType(body) === "app_mention")
    if (event === undefined) throw new Error("the fake Slack delivered no app_mention for the message")
    return signed(secret, event, "app_mention in a new channel", { id: `${said.message.channel}/${said.message.ts}`, label: "the thread" })
  }
}

const directMessage: SandboxEvent = {
  name: "dm",
  description: "Someone writes to the bot in a direct message (message.im)",
  build: async ({ env, fakeUrl }) => {
    const secret = requireSecret(env, "SLACK_SIGNING_SECRET")
    const text = "Hi! Could you draft the release notes for 2.4?"
    if (fakeUrl === undefined) {
      const payload = eventCallback({
        teamId: "T0SANDBOX",
        appId: "A0SANDBOX",
        botUserId: "U0SANDBOXBOT",
        event: message({ channel: "D0SANDBOX", ts: `${Math.floor(Date.now() / 1000)}.000100`, user: "U0ADA", text, channelType: "im" })
      })
      return signed(secret, payload, "message.im", null)
    }
    const { said } = await say(fakeUrl, "dm", () => text)
    const event = said.events.find((body) => eventType(body) === "message")
    if (event === undefined) throw new Error("the fake Slack delivered no message event for the DM")
    return signed(secret, event, "direct message to the bot", { id: `${said.message.channel}/${said.message.ts}`, label: "the DM" })
  }
}

const text = (dispatch: SessionDispatch, key: string): string | undefined => {
  const value = dispatch.context[key]
  return typeof value === "string" && value.length > 0 ? value : undefined
}

/** Where to answer: the thread, or the mention that starts one. */
const threadOf = (dispatch: SessionDispatch) => {
  const channel = text(dispatch, "channel")
  const threadTs = text(dispatch, "threadTs") ?? text(dispatch, "messageTs")
  return channel === undefined || threadTs === undefined ? undefined : { channel, threadTs }
}

const ThreadRead = Schema.Struct({ messages: Schema.Array(Schema.Unknown) })

const demo: DemoPlan = {
  read: (dispatch) => {
    const thread = threadOf(dispatch)
    return thread === undefined ? undefined : { tool: "mcp_slack_read_thread", arguments: thread }
  },
  write: (dispatch, read) => {
    const thread = threadOf(dispatch)
    if (thread === undefined) return undefined
    const count = Schema.decodeUnknownOption(ThreadRead)(read)
    const seen = count._tag === "Some" ? `${count.value.messages.length} message${count.value.messages.length === 1 ? "" : "s"}` : "the thread"
    return {
      tool: "mcp_slack_reply_in_thread",
      arguments: {
        ...thread,
        text: `Hi! I am ${dispatch.agentId}, the Switchboard demo agent. I read ${seen} here through read_thread and I am on it. ` +
          `(session ${dispatch.sessionId}, ${dispatch.mode})`
      }
    }
  }
}

export const slackSandbox: SandboxAdapter = {
  providerId: "slack",
  displayName: "Slack",
  generateSecrets: () => ({
    SLACK_CLIENT_ID: `${randomDigits(10)}.${randomDigits(13)}`,
    SLACK_CLIENT_SECRET: randomHex(16),
    SLACK_SIGNING_SECRET: randomHex(16)
  }),
  env: (fakeUrl) => ({ SLACK_API_URL: `${fakeUrl}/api`, SLACK_OAUTH_URL: fakeUrl }),
  webhookSecretEnv: "SLACK_SIGNING_SECRET",
  makeFake: ({ env, publicUrl }) => {
    const fake = makeFakeSlack({
      clientId: env["SLACK_CLIENT_ID"],
      clientSecret: env["SLACK_CLIENT_SECRET"],
      signingSecret: env["SLACK_SIGNING_SECRET"]
    })
    const callback = `${publicUrl}/install/slack/callback`
    const allow = () => {
      if (!(fake.control.app.redirectUris ?? []).includes(callback)) fake.control.allowRedirectUri(callback)
    }
    allow()
    return {
      handler: fake.handler,
      snapshot: () => snapshotOf(fake.control.state, NOT_PERSISTED),
      restore: (snapshot) => {
        restoreInto(fake.control.state, snapshot, NOT_PERSISTED)
        // The saved app may name another port's callback: this run's is accepted too.
        allow()
      }
    }
  },
  events: [mention, directMessage],
  activity: async (fakeUrl, subject) => {
    const [channel = "", ts = ""] = subject.split("/")
    const state = Schema.decodeUnknownSync(FakeState)(await fakeJson(`${fakeUrl}/_fake/state`))
    const listed = Schema.decodeUnknownSync(Messages)(await fakeJson(`${fakeUrl}/_fake/messages?channel=${encodeURIComponent(channel)}`))
    const thread = listed.messages.filter((entry) => entry.ts === ts || entry.threadTs === ts)
    // The sandbox's people: its one human (who writes every non-bot message) and the app's bot user.
    const names = new Map<string, string>([[state.app.botUserId, state.app.name]])
    for (const entry of thread) if (entry.botId === null && entry.user !== null) names.set(entry.user, "Ada Lovelace")
    return thread.map((entry) => ({
      author: entry.botId === null ? "Ada Lovelace" : state.app.name,
      body: readableSlackText(entry.text, names),
      at: new Date(Number(entry.ts.split(".")[0]) * 1000).toISOString(),
      byAgent: entry.botId !== null
    }))
  },
  demo
}
