/**
 * Helpers for the Jira tests that go through the whole kernel (`test/support/kernel.ts`): a fake
 * Jira served on loopback with the provider pointed at it, a tenant with Jira installed (OAuth
 * through the fake's consent, or credential paste) and a publication, signed deliveries through
 * `/webhook/jira`, reading back what the kernel recorded, and tools through the MCP SDK client.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { Schema } from "effect"
import { expect } from "vitest"
import type { SessionDelivery } from "../../../kernel/domain/SessionDispatch.ts"
import * as JiraProvider from "../../../providers/jira/JiraProvider.ts"
import { type FakeJira, makeFakeJira } from "../../../sandbox/fakes/jira/FakeJira.ts"
import type { FakeIssue } from "../../../sandbox/fakes/jira/FakeJiraState.ts"
import { fixtureOf, type IssueFixture } from "../../../sandbox/fakes/jira/payloads.ts"
import { signJiraWebhook } from "../../../sandbox/fakes/jira/sign.ts"
import { installByOAuth, installByPaste } from "../../../sandbox/kit/KitInstall.ts"
import { callTool, type ToolAnswer } from "../../../sandbox/kit/KitKernelReads.ts"
import { startTestKernel, type TestKernel } from "../../support/kernel.ts"
import { type Served, serve } from "../../support/serve.ts"
import { decidedEvent } from "../../support/deliveries.ts"

export const WEBHOOK_SECRET = "jira-webhook-secret-current"
export const OLD_WEBHOOK_SECRET = "jira-webhook-secret-previous"

export const ALL_SCOPES = ["issues:read", "issues:search", "issues:write", "issues:assign", "issues:transition", "comments:write", "labels:write"]

export interface JiraKernel {
  readonly kernel: TestKernel
  readonly jira: FakeJira
  readonly server: Served
  readonly close: () => Promise<void>
}

export const startJiraKernel = async (options: { readonly env?: Record<string, string> } = {}): Promise<JiraKernel> => {
  const jira = makeFakeJira({ autoApprove: true })
  const server = await serve(jira.handler)
  const kernel = await startTestKernel({
    providers: [JiraProvider.make],
    env: {
      JIRA_CLIENT_ID: jira.control.clientId,
      JIRA_CLIENT_SECRET: jira.control.clientSecret,
      JIRA_WEBHOOK_SECRET: `${WEBHOOK_SECRET},${OLD_WEBHOOK_SECRET}`,
      JIRA_AUTH_URL: server.url,
      JIRA_API_URL: server.url,
      JIRA_SITE_HOSTS: new URL(server.url).host,
      ...options.env
    }
  })
  return {
    kernel,
    jira,
    server,
    close: async () => {
      await kernel.close()
      await server.close()
    }
  }
}

const Installations = Schema.Struct({ installations: Schema.Array(Schema.Struct({ id: Schema.String, status: Schema.String, externalAccountId: Schema.String, metadata: Schema.Record(Schema.String, Schema.String) })) })

export const installations = async (kernel: TestKernel, apiKey: string) =>
  Schema.decodeUnknownSync(Installations)(await (await kernel.request("/v1/installations", { apiKey })).json()).installations

export type InstallType = "oauth" | "paste"

export const install = async (world: JiraKernel, apiKey: string, type: InstallType): Promise<string> => {
  const kit = { kernel: world.kernel, fake: world.jira, fakeUrl: world.server.url, apiKey }
  if (type === "oauth") await installByOAuth(kit, "jira")
  else await installByPaste(kit, "jira", { siteUrl: world.server.url, email: world.jira.control.agent.emailAddress, apiToken: world.jira.control.apiToken })
  const last = (await installations(world.kernel, apiKey)).at(-1)
  if (last === undefined) throw new Error("no installation after the install")
  return last.id
}

export interface JiraWorld extends JiraKernel {
  readonly apiKey: string
  readonly installationId: string
  readonly publicationId: string
}

export const startWorld = async (
  options: { readonly install?: InstallType; readonly publication?: Record<string, unknown>; readonly env?: Record<string, string> } = {}
): Promise<JiraWorld> => {
  const started = await startJiraKernel({ env: options.env ?? {} })
  const { apiKey } = await started.kernel.createTenant("acme")
  const installationId = await install(started, apiKey, options.install ?? "oauth")
  const { id } = await started.kernel.publish(apiKey, {
    installationId,
    agentId: "agent-1",
    scopes: ALL_SCOPES,
    granularity: "issue",
    ...options.publication
  })
  return { ...started, apiKey, installationId, publicationId: id }
}

export const fixture = (world: JiraKernel, issue: FakeIssue): IssueFixture => fixtureOf(world.jira.control.state, issue)

/** Signs a payload like Jira and posts it to `/webhook/jira`. */
export const send = async (
  world: JiraKernel,
  payload: Readonly<Record<string, unknown>> | string,
  deliveryId: string,
  secret = WEBHOOK_SECRET
): Promise<Response> => {
  const signed = await signJiraWebhook({ secret, payload, deliveryId })
  return world.kernel.request("/webhook/jira", { method: "POST", headers: signed.headers, body: signed.body })
}

/** Sends and expects Jira's 200. */
export const deliver = async (world: JiraKernel, payload: Readonly<Record<string, unknown>>, deliveryId: string) => {
  const response = await send(world, payload, deliveryId)
  expect(response.status, await response.clone().text()).toBe(200)
}

export type { EventRow } from "../../support/deliveries.ts"

/** The stored event of a delivery, once the kernel has decided it. */
export const decided = (world: JiraWorld, deliveryId: string, apiKey = world.apiKey) =>
  decidedEvent(world.kernel, apiKey, deliveryId)

export const ignoredWith = async (world: JiraWorld, deliveryId: string, reason: string): Promise<void> => {
  const row = await decided(world, deliveryId)
  expect(row.event.status, row.event.reason ?? "").toBe("ignored")
  expect(row.event.reason).toContain(reason)
  expect(world.kernel.deliveries.filter((delivery) => delivery.dispatch.deliveryId === deliveryId)).toEqual([])
}

export const deliveryOf = (world: JiraKernel, deliveryId: string, publicationId?: string): Promise<SessionDelivery> =>
  world.kernel.eventually(() =>
    world.kernel.deliveries.find((delivery) =>
      delivery.dispatch.deliveryId === deliveryId && (publicationId === undefined || delivery.dispatch.publicationId === publicationId)
    )
  )

export const call = (client: Client, name: string, args: Record<string, unknown>): Promise<ToolAnswer> => callTool(client, `mcp_jira_${name}`, args)

const Structured = Schema.Record(Schema.String, Schema.Unknown)

/** A tool's successful structured answer; fails the test with the tool's message otherwise. */
export const ok = async (client: Client, name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> => {
  const answer = await call(client, name, args)
  expect(answer.isError, answer.text).toBe(false)
  return Schema.decodeUnknownSync(Structured)(answer.structured)
}

const Failure = Schema.Struct({ error: Schema.Struct({ reason: Schema.String, message: Schema.String, retryAfterSeconds: Schema.optional(Schema.Number) }) })

/** A tool's error answer, decoded. */
export const failed = async (client: Client, name: string, args: Record<string, unknown>) => {
  const answer = await call(client, name, args)
  expect(answer.isError, answer.text).toBe(true)
  return Schema.decodeUnknownSync(Failure)(answer.structured).error
}
