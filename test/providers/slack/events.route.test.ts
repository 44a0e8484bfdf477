/**
 * Acceptance 1: every Slack trigger and every ignore reason through the real `/webhook/slack`
 * route, with signed Events API bodies in Slack's documented shapes (made by the fake Slack
 * from what people say in it): the url_verification handshake, mentions (a new thread under
 * the mention, or the mention's thread), direct messages, replies in a thread with and without
 * a live session, assistant threads, bot messages (its own included), edits, a retried
 * delivery, and timestamps six minutes old and six minutes ahead.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Payloads from "../../../sandbox/fakes/slack/payloads.ts"
import type { FakeConversation, FakeUser } from "../../../sandbox/fakes/slack/FakeSlackState.ts"
import { deliver, deliveryOf, eventIdOf, ignoredWith, sendEvent, type SlackWorld, startSlackWorld, storedEvents } from "../../support/slack.ts"

describe("Slack events through /webhook/slack", () => {
  let world: SlackWorld
  let ada: FakeUser
  let grace: FakeUser
  let general: FakeConversation
  let bot: string

  beforeAll(async () => {
    world = await startSlackWorld()
    const { control } = world.slack
    ada = control.seedUser({ name: "ada", realName: "Ada Lovelace" })
    grace = control.seedUser({ name: "grace", realName: "Grace Hopper" })
    general = control.seedChannel({ name: "general", members: [ada.id, grace.id] })
    bot = control.app.botUserId
  })
  afterAll(() => world.close())

  it("answers url_verification with the challenge, as plain text, and stores nothing", async () => {
    const response = await sendEvent(world, Payloads.urlVerification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"))
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toContain("text/plain")
    expect(await response.text()).toBe("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
    const listed = await (await world.kernel.request("/v1/deliveries?limit=200", { apiKey: world.apiKey })).json()
    expect(listed.deliveries).toEqual([])
  })

  it("app_mention creates a session keyed by the new thread under the mention; its message twin is ignored", async () => {
    const said = world.slack.control.say({ channel: general.id, user: ada.id, text: `<@${bot}> why is checkout slow?` })
    const [messageId, mentionId] = await deliver(world, said.events)
    const delivery = await deliveryOf(world, mentionId!)
    expect(delivery.dispatch).toMatchObject({
      mode: "create",
      stop: false,
      eventType: "app_mention",
      sessionKey: `slack:thread:${general.id}:${said.message.ts}`,
      prompt: "why is checkout slow?",
      actor: { id: ada.id, name: null },
      publicationId: world.publicationId
    })
    expect(delivery.dispatch.context).toMatchObject({
      trigger: "mention",
      channel: general.id,
      channelType: "channel",
      threadTs: said.message.ts,
      messageTs: said.message.ts,
      user: ada.id,
      teamId: world.slack.control.team.id,
      botUserId: bot
    })
    await ignoredWith(world, messageId!, "mentions the bot; its app_mention event starts or resumes the session")
  })

  it("a reply in a thread bound to a live session resumes it; a mention in that thread resumes it too", async () => {
    const root = world.slack.control.say({ channel: general.id, user: ada.id, text: `<@${bot}> look at the deploy` })
    const [, rootMention] = await deliver(world, root.events)
    const created = await deliveryOf(world, rootMention!)
    const reply = world.slack.control.say({ channel: general.id, user: grace.id, text: "it was the cache", threadTs: root.message.ts })
    const [replyId] = await deliver(world, reply.events)
    expect((await deliveryOf(world, replyId!)).dispatch).toMatchObject({
      mode: "resume",
      sessionId: created.dispatch.sessionId,
      prompt: "it was the cache",
      eventType: "message.channels",
      actor: { id: grace.id, name: null }
    })
    const again = world.slack.control.say({ channel: general.id, user: ada.id, text: `thanks <@${bot}>, roll it back`, threadTs: root.message.ts })
    const [twin, mention] = await deliver(world, again.events)
    const resumed = await deliveryOf(world, mention!)
    expect(resumed.dispatch).toMatchObject({ mode: "resume", sessionId: created.dispatch.sessionId, prompt: "thanks, roll it back" })
    expect(resumed.dispatch.context).toMatchObject({ threadTs: root.message.ts, messageTs: again.message.ts })
    await ignoredWith(world, twin!, "mentions the bot")
  })

  it("a mention inside an existing thread creates the session of that thread", async () => {
    const root = world.slack.control.say({ channel: general.id, user: ada.id, text: "standup notes" })
    const [rootId] = await deliver(world, root.events)
    await ignoredWith(world, rootId!, `a message in channel ${general.id} outside a thread, without a mention of the bot`)
    const mention = world.slack.control.say({ channel: general.id, user: grace.id, text: `<@${bot}> summarise`, threadTs: root.message.ts })
    const [, mentionId] = await deliver(world, mention.events)
    expect((await deliveryOf(world, mentionId!)).dispatch).toMatchObject({
      mode: "create",
      sessionKey: `slack:thread:${general.id}:${root.message.ts}`
    })
  })

  it("a reply in a thread without a live session is ignored with the reason", async () => {
    const root = world.slack.control.say({ channel: general.id, user: ada.id, text: "lunch?" })
    await deliver(world, root.events)
    const reply = world.slack.control.say({ channel: general.id, user: grace.id, text: "yes", threadTs: root.message.ts })
    const [replyId] = await deliver(world, reply.events)
    await ignoredWith(world, replyId!, `no live session for slack:thread:${general.id}:${root.message.ts}`)
  })

  it("a direct message creates the DM's session; the next one resumes it", async () => {
    const dm = world.slack.control.openDm(ada.id)
    const first = world.slack.control.say({ channel: dm.id, user: ada.id, text: "can you check my PR?" })
    expect(first.events).toHaveLength(1)
    const [firstId] = await deliver(world, first.events)
    const created = await deliveryOf(world, firstId!)
    expect(created.dispatch).toMatchObject({ mode: "create", sessionKey: `slack:dm:${dm.id}`, eventType: "message.im", prompt: "can you check my PR?" })
    expect(created.dispatch.context).toMatchObject({ trigger: "direct_message", channelType: "im", threadTs: null })
    const second = world.slack.control.say({ channel: dm.id, user: ada.id, text: `<@${bot}> it is #42` })
    const [secondId] = await deliver(world, second.events)
    expect((await deliveryOf(world, secondId!)).dispatch).toMatchObject({ mode: "resume", sessionId: created.dispatch.sessionId, prompt: "it is #42" })
  })

  it("assistant_thread_started creates the assistant thread's session; messages in it resume it", async () => {
    world.slack.control.openDm(grace.id)
    const started = world.slack.control.startAssistantThread({ user: grace.id, contextChannel: general.id })
    const [startedId] = await deliver(world, started.events)
    const created = await deliveryOf(world, startedId!)
    expect(created.dispatch).toMatchObject({
      mode: "create",
      eventType: "assistant_thread_started",
      sessionKey: `slack:thread:${started.channel}:${started.threadTs}`,
      actor: { id: grace.id, name: null }
    })
    expect(created.dispatch.prompt).toContain(`while viewing <#${general.id}>`)
    const asked = world.slack.control.say({ channel: started.channel, user: grace.id, text: "what shipped today?", threadTs: started.threadTs })
    const [askedId] = await deliver(world, asked.events)
    expect((await deliveryOf(world, askedId!)).dispatch).toMatchObject({ mode: "resume", sessionId: created.dispatch.sessionId })
  })

  it("bot messages are ignored: the bot's own, and other bots'", async () => {
    const root = world.slack.control.say({ channel: general.id, user: ada.id, text: `<@${bot}> ping` })
    await deliver(world, root.events)
    const own = world.slack.control.botSays({ channel: general.id, text: "pong", threadTs: root.message.ts })
    const [ownId] = await deliver(world, own.events)
    await ignoredWith(world, ownId!, "sent by this app's own bot user")
    const other = world.slack.control.envelope(Payloads.message({
      channel: general.id,
      ts: "1712345678.000200",
      threadTs: root.message.ts,
      text: "deploy finished",
      botId: "B0OTHERBOT1",
      subtype: "bot_message",
      channelType: "channel"
    }))
    await deliver(world, [other])
    await ignoredWith(world, eventIdOf(other), "sent by a bot (B0OTHERBOT1)")
  })

  it("edits and other message subtypes are ignored with the reason", async () => {
    const edit = world.slack.control.envelope(Payloads.messageChanged({ channel: general.id, ts: "1712345678.000300", editTs: "1712345699.000100", user: ada.id, text: "typo" }))
    await deliver(world, [edit])
    await ignoredWith(world, eventIdOf(edit), `message subtype "message_changed" is not a new message from a person`)
  })

  it("unknown event types and app_rate_limited are acknowledged and recorded as ignored", async () => {
    const reaction = world.slack.control.envelope({ type: "reaction_added", user: ada.id, reaction: "eyes", item: { type: "message", channel: general.id, ts: "1.2" } })
    await deliver(world, [reaction])
    await ignoredWith(world, eventIdOf(reaction), `Slack event "reaction_added" is not handled`)
    const limited = Payloads.appRateLimited({ teamId: world.slack.control.team.id, appId: world.slack.control.app.id, minute: 28_000_000 })
    expect((await sendEvent(world, limited)).status).toBe(200)
    await ignoredWith(world, `app_rate_limited:${world.slack.control.app.id}:${world.slack.control.team.id}:28000000`, "app_rate_limited")
  })

  it("a retried delivery (same event_id, X-Slack-Retry-Num) never dispatches twice", async () => {
    const said = world.slack.control.say({ channel: general.id, user: ada.id, text: `<@${bot}> retry me` })
    const mention = said.events[1]!
    const first = await sendEvent(world, mention)
    expect(await first.json()).toMatchObject({ ok: true, status: "accepted" })
    const retry = await sendEvent(world, mention, { retryNum: 1 })
    expect(retry.status).toBe(200)
    expect(await retry.json()).toMatchObject({ ok: true, status: "duplicate" })
    const second = await sendEvent(world, mention, { retryNum: 2 })
    expect(await second.json()).toMatchObject({ status: "duplicate" })
    await deliveryOf(world, eventIdOf(mention))
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(world.kernel.deliveries.filter((delivery) => delivery.dispatch.deliveryId === eventIdOf(mention))).toHaveLength(1)
    expect(await storedEvents(world, eventIdOf(mention))).toHaveLength(1)
  })

  it("rejects a timestamp six minutes old and one six minutes ahead (401), before storing anything", async () => {
    const said = world.slack.control.say({ channel: general.id, user: ada.id, text: `<@${bot}> stale` })
    const now = Math.floor(Date.now() / 1000)
    const old = await sendEvent(world, said.events[1], { timestamp: now - 6 * 60 })
    expect(old.status).toBe(401)
    expect(await old.json()).toMatchObject({ error: { reason: "StaleTimestamp" } })
    const ahead = await sendEvent(world, said.events[1], { timestamp: now + 6 * 60 })
    expect(ahead.status).toBe(401)
    expect(await ahead.json()).toMatchObject({ error: { reason: "StaleTimestamp" } })
    expect(await storedEvents(world, eventIdOf(said.events[1]!))).toEqual([])
    const fourMinutes = await sendEvent(world, said.events[1], { timestamp: now - 4 * 60 })
    expect(fourMinutes.status).toBe(200)
  })

  it("rejects a wrong or missing signature (401); accepts a malformed known event as ignored; refuses what cannot be routed (400)", async () => {
    const body = JSON.stringify(Payloads.urlVerification("x"))
    const wrong = await world.kernel.request("/webhook/slack", {
      method: "POST",
      headers: { "x-slack-request-timestamp": String(Math.floor(Date.now() / 1000)), "x-slack-signature": `v0=${"0".repeat(64)}` },
      body
    })
    expect(wrong.status).toBe(401)
    expect((await world.kernel.request("/webhook/slack", { method: "POST", body })).status).toBe(401)
    const broken = world.slack.control.envelope({ type: "app_mention", user: ada.id, text: "no channel" })
    const accepted = await sendEvent(world, broken)
    expect(accepted.status).toBe(200)
    await ignoredWith(world, eventIdOf(broken), "app_mention payload is not in the documented shape")
    const response = await sendEvent(world, { type: "event_callback", event_id: "Ev0NOEVENT", team_id: world.slack.control.team.id })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: { reason: "Malformed" } })
    expect(await storedEvents(world, "Ev0NOEVENT")).toEqual([])
  })
})
