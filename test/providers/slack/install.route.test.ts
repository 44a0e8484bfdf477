/**
 * Installing Slack through the kernel's routes, against the fake Slack:
 *
 * - the deployment's app: OAuth v2 consent, `oauth.v2.access`, `auth.test`; the installation
 *   records the team, bot user, bot id, granted scopes; uninstalling revokes the bot token;
 * - a tenant's own app: a pending registration with its manifest, the credential paste checked
 *   with Slack (a wrong secret or unknown client id refused), the install with that app's
 *   client id, and its events verified with its own signing secret at its own URL;
 * - token rotation: expiring tokens are refreshed ahead of expiry, or after Slack answers
 *   `token_expired`, once for 20 concurrent calls; a dead refresh token revokes the installation.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { Schema } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import type { FakeSlack } from "../../../sandbox/fakes/slack/FakeSlack.ts"
import { handOffOf } from "../../../sandbox/kit/HandOff.ts"
import {
  call,
  deliver,
  deliveryOf,
  failed,
  installSlack,
  sendEvent,
  type SlackKernel,
  type SlackWorld,
  startSlackKernel,
  startSlackWorld
} from "../../support/slack.ts"

const CONCURRENT_CALLS = 20

const Installations = Schema.Struct({
  installations: Schema.Array(Schema.Struct({
    id: Schema.String,
    externalAccountId: Schema.String,
    displayName: Schema.String,
    status: Schema.String,
    registrationId: Schema.NullOr(Schema.String),
    grantedScopes: Schema.Array(Schema.String),
    metadata: Schema.Record(Schema.String, Schema.String)
  }))
})

const installationsOf = async (world: SlackKernel, apiKey: string) =>
  Schema.decodeUnknownSync(Installations)(await (await world.kernel.request("/v1/installations", { apiKey })).json()).installations

/** A mention in a fresh channel and the MCP client of the delivery it causes. */
const agentFor = async (world: SlackKernel, appId?: string): Promise<Client> => {
  const { control } = world.slack
  const ada = control.seedUser({ name: "ada" })
  const channel = control.seedChannel({ name: `c${Math.random().toString(36).slice(2, 8)}`, members: [ada.id], ...(appId ? { bots: [appId] } : {}) })
  const said = control.say({ channel: channel.id, user: ada.id, text: `<@${control.state.apps.get(appId ?? control.app.id)?.botUserId}> hi`, ...(appId ? { appId } : {}) })
  const mention = said.events[1]
  if (mention === undefined) throw new Error("no app_mention")
  await deliver(world, [mention])
  return world.kernel.mcpClient(await deliveryOf(world, String(mention["event_id"])))
}

describe("installing the deployment's Slack app", () => {
  let world: SlackWorld
  afterEach(() => world.close())

  it("records the workspace, bot user, bot id and granted scopes; uninstalling revokes the bot token", async () => {
    world = await startSlackWorld()
    const { control } = world.slack
    const [installation] = await installationsOf(world, world.apiKey)
    expect(installation).toMatchObject({
      externalAccountId: control.team.id,
      displayName: control.team.name,
      status: "active",
      registrationId: null,
      metadata: {
        teamId: control.team.id,
        botUserId: control.app.botUserId,
        botId: control.app.botId,
        appId: control.app.id,
        workspaceUrl: "https://fake-workspace.slack.com/",
        tokenRotation: "disabled",
        isEnterpriseInstall: "false"
      }
    })
    expect(installation?.grantedScopes).toEqual(expect.arrayContaining(["chat:write", "app_mentions:read", "assistant:write"]))
    const token = [...control.state.accessTokens.values()][0]
    expect(token?.revoked).toBe(false)
    const removed = await world.kernel.request(`/v1/installations/${world.installationId}`, { method: "DELETE", apiKey: world.apiKey })
    expect(removed.ok).toBe(true)
    expect(control.calls().map((entry) => entry.method)).toContain("auth.revoke")
    expect(token?.revoked).toBe(true)
  })

})

