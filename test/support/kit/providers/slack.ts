/**
 * The Slack provider's provider-kit options, shared by test/providers/slack/kit.test.ts
 * (in-process) and the runtime matrix (test/matrix/kit.ts): installed through the fake's OAuth v2 consent, a
 * mention of the bot in a channel (the `app_mention` the fake Slack reports for it, its
 * `event_id` being the delivery id Slack dedupes on) as the event that dispatches, and a
 * rate-limited Web API as the vendor error.
 *
 * Invalid samples stay with what the JSON Schemas can say: Slack's id patterns (channel, ts, user,
 * emoji) have no `u` flag, so Effect leaves them out of the JSON Schema, and a malformed channel id
 * passes the JSON Schema while the Schema rejects it (the kit reports that mismatch).
 */
import { Schema } from "effect"
import * as SlackProvider from "../../../../providers/slack/SlackProvider.ts"
import { type FakeSlack, makeFakeSlack } from "../../../../sandbox/fakes/slack/FakeSlack.ts"
import type { ProviderKitOptions } from "../../../../sandbox/kit/KitTypes.ts"
import { installByOAuth } from "../../../../sandbox/kit/KitInstall.ts"
import { hmacSha256Hex } from "../../../../sandbox/kit/Signing.ts"
import { PUBLIC_URL } from "../../kernel.ts"

const AppMention = Schema.Struct({ event: Schema.Struct({ type: Schema.Literal("app_mention") }) })
const SIGNING_SECRET = "slack-kit-signing-secret"
const CHANNEL = "C0KIT0001"
const TS = "1712345678.123456"

export const slackKit: ProviderKitOptions<FakeSlack> = {
  provider: SlackProvider.make,
  fake: {
    make: () => {
      const fake = makeFakeSlack({ clientId: "1111.2222", clientSecret: "slack-kit-client-secret", signingSecret: SIGNING_SECRET, autoApprove: true })
      fake.control.allowRedirectUri(`${PUBLIC_URL}/install/slack/callback`)
      return fake
    },
    env: (url) => ({
      SLACK_CLIENT_ID: "1111.2222",
      SLACK_CLIENT_SECRET: "slack-kit-client-secret",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: `${url}/api`,
      SLACK_OAUTH_URL: url
    })
  },
  install: (world) => installByOAuth(world, "slack"),
  publication: { granularity: "thread" },
  webhook: {
    secret: SIGNING_SECRET,
    signatureHeader: "x-slack-signature",
    sign: async ({ body, secret }) => {
      const timestamp = String(Math.floor(Date.now() / 1000))
      return {
        body,
        headers: {
          "content-type": "application/json",
          "x-slack-request-timestamp": timestamp,
          "x-slack-signature": `v0=${await hmacSha256Hex(secret, `v0:${timestamp}:${body}`)}`
        }
      }
    },
    dispatching: (world, deliveryId) => {
      const { control } = world.fake
      const person = control.seedUser({ name: `kit${deliveryId.replace(/\W/g, "").slice(-8)}` })
      const channel = control.seedChannel({ name: `kit-${deliveryId}`, members: [person.id] })
      const said = control.say({ channel: channel.id, user: person.id, text: `<@${control.app.botUserId}> please help` })
      const mention = said.events.find((event) => Schema.is(AppMention)(event))
      if (mention === undefined) throw new Error("the fake Slack reported no app_mention")
      return JSON.stringify({ ...mention, event_id: deliveryId })
    },
    malformed: [JSON.stringify({ type: "event_callback", team_id: "T0KIT" })]
  },
  tools: {
    samples: {
      post_message: { valid: [{ channel: CHANNEL, text: "Hello" }], invalid: [{ text: "Hello" }, { channel: CHANNEL, text: "" }] },
      reply_in_thread: { valid: [{ channel: CHANNEL, threadTs: TS, text: "On it" }], invalid: [{ channel: CHANNEL, text: "On it" }] },
      update_message: { valid: [{ channel: CHANNEL, ts: TS, text: "Edited" }], invalid: [{ channel: CHANNEL, text: "Edited" }] },
      add_reaction: { valid: [{ channel: CHANNEL, ts: TS, name: "eyes" }], invalid: [{ channel: CHANNEL, ts: TS }] },
      remove_reaction: { valid: [{ channel: CHANNEL, ts: TS, name: ":eyes:" }], invalid: [{ channel: CHANNEL, name: "eyes" }] },
      read_thread: { valid: [{ channel: CHANNEL, threadTs: TS, limit: 20 }], invalid: [{ channel: CHANNEL, threadTs: TS, limit: 0 }] },
      read_channel_history: { valid: [{ channel: CHANNEL }], invalid: [{ channel: CHANNEL, limit: 201 }, {}] },
      lookup_user: { valid: [{ user: "U0KIT0001" }], invalid: [{}] },
      list_channels: { valid: [{}, { types: ["im"], limit: 10 }], invalid: [{ types: [] }, { types: ["dm"] }] },
      upload_file: { valid: [{ filename: "notes.md", content: "# Notes", channel: CHANNEL }], invalid: [{ content: "# Notes" }, { filename: "" }] }
    },
    vendorError: {
      tool: "lookup_user",
      input: () => ({ user: "U0KIT0001" }),
      arrange: (world) => world.fake.control.setRateLimited({ mode: "http429", retryAfterSeconds: 30 }),
      restore: (world) => world.fake.control.setRateLimited(false),
      reasons: ["RateLimited"]
    }
  }
}
