/**
 * Slack helpers for tests that go through the whole kernel (`test/support/kernel.ts`): a fake
 * Slack served on loopback with the provider pointed at it (SLACK_* env), installing through
 * the fake's OAuth consent (auto-approved), signed Events API deliveries through
 * `/webhook/slack`, reading back what the kernel recorded, and calling tools with the MCP SDK
 * client.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { Schema } from "effect"
import { expect } from "vitest"
import type { SessionDelivery } from "../../kernel/domain/SessionDispatch.ts"
import { type FakeSlack, makeFakeSlack } from "../../sandbox/fakes/slack/FakeSlack.ts"
import { PUBLIC_URL, startTestKernel, type TestKernel } from "./kernel.ts"
import { type Served, serve } from "./serve.ts"
import { toolCaller } from "./mcpTools.ts"
import { decidedEvent, storedEvents as storedEventsOf } from "./deliveries.ts"
import { handOffOf } from "../../sandbox/kit/HandOff.ts"

export const SLACK_CLIENT_ID = "1111111111.2222222222"
export const SLACK_CLIENT_SECRET = "slack-client-secret-0001"
export const SLACK_SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"

export const ALL_SCOPES = ["messages:write", "reactions:write", "history:read", "users:read", "channels:read", "files:write"] as const

export interface SlackKernel {
  readonly kernel: TestKernel
  readonly slack: FakeSlack
  readonly server: Served
  readonly close: () => Promise<void>
}

export const startSlackKernel = async (options: { readonly tokenRotation?: boolean; readonly env?: Record<string, string> } = {}): Promise<SlackKernel> => {
  const slack = makeFakeSlack({
    clientId: SLACK_CLIENT_ID,
    clientSecret: SLACK_CLIENT_SECRET,
    signingSecret: SLACK_SIGNING_SECRET,
    tokenRotation: options.tokenRotation ?? false,
    autoApprove: true
  })
  const server = await serve(slack.handler)
  slack.control.allowRedirectUri(`${PUBLIC_URL}/install/slack/callback`)
  const kernel = await startTestKernel({
    env: {
      SLACK_CLIENT_ID,
      SLACK_CLIENT_SECRET,
      SLACK_SIGNING_SECRET,
      SLACK_API_URL: `${server.url}/api`,
      SLACK_OAUTH_URL: server.url,
      ...options.env
    }
  })
  return {
    kernel,
    slack,
    server,
    close: async () => {
      await kernel.close()
      await server.close()
    }
  }
}

const Listed = Schema.Struct({ installations: Schema.Array(Schema.Struct({ id: Schema.String, status: Schema.String })) })

/** Installs the Slack app through the consent (auto-approved); answers the installation id. */
export const installSlack = async (
  kernel: TestKernel,
  apiKey: string,
  options: { readonly registrationId?: string } = {}
): Promise<string> => {
  const query = options.registrationId === undefined ? "" : `?registration=${options.registrationId}`
  const handOff = await handOffOf(await kernel.request(`/install/slack${query}`, { apiKey, redirect: "manual" }))
  const consent = await fetch(handOff.consentUrl, { redirect: "manual" })
  if (consent.status !== 302) throw new Error(`consent: ${consent.status} ${await consent.text()}`)
  const callback = new URL(consent.headers.get("location") ?? "")
  const finished = await kernel.request(`${callback.pathname}${callback.search}`, { redirect: "manual", headers: { cookie: handOff.cookie } })
  if (finished.status !== 200) throw new Error(`install callback: ${finished.status} ${await finished.text()}`)
  const listed = Schema.decodeUnknownSync(Listed)(await (await kernel.request("/v1/installations", { apiKey })).json())
  const last = listed.installations.at(-1)
  if (last === undefined) throw new Error("no installation after the callback")
  return last.id
}

export interface SlackWorld extends SlackKernel {
  readonly apiKey: string
  readonly installationId: string
  readonly publicationId: string
}

export const startSlackWorld = async (
  publication: Record<string, unknown> = {},
  options: { readonly tokenRotation?: boolean } = {}
): Promise<SlackWorld> => {
  const started = await startSlackKernel(options)
  const { apiKey } = await started.kernel.createTenant("acme")
  const installationId = await installSlack(started.kernel, apiKey)
  const { id } = await started.kernel.publish(apiKey, {
    installationId,
    agentId: "agent-1",
    scopes: [...ALL_SCOPES],
    granularity: "thread",
    ...publication
  })
  return { ...started, apiKey, installationId, publicationId: id }
}

export interface SendOptions {
  readonly timestamp?: number
  readonly retryNum?: number
  readonly appId?: string
  readonly path?: string
}

/** Signs a body like Slack (with the app's signing secret) and posts it to the webhook route. */
export const sendEvent = async (world: SlackKernel, payload: unknown, options: SendOptions = {}): Promise<Response> => {
  const signed = await world.slack.control.sign(payload, options)
  return world.kernel.request(options.path ?? "/webhook/slack", { method: "POST", headers: signed.headers, body: signed.body })
}

export const eventIdOf = (payload: Readonly<Record<string, unknown>>): string => {
  const id = payload["event_id"]
  if (typeof id !== "string") throw new Error("the payload has no event_id")
  return id
}

/** Sends each event Slack would deliver and expects Slack's 200s; answers their event ids. */
export const deliver = async (world: SlackKernel, events: ReadonlyArray<Readonly<Record<string, unknown>>>): Promise<Array<string>> => {
  for (const event of events) {
    const response = await sendEvent(world, event)
    expect(response.status, await response.clone().text()).toBe(200)
  }
  return events.map(eventIdOf)
}

export type { EventRow } from "./deliveries.ts"

/** The stored events of a delivery id (one per tenant that installed the account). */
export const storedEvents = (world: SlackWorld, deliveryId: string) => storedEventsOf(world.kernel, world.apiKey, deliveryId)

/** The stored event of a delivery, once the kernel has decided it. */
export const decided = (world: SlackWorld, deliveryId: string) => decidedEvent(world.kernel, world.apiKey, deliveryId)

export const ignoredWith = async (world: SlackWorld, deliveryId: string, reason: string): Promise<void> => {
  const row = await decided(world, deliveryId)
  expect(row.event.status, row.event.reason ?? "").toBe("ignored")
  expect(row.event.reason).toContain(reason)
  expect(world.kernel.deliveries.filter((delivery) => delivery.dispatch.deliveryId === deliveryId)).toEqual([])
}

export const deliveryOf = (world: SlackKernel, deliveryId: string): Promise<SessionDelivery> =>
  world.kernel.eventually(() => world.kernel.deliveries.find((delivery) => delivery.dispatch.deliveryId === deliveryId))

export type { ToolAnswer } from "./mcpTools.ts"
export const { call, ok, failed } = toolCaller("slack")

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