describe("a deployment without Slack credentials", () => {
  it("lists the provider but answers NotConfigured (503) to installs and webhooks", async () => {
    const bare = await startSlackKernel({ env: { SLACK_CLIENT_ID: "", SLACK_CLIENT_SECRET: "", SLACK_SIGNING_SECRET: "" } })
    try {
      const integrations = await (await bare.kernel.request("/v1/integrations")).text()
      expect(integrations).toContain("mcp_slack_post_message")
      const { apiKey } = await bare.kernel.createTenant("nobody")
      const start = await bare.kernel.request("/install/slack", { apiKey, redirect: "manual" })
      expect(start.status).toBe(503)
      expect(await start.json()).toMatchObject({ error: { reason: "NotConfigured" } })
      const hook = await sendEvent(bare, { type: "url_verification", challenge: "c" })
      expect(hook.status).toBe(503)
    } finally {
      await bare.close()
    }
  })
})

describe("a tenant's own Slack app", () => {
  let world: SlackKernel
  afterEach(() => world.close())

  const register = async (slack: FakeSlack, apiKey: string) => {
    const tenantApp = slack.control.createApp({ name: "Acme Own Bot" })
    const created = await (await world.kernel.request("/v1/registrations", {
      method: "POST",
      apiKey,
      body: JSON.stringify({ providerId: "slack", name: "Acme Own Bot" })
    })).json()
    return { tenantApp, id: String(created.registration.id) }
  }

  const paste = (apiKey: string, id: string, fields: Record<string, string>) =>
    world.kernel.request(`/v1/registrations/${id}/credentials`, { method: "PUT", apiKey, body: JSON.stringify({ fields }) })

  it("checks pasted credentials with Slack, installs with that app, and verifies its events with its own secret", async () => {
    world = await startSlackKernel()
    const { apiKey } = await world.kernel.createTenant("acme")
    const { id, tenantApp } = await register(world.slack, apiKey)
    const good = { clientId: tenantApp.clientId, clientSecret: tenantApp.clientSecret, signingSecret: tenantApp.signingSecret }

    const wrongSecret = await paste(apiKey, id, { ...good, clientSecret: "not-the-secret" })
    expect(wrongSecret.status).toBe(400)
    expect(await wrongSecret.json()).toMatchObject({ error: { reason: "InvalidCredentials", message: expect.stringContaining("Client Secret") } })
    const unknown = await paste(apiKey, id, { ...good, clientId: "999.999" })
    expect(await unknown.json()).toMatchObject({ error: { message: "Slack does not know this Client ID" } })
    expect((await paste(apiKey, id, { ...good, clientId: "not-an-id" })).status).toBe(400)
    const pasted = await paste(apiKey, id, good)
    expect(pasted.status).toBe(200)
    expect(await pasted.json()).toMatchObject({ registration: { id, status: "active", externalAppId: tenantApp.clientId } })
    const listed = await (await world.kernel.request("/v1/registrations", { apiKey })).text()
    expect(listed).not.toContain(tenantApp.clientSecret)
    expect(listed).not.toContain(tenantApp.signingSecret)

    const start = await handOffOf(await world.kernel.request(`/install/slack?registration=${id}`, { apiKey, redirect: "manual" }))
    expect(start.consentUrl.searchParams.get("client_id")).toBe(tenantApp.clientId)
    const installationId = await installSlack(world.kernel, apiKey, { registrationId: id })
    const [installation] = await installationsOf(world, apiKey)
    expect(installation).toMatchObject({ id: installationId, registrationId: id, metadata: { appId: tenantApp.id, botUserId: tenantApp.botUserId } })
    await world.kernel.publish(apiKey, { installationId, agentId: "own", scopes: ["messages:write"], granularity: "thread" })

    const ada = world.slack.control.seedUser({ name: "ada" })
    const channel = world.slack.control.seedChannel({ name: "own", members: [ada.id], bots: [tenantApp.id] })
    const mention = world.slack.control.say({ channel: channel.id, user: ada.id, text: `<@${tenantApp.botUserId}> hi`, appId: tenantApp.id }).events[1]!
    const deploymentSigned = await world.slack.control.sign(mention)
    const wrongSecretHook = await world.kernel.request(`/webhook/slack/${id}`, { method: "POST", headers: deploymentSigned.headers, body: deploymentSigned.body })
    expect(wrongSecretHook.status).toBe(401)
    expect((await sendEvent(world, mention, { appId: tenantApp.id })).status).toBe(401)
    const accepted = await sendEvent(world, mention, { appId: tenantApp.id, path: `/webhook/slack/${id}` })
    expect(accepted.status).toBe(200)
    expect((await deliveryOf(world, String(mention["event_id"]))).dispatch).toMatchObject({ mode: "create", eventType: "app_mention" })

    const client = await world.kernel.mcpClient(await deliveryOf(world, String(mention["event_id"])))
    const posted = await call(client, "post_message", { channel: channel.id, text: "from the tenant's own bot" })
    expect(posted.isError).not.toBe(true)
    expect(world.slack.control.messages(channel.id).at(-1)).toMatchObject({ botId: tenantApp.botId })
    await client.close()
  })
})

