/**
 * Acceptance 3: every Slack tool through the MCP endpoint, with the official SDK client bound to
 * a delivery's session token, against the fake Slack. A publication sees and may call only the
 * tools of its scopes. Slack's refusals (`not_in_channel`, `channel_not_found`,
 * `cant_update_message`, a revoked token) and rate limits (HTTP 429 with Retry-After, and
 * `ok: false, error: "ratelimited"`) come back as MCP tool errors with a clear message.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { FakeConversation, FakeUser } from "../../../sandbox/fakes/slack/FakeSlackState.ts"
import { deliver, deliveryOf, failed, ok, type SlackWorld, startSlackWorld } from "../../support/slack.ts"

const ALL_TOOLS = [
  "add_reaction",
  "list_channels",
  "lookup_user",
  "post_message",
  "read_channel_history",
  "read_thread",
  "remove_reaction",
  "reply_in_thread",
  "update_message",
  "upload_file"
].map((name) => `mcp_slack_${name}`)

describe("Slack tools through MCP", () => {
  let world: SlackWorld
  let agent: Client
  let reader: Client
  let ada: FakeUser
  let general: FakeConversation
  let secret: FakeConversation
  let outside: FakeConversation
  let threadTs: string
  let botReplyTs: string

  beforeAll(async () => {
    world = await startSlackWorld()
    const narrow = await world.kernel.publish(world.apiKey, {
      installationId: world.installationId,
      agentId: "agent-reader",
      scopes: ["history:read"],
      granularity: "thread"
    })
    const { control } = world.slack
    ada = control.seedUser({ name: "ada", realName: "Ada Lovelace", title: "Analyst", tz: "Europe/London" })
    general = control.seedChannel({ name: "general", members: [ada.id] })
    secret = control.seedChannel({ name: "secret-plans", kind: "private", members: [ada.id] })
    outside = control.seedChannel({ name: "no-bots-here", members: [ada.id], bots: [] })
    control.say({ channel: general.id, user: ada.id, text: "good morning" })
    const said = control.say({ channel: general.id, user: ada.id, text: `<@${control.app.botUserId}> what broke last night?` })
    threadTs = said.message.ts
    const [, mention] = await deliver(world, said.events)
    await world.kernel.eventually(() => world.kernel.deliveries.filter((delivery) => delivery.dispatch.deliveryId === mention).length === 2)
    const byPublication = (id: string) => world.kernel.deliveries.find((delivery) => delivery.dispatch.deliveryId === mention && delivery.dispatch.publicationId === id)
    agent = await world.kernel.mcpClient(byPublication(world.publicationId) ?? (await deliveryOf(world, mention!)))
    reader = await world.kernel.mcpClient(byPublication(narrow.id) ?? (await deliveryOf(world, mention!)))
  })
  afterAll(async () => {
    await agent.close()
    await reader.close()
    await world.close()
  })

  it("tools/list shows every tool with its schema and annotations; a narrow publication sees only its scope's", async () => {
    const { tools } = await agent.listTools()
    expect(tools.map((tool) => tool.name).sort()).toEqual(ALL_TOOLS)
    const byName = new Map(tools.map((tool) => [tool.name, tool]))
    expect(byName.get("mcp_slack_read_thread")?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false })
    expect(byName.get("mcp_slack_update_message")?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true })
    expect(byName.get("mcp_slack_reply_in_thread")?.inputSchema).toMatchObject({ type: "object", required: ["channel", "threadTs"] })
    const narrow = await reader.listTools()
    expect(narrow.tools.map((tool) => tool.name).sort()).toEqual(["mcp_slack_read_channel_history", "mcp_slack_read_thread"])
    const refused = await failed(reader, "post_message", { channel: general.id, text: "hi" })
    expect(refused.reason).toBe("OutOfScope")
    expect(world.slack.control.messages(general.id).filter((message) => message.text === "hi")).toEqual([])
  })

  it("reply_in_thread answers in the mention's thread with mrkdwn and blocks", async () => {
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*Cause:* the cache" } }]
    const reply = await ok(agent, "reply_in_thread", { channel: general.id, threadTs, text: "*Found it*: the cache", blocks })
    botReplyTs = String(reply["ts"])
    expect(reply).toMatchObject({
      channel: general.id,
      threadTs,
      permalink: `https://fake-workspace.slack.com/archives/${general.id}/p${botReplyTs.replace(".", "")}?thread_ts=${threadTs}&cid=${general.id}`
    })
    const stored = world.slack.control.thread(general.id, threadTs).at(-1)
    expect(stored).toMatchObject({ threadTs, text: "*Found it*: the cache", blocks, botId: world.slack.control.app.botId })
  })

  it("post_message posts a new message; it needs text or blocks", async () => {
    const posted = await ok(agent, "post_message", { channel: secret.id, text: "Plan B is ready" })
    expect(posted).toMatchObject({ channel: secret.id, threadTs: null })
    expect(world.slack.control.messages(secret.id).map((message) => message.text)).toContain("Plan B is ready")
    expect(await failed(agent, "post_message", { channel: secret.id })).toMatchObject({ reason: "InvalidInput" })
  })

  it("update_message edits the bot's own message, and Slack refuses to edit someone else's", async () => {
    const updated = await ok(agent, "update_message", { channel: general.id, ts: botReplyTs, text: "Found it: the *cache* (fixed)" })
    expect(updated).toMatchObject({ ts: botReplyTs, text: "Found it: the *cache* (fixed)" })
    expect(world.slack.control.thread(general.id, threadTs).at(-1)?.edited).not.toBeNull()
    const refused = await failed(agent, "update_message", { channel: general.id, ts: threadTs, text: "hijack" })
    expect(refused.reason).toBe("Forbidden")
    expect(refused.message).toContain("cant_update_message")
  })

  it("add_reaction and remove_reaction are idempotent", async () => {
    expect(await ok(agent, "add_reaction", { channel: general.id, ts: threadTs, name: ":eyes:" })).toMatchObject({ name: "eyes", added: true })
    expect(await ok(agent, "add_reaction", { channel: general.id, ts: threadTs, name: "eyes" })).toMatchObject({ added: false, alreadyThere: true })
    expect(world.slack.control.reactions(general.id, threadTs)).toEqual({ eyes: [world.slack.control.app.botUserId] })
    expect(await ok(agent, "remove_reaction", { channel: general.id, ts: threadTs, name: "eyes" })).toMatchObject({ removed: true })
    expect(await ok(agent, "remove_reaction", { channel: general.id, ts: threadTs, name: "eyes" })).toMatchObject({ removed: false })
    expect(world.slack.control.reactions(general.id, threadTs)).toEqual({})
  })

  it("read_thread reads the thread oldest first, page by page, marking the bot's messages", async () => {
    const all = await ok(reader, "read_thread", { channel: general.id, threadTs })
    expect(all["messages"]).toEqual([
      expect.objectContaining({ ts: threadTs, user: ada.id, byThisBot: false, replyCount: 1 }),
      expect.objectContaining({ ts: botReplyTs, byThisBot: true, edited: true })
    ])
    const first = await ok(reader, "read_thread", { channel: general.id, threadTs, limit: 1 })
    expect(first).toMatchObject({ hasMore: true, messages: [expect.objectContaining({ ts: threadTs })] })
    const second = await ok(reader, "read_thread", { channel: general.id, threadTs, limit: 1, cursor: first["nextCursor"] })
    expect(second).toMatchObject({ hasMore: false, nextCursor: null, messages: [expect.objectContaining({ ts: botReplyTs })] })
  })

  it("read_channel_history reads recent top-level messages, newest first", async () => {
    const history = await ok(reader, "read_channel_history", { channel: general.id, limit: 10 })
    const texts = Schema.decodeUnknownSync(Schema.Array(Schema.Struct({ text: Schema.String })))(history["messages"]).map((message) => message.text)
    expect(texts).toEqual([`<@${world.slack.control.app.botUserId}> what broke last night?`, "good morning"])
  })

  it("lookup_user describes a person; an unknown id is NotFound", async () => {
    expect(await ok(agent, "lookup_user", { user: ada.id })).toMatchObject({
      id: ada.id,
      handle: "ada",
      realName: "Ada Lovelace",
      title: "Analyst",
      timeZone: "Europe/London",
      isBot: false,
      email: null
    })
    const missing = await failed(agent, "lookup_user", { user: "U0NOBODY00" })
    expect(missing).toMatchObject({ reason: "NotFound" })
    expect(missing.message).toContain("user_not_found")
  })

  it("list_channels lists the conversations the bot is in", async () => {
    const listed = await ok(agent, "list_channels", {})
    const channels = Schema.decodeUnknownSync(Schema.Array(Schema.Struct({ id: Schema.String, name: Schema.String, kind: Schema.String })))(listed["channels"])
    expect(channels.map((channel) => [channel.name, channel.kind])).toEqual([["general", "public_channel"], ["secret-plans", "private_channel"]])
    expect(channels.map((channel) => channel.id)).not.toContain(outside.id)
    const dms = await ok(agent, "list_channels", { types: ["im"] })
    expect(dms["channels"]).toEqual([])
  })

  it("upload_file shares a text snippet in the thread, and a binary file by base64", async () => {
    const content = "trace line 1\ntrace line 2\n"
    const uploaded = await ok(agent, "upload_file", {
      channel: general.id,
      threadTs,
      filename: "trace.txt",
      content,
      title: "Last night's trace",
      initialComment: "Here is the trace",
      snippetType: "text"
    })
    expect(uploaded).toMatchObject({ title: "Last night's trace", bytes: content.length, sharedIn: general.id, threadTs })
    const file = world.slack.control.files().find((entry) => entry.id === uploaded["fileId"])
    expect(new TextDecoder().decode(file?.bytes ?? new Uint8Array())).toBe(content)
    expect(file?.shares).toEqual([{ channel: general.id, threadTs }])
    expect(world.slack.control.thread(general.id, threadTs).at(-1)).toMatchObject({ text: "Here is the trace", files: [file?.id] })

    const binary = await ok(agent, "upload_file", { filename: "pixel.bin", contentBase64: btoa("\u0000\u00ff\u0010") })
    expect(binary).toMatchObject({ bytes: 3, sharedIn: null })
    expect(await failed(agent, "upload_file", { filename: "x.txt", content: "a", contentBase64: "YQ==" })).toMatchObject({ reason: "InvalidInput" })
  })

  it("Slack's refusals are clear tool errors: not_in_channel, channel_not_found", async () => {
    const notIn = await failed(agent, "post_message", { channel: outside.id, text: "hello?" })
    expect(notIn.reason).toBe("Forbidden")
    expect(notIn.message).toContain("not_in_channel")
    expect(notIn.message).toContain("invite it")
    const missing = await failed(agent, "read_channel_history", { channel: "C0DOESNOTEXIST" })
    expect(missing.reason).toBe("NotFound")
    expect(missing.message).toContain("channel_not_found")
  })

  it("HTTP 429 with Retry-After and ok:false ratelimited are RateLimited with a wait", async () => {
    world.slack.control.setRateLimited({ mode: "http429", retryAfterSeconds: 17, methods: ["chat.postMessage"] })
    const limited = await failed(agent, "post_message", { channel: general.id, text: "too fast" })
    expect(limited).toMatchObject({ reason: "RateLimited", retryAfterSeconds: 17 })
    expect(limited.message).toContain("retry in 17s")
    world.slack.control.setRateLimited({ mode: "ratelimited" })
    const soft = await failed(agent, "lookup_user", { user: ada.id })
    expect(soft).toMatchObject({ reason: "RateLimited", retryAfterSeconds: 60 })
    world.slack.control.setRateLimited(false)
    await ok(agent, "lookup_user", { user: ada.id })
  })

  it("a revoked bot token is Unauthorized, saying so", async () => {
    world.slack.control.revokeAll()
    const revoked = await failed(agent, "post_message", { channel: general.id, text: "still here?" })
    expect(revoked.reason).toBe("Unauthorized")
    expect(revoked.message).toContain("token_revoked")
  })
})
