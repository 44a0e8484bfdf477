/**
 * The fake Slack itself, through HTTP as an out-of-process test would use it: the `/_fake`
 * controls, what a bot may see (a private channel it is not in does not exist for it), the
 * upload URL's length check, an unfinished upload, the scope headers, and deliveries the fake
 * signs that the provider's verification accepts.
 */
import { Effect, Option, Redacted, Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { receiverOf } from "../../../kernel/webhooks/Receiver.ts"
import * as SlackWebhook from "../../../providers/slack/webhook/SlackWebhook.ts"
import { type FakeSlack, makeFakeSlack } from "../../../sandbox/fakes/slack/FakeSlack.ts"
import { type Served, serve } from "../../support/serve.ts"

const Said = Schema.Struct({
  message: Schema.Struct({ ts: Schema.String, channel: Schema.String }),
  events: Schema.Array(Schema.Struct({ type: Schema.Literal("event_callback"), event_id: Schema.String, event: Schema.Struct({ type: Schema.String }) }))
})
const Created = Schema.Struct({ id: Schema.String })

describe("the fake Slack over HTTP", () => {
  let fake: FakeSlack
  let served: Served
  let token: string

  beforeAll(async () => {
    fake = makeFakeSlack({ signingSecret: "fake-signing-secret-01" })
    served = await serve(fake.handler)
    token = fake.control.mintToken()
  })
  afterAll(() => served.close())

  const post = async (path: string, body: unknown) =>
    fetch(`${served.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
  const api = (method: string, form: Record<string, string>, bearer = token) =>
    fetch(`${served.url}/api/${method}`, {
      method: "POST",
      headers: { authorization: `Bearer ${bearer}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form)
    })

  it("seeds people and channels, records what they say, and returns the events Slack would send", async () => {
    const user = Schema.decodeUnknownSync(Created)(await (await post("/_fake/users", { name: "ada" })).json())
    const channel = Schema.decodeUnknownSync(Created)(await (await post("/_fake/channels", { name: "general", members: [user.id] })).json())
    const bot = fake.control.app.botUserId
    const said = Schema.decodeUnknownSync(Said)(await (await post("/_fake/say", { channel: channel.id, user: user.id, text: `<@${bot}> hi` })).json())
    expect(said.events.map((event) => event.event.type)).toEqual(["message", "app_mention"])
    const listed = await (await fetch(`${served.url}/_fake/messages?channel=${channel.id}`)).json()
    expect(listed.messages).toEqual([expect.objectContaining({ ts: said.message.ts, user: user.id, text: `<@${bot}> hi` })])
    const state = await (await fetch(`${served.url}/_fake/state`)).json()
    expect(state).toMatchObject({ team: { id: fake.control.team.id }, app: { id: fake.control.app.id, botUserId: bot } })
  })

  it("forces rate limits and expires tokens through the controls", async () => {
    await post("/_fake/rate-limit", { on: true, mode: "http429", retryAfterSeconds: 9, methods: ["auth.test"] })
    const limited = await api("auth.test", {})
    expect(limited.status).toBe(429)
    expect(limited.headers.get("retry-after")).toBe("9")
    await post("/_fake/rate-limit", { on: false })
    const fine = await api("auth.test", {})
    expect(fine.headers.get("x-oauth-scopes")).toContain("chat:write")
    expect(await fine.json()).toMatchObject({ ok: true, user_id: fake.control.app.botUserId })
    const spare = fake.control.mintToken()
    expect((await (await post("/_fake/tokens/expire-all", {})).json()).count).toBeGreaterThan(0)
    expect(await (await api("auth.test", {}, spare)).json()).toEqual({ ok: false, error: "token_expired" })
    token = fake.control.mintToken()
  })

  it("a private channel the bot is not in does not exist for it; a public one says not_in_channel", async () => {
    const ada = fake.control.seedUser({ name: "ada2" })
    const hidden = fake.control.seedChannel({ name: "hr", kind: "private", members: [ada.id], bots: [] })
    const open = fake.control.seedChannel({ name: "lobby", members: [ada.id], bots: [] })
    expect(await (await api("conversations.history", { channel: hidden.id })).json()).toEqual({ ok: false, error: "channel_not_found" })
    expect(await (await api("conversations.history", { channel: open.id })).json()).toEqual({ ok: false, error: "not_in_channel" })
    fake.control.inviteBot(open.id)
    expect(await (await api("conversations.history", { channel: open.id })).json()).toMatchObject({ ok: true, messages: [] })
  })

  it("checks the upload's declared length, and refuses to complete an upload without its bytes", async () => {
    const target = await (await api("files.getUploadURLExternal", { filename: "a.txt", length: "5" })).json()
    expect(target).toMatchObject({ ok: true, upload_url: expect.stringContaining("/upload/v1/F"), file_id: expect.stringMatching(/^F/) })
    expect(await (await api("files.completeUploadExternal", { files: JSON.stringify([{ id: target.file_id }]) })).json()).toEqual({ ok: false, error: "file_not_found" })
    expect((await fetch(target.upload_url, { method: "POST", body: "toolong" })).status).toBe(400)
    const uploaded = await fetch(target.upload_url, { method: "POST", body: "hello" })
    expect(await uploaded.text()).toBe("OK - 5")
    expect(await (await api("files.completeUploadExternal", { files: JSON.stringify([{ id: target.file_id, title: "A" }]) })).json()).toMatchObject({
      ok: true,
      files: [{ id: target.file_id, title: "A" }]
    })
  })

  it("signs deliveries the way the provider verifies them", async () => {
    const settings = { oauth: Option.none(), signingSecrets: [Redacted.make("fake-signing-secret-01")], apiUrl: "", oauthUrl: "" }
    const signed = await fake.control.sign({ type: "url_verification", challenge: "c" }, { retryNum: 1 })
    expect(signed.headers).toMatchObject({ "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" })
    const receiver = receiverOf({ displayName: "Slack", webhook: SlackWebhook.make(settings) })
    await Effect.runPromise(receiver.receive({
      headers: new Headers(signed.headers),
      body: new TextEncoder().encode(signed.body),
      receivedAt: Date.now()
    }, Option.none()))
  })
})