describe("token rotation", () => {
  let world: SlackWorld
  const clients: Array<Client> = []
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()))
    await world.close()
  })

  const concurrentLookups = async (client: Client, user: string) => {
    const answers = await Promise.all(Array.from({ length: CONCURRENT_CALLS }, () => call(client, "lookup_user", { user })))
    for (const answer of answers) {
      expect(answer.isError, answer.content.map((part) => part.text).join(" ")).not.toBe(true)
      expect(answer.structuredContent).toMatchObject({ id: user })
    }
  }

  it("after Slack answers token_expired: one refresh for 20 concurrent calls, all succeed", async () => {
    world = await startSlackWorld({}, { tokenRotation: true })
    const { control } = world.slack
    expect((await installationsOf(world, world.apiKey))[0]?.metadata["tokenRotation"]).toBe("enabled")
    const client = await agentFor(world)
    clients.push(client)
    const grace = control.seedUser({ name: "grace" })
    expect(control.expireAll()).toBeGreaterThan(0)
    const before = control.refreshes().length
    await concurrentLookups(client, grace.id)
    expect(control.refreshes().slice(before)).toEqual([expect.objectContaining({ error: null })])
    expect(control.calls().filter((entry) => entry.error === "token_expired").length).toBeGreaterThan(0)
  })

  it("ahead of expiry: one refresh for 20 concurrent calls, no call rejected", async () => {
    world = await startSlackWorld({}, { tokenRotation: true })
    const { control } = world.slack
    const { apiKey } = await world.kernel.createTenant("initech")
    control.setAccessTokenTtl(30)
    const installationId = await installSlack(world.kernel, apiKey)
    control.setAccessTokenTtl(43_200)
    await world.kernel.publish(apiKey, { installationId, agentId: "a2", scopes: ["users:read"], granularity: "thread" })
    const ada = control.seedUser({ name: "ada" })
    const dm = control.openDm(ada.id)
    const [event] = control.say({ channel: dm.id, user: ada.id, text: "hi" }).events
    await deliver(world, [event!])
    const delivery = await world.kernel.eventually(() =>
      world.kernel.deliveries.find((entry) => entry.dispatch.deliveryId === String(event!["event_id"]) && entry.dispatch.agentId === "a2")
    )
    const client = await world.kernel.mcpClient(delivery)
    clients.push(client)
    const before = control.refreshes().length
    const rejectedBefore = control.calls().filter((entry) => entry.error === "token_expired").length
    await concurrentLookups(client, ada.id)
    expect(control.refreshes().slice(before)).toEqual([expect.objectContaining({ error: null })])
    expect(control.calls().filter((entry) => entry.error === "token_expired").length).toBe(rejectedBefore)
  })

  it("a refresh token Slack no longer honours revokes the installation", async () => {
    world = await startSlackWorld({}, { tokenRotation: true })
    const { control } = world.slack
    const client = await agentFor(world)
    clients.push(client)
    control.revokeAll()
    const refused = await failed(client, "lookup_user", { user: control.app.botUserId })
    expect(refused.reason).toBe("Unauthorized")
    expect(refused.message).toContain("invalid_refresh_token")
    expect(control.refreshes().at(-1)).toMatchObject({ error: "invalid_refresh_token" })
    expect((await installationsOf(world, world.apiKey))[0]?.status).toBe("revoked")
  })
})
