/**
 * Routing per publication through `/webhook/slack`: the `channel` filter (channel ids, `dm` for
 * direct messages and assistant threads), the three granularities (thread, user, workspace),
 * an Enterprise Grid org-wide install (keyed and routed by the enterprise id), and the
 * lifecycle events: `tokens_revoked` for the bot and `app_uninstalled` revoke the installation
 * and pause its publications; user-token revocations do not.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Payloads from "../../../sandbox/fakes/slack/payloads.ts"
import type { FakeConversation, FakeUser } from "../../../sandbox/fakes/slack/FakeSlackState.ts"
import {
  ALL_SCOPES,
  decided,
  deliver,
  deliveryOf,
  eventIdOf,
  ignoredWith,
  installSlack,
  type SlackWorld,
  startSlackKernel,
  startSlackWorld
} from "../../support/slack.ts"

const publish = (world: SlackWorld, body: Record<string, unknown>) =>
  world.kernel.publish(world.apiKey, { installationId: world.installationId, scopes: [...ALL_SCOPES], ...body })

const dispatchesFor = (world: SlackWorld, deliveryId: string) =>
  world.kernel.deliveries.filter((delivery) => delivery.dispatch.deliveryId === deliveryId)

describe("publications, filters and granularities", () => {
  let world: SlackWorld
  let ada: FakeUser
  let general: FakeConversation
  let random: FakeConversation
  let bot: string
  let inGeneral: string
  let dmsOnly: string
  let perUser: string
  let wholeWorkspace: string

  beforeAll(async () => {
    world = await startSlackWorld({ filters: { channel: ["C_NOWHERE"] } })
    const { control } = world.slack
    ada = control.seedUser({ name: "ada" })
    general = control.seedChannel({ name: "general", members: [ada.id] })
    random = control.seedChannel({ name: "random", members: [ada.id] })
    bot = control.app.botUserId
    inGeneral = (await publish(world, { agentId: "general-agent", granularity: "thread", filters: { channel: [general.id] } })).id
    dmsOnly = (await publish(world, { agentId: "dm-agent", granularity: "thread", filters: { channel: ["dm"] } })).id
    perUser = (await publish(world, { agentId: "user-agent", granularity: "user", filters: {} })).id
    wholeWorkspace = (await publish(world, { agentId: "team-agent", granularity: "workspace", filters: {} })).id
  })
  afterAll(() => world.close())

  it("a mention reaches the publications whose filter admits its channel, each keyed by its granularity", async () => {
    const said = world.slack.control.say({ channel: general.id, user: ada.id, text: `<@${bot}> hi` })
    const [, mention] = await deliver(world, said.events)
    await world.kernel.eventually(() => dispatchesFor(world, mention!).length === 3)
    const keys = new Map(dispatchesFor(world, mention!).map((delivery) => [delivery.dispatch.publicationId, delivery.dispatch.sessionKey]))
    expect(Object.fromEntries(keys)).toEqual({
      [inGeneral]: `slack:thread:${general.id}:${said.message.ts}`,
      [perUser]: `slack:user:${ada.id}`,
      [wholeWorkspace]: `slack:workspace:${world.slack.control.team.id}`
    })
    const row = await decided(world, mention!)
    expect(row.event.status).toBe("dispatched")
    expect(row.event.reason).toContain(`app_mention in channel ${general.id} is outside this publication's channel filter`)
  })

  it("a direct message reaches the dm filter, and the user's session is the same one their mention opened", async () => {
    const dm = world.slack.control.openDm(ada.id)
    const said = world.slack.control.say({ channel: dm.id, user: ada.id, text: "and in private?" })
    const [id] = await deliver(world, said.events)
    await world.kernel.eventually(() => dispatchesFor(world, id!).length === 3)
    const byPublication = new Map<string, unknown>(dispatchesFor(world, id!).map((delivery) => [delivery.dispatch.publicationId, delivery.dispatch]))
    expect(byPublication.get(dmsOnly)).toMatchObject({ mode: "create", sessionKey: `slack:dm:${dm.id}` })
    expect(byPublication.get(perUser)).toMatchObject({ mode: "resume", sessionKey: `slack:user:${ada.id}` })
    expect(byPublication.get(wholeWorkspace)).toMatchObject({ mode: "resume" })
    expect(byPublication.has(inGeneral)).toBe(false)
  })

  it("a thread reply reaches only thread-granularity sessions; the others say why", async () => {
    const root = world.slack.control.say({ channel: general.id, user: ada.id, text: `<@${bot}> thread please` })
    const [, mention] = await deliver(world, root.events)
    await world.kernel.eventually(() => dispatchesFor(world, mention!).length === 3)
    const reply = world.slack.control.say({ channel: general.id, user: ada.id, text: "more detail", threadTs: root.message.ts })
    const [replyId] = await deliver(world, reply.events)
    const row = await decided(world, replyId!)
    expect(dispatchesFor(world, replyId!).map((delivery) => delivery.dispatch.publicationId)).toEqual([inGeneral])
    expect(row.event.reason).toContain(`does not reach a session at "user" granularity`)
    expect(row.event.reason).toContain(`does not reach a session at "workspace" granularity`)
  })

  it("a channel no publication admits is ignored with each reason", async () => {
    for (const id of [perUser, wholeWorkspace]) {
      expect((await world.kernel.request(`/v1/publications/${id}`, { method: "DELETE", apiKey: world.apiKey })).ok).toBe(true)
    }
    const said = world.slack.control.say({ channel: random.id, user: ada.id, text: `<@${bot}> over here` })
    const [, mention] = await deliver(world, said.events)
    await ignoredWith(world, mention!, `app_mention in channel ${random.id} is outside this publication's channel filter`)
  })
})

describe("an org-wide (Enterprise Grid) install", () => {
  it("is keyed by the enterprise id, and events delivered for it route there", async () => {
    const started = await startSlackKernel()
    try {
      started.slack.control.setOrgInstall(true)
      const { apiKey } = await started.kernel.createTenant("grid-co")
      const installationId = await installSlack(started.kernel, apiKey)
      const listed = await (await started.kernel.request("/v1/installations", { apiKey })).json()
      expect(listed.installations[0]).toMatchObject({
        id: installationId,
        externalAccountId: started.slack.control.enterprise.id,
        displayName: "Fake Org",
        metadata: { isEnterpriseInstall: "true", enterpriseId: started.slack.control.enterprise.id }
      })
      await started.kernel.publish(apiKey, { installationId, agentId: "a", scopes: ["messages:write"], granularity: "workspace" })
      const ada = started.slack.control.seedUser({ name: "ada" })
      const channel = started.slack.control.seedChannel({ name: "grid", members: [ada.id] })
      const said = started.slack.control.say({ channel: channel.id, user: ada.id, text: `<@${started.slack.control.app.botUserId}> hello org` })
      const [, mention] = await deliver(started, said.events)
      expect((await deliveryOf(started, mention!)).dispatch.sessionKey).toBe(`slack:workspace:${started.slack.control.enterprise.id}`)
    } finally {
      await started.close()
    }
  })
})

describe("lifecycle events", () => {
  let world: SlackWorld
  beforeAll(async () => {
    world = await startSlackWorld()
  })
  afterAll(() => world.close())

  const status = async () => {
    const installations = await (await world.kernel.request("/v1/installations", { apiKey: world.apiKey })).json()
    const publications = await (await world.kernel.request("/v1/publications", { apiKey: world.apiKey })).json()
    return { installation: installations.installations[0].status, publication: publications.publications[0].status }
  }

  it("tokens_revoked for user tokens only leaves the installation alone", async () => {
    const event = world.slack.control.envelope(Payloads.tokensRevoked({ oauth: ["U0SOMEHUMAN"] }))
    await deliver(world, [event])
    await ignoredWith(world, eventIdOf(event), "user tokens only")
    expect(await status()).toEqual({ installation: "active", publication: "active" })
  })

  it("tokens_revoked for the bot revokes the installation and pauses its publications; later events are ignored", async () => {
    const event = world.slack.control.envelope(Payloads.tokensRevoked({ bot: [world.slack.control.app.botUserId] }))
    await deliver(world, [event])
    await ignoredWith(world, eventIdOf(event), "installation is revoked")
    expect(await status()).toEqual({ installation: "revoked", publication: "paused" })
    const ada = world.slack.control.seedUser({ name: "ada" })
    const dm = world.slack.control.openDm(ada.id)
    const said = world.slack.control.say({ channel: dm.id, user: ada.id, text: "anyone there?" })
    const [id] = await deliver(world, said.events)
    await ignoredWith(world, id!, "installation is revoked")
  })

  it("app_uninstalled revokes the installation", async () => {
    const other = await startSlackWorld()
    try {
      const event = other.slack.control.envelope(Payloads.appUninstalled())
      await deliver(other, [event])
      await ignoredWith(other, eventIdOf(event), "installation is revoked")
      const installations = await (await other.kernel.request("/v1/installations", { apiKey: other.apiKey })).json()
      expect(installations.installations[0].status).toBe("revoked")
    } finally {
      await other.close()
    }
  })
})
