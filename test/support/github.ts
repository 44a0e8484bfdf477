/**
 * GitHub helpers for tests that go through the whole kernel (`test/support/kernel.ts`): a fake
 * GitHub served on loopback with the provider pointed at it (GITHUB_API_URL, GITHUB_WEB_URL),
 * the manifest flow and the installation flow walked the way a browser walks them, signed
 * deliveries through `/webhook/github/<registration>`, reading back what the kernel recorded,
 * and calling tools with the MCP SDK client.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { Schema } from "effect"
import { expect } from "vitest"
import type { SessionDelivery } from "../../kernel/domain/SessionDispatch.ts"
import { type FakeGitHub, makeFakeGitHub } from "../../sandbox/fakes/github/FakeGitHub.ts"
import type { FakeApp, FakeRepo } from "../../sandbox/fakes/github/FakeGitHubState.ts"
import type { Delivery, Where } from "../../sandbox/fakes/github/payloads.ts"
import { signGitHubWebhook } from "../../sandbox/fakes/github/sign.ts"
import { PUBLIC_URL, startTestKernel, type TestKernel } from "./kernel.ts"
import { type Served, serve } from "./serve.ts"
import { toolCaller } from "./mcpTools.ts"
import { decidedEvent, type EventRow as DecidedRow } from "./deliveries.ts"
import { handOffOf } from "../../sandbox/kit/HandOff.ts"

export const ALL_SCOPES = [
  "issues:read",
  "issues:write",
  "comments:write",
  "pulls:read",
  "pulls:write",
  "contents:read",
  "contents:write",
  "search:read"
] as const

export interface GitHubKernel {
  readonly kernel: TestKernel
  readonly github: FakeGitHub
  readonly server: Served
  readonly close: () => Promise<void>
}

/** `env` may be made from the fake, for settings that name what exists in it (a deployment's App). */
export const startGitHubKernel = async (
  options: { readonly env?: (github: FakeGitHub) => Promise<Record<string, string>> } = {}
): Promise<GitHubKernel> => {
  const github = makeFakeGitHub()
  const server = await serve(github.handler)
  const env = options.env === undefined ? {} : await options.env(github)
  const kernel = await startTestKernel({ env: { GITHUB_API_URL: server.url, GITHUB_WEB_URL: server.url, ...env } })
  return {
    kernel,
    github,
    server,
    close: async () => {
      await kernel.close()
      await server.close()
    }
  }
}

const unescapeHtml = (text: string) => text.replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code)))

/** The auto-submitting form the kernel answers a manifest flow start with. */
export const readForm = (html: string): { readonly action: string; readonly fields: Record<string, string> } => {
  const action = /<form method="post" action="([^"]*)"/.exec(html)?.[1]
  if (action === undefined) throw new Error(`no form in ${html}`)
  const fields = Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((match) => [unescapeHtml(match[1] ?? ""), unescapeHtml(match[2] ?? "")])
  )
  return { action: unescapeHtml(action), fields }
}

const pathOf = (location: string) => {
  const url = new URL(location, PUBLIC_URL)
  return `${url.pathname}${url.search}`
}

const location = (response: Response): string => {
  const value = response.headers.get("location")
  if (response.status !== 302 || value === null) throw new Error(`expected a redirect, got ${response.status}`)
  return value
}

/**
 * The manifest flow as the admin's browser walks it: the kernel's auto-posting form to GitHub,
 * GitHub's redirect back with a code, the kernel's conversion and its redirect into installing.
 */
export const createAppByManifest = async (world: GitHubKernel, apiKey: string, name = "Switchboard Acme") => {
  const start = await world.kernel.request(`/install/github/app?name=${encodeURIComponent(name)}`, { apiKey })
  expect(start.status, await start.clone().text()).toBe(200)
  const form = readForm(await start.text())
  const created = await fetch(form.action, { method: "POST", body: new URLSearchParams(form.fields), redirect: "manual" })
  const callback = location(created)
  expect(callback.startsWith(`${PUBLIC_URL}/install/github/app/callback?`)).toBe(true)
  const finished = await world.kernel.request(pathOf(callback), { redirect: "manual" })
  const next = location(finished)
  const registrationId = new URL(next, PUBLIC_URL).searchParams.get("registration") ?? ""
  const app = world.github.control.apps().at(-1)
  if (app === undefined) throw new Error("the fake made no app")
  return { registrationId, installPath: pathOf(next), app, form }
}

/** The install page's approve (or request) path, then the kernel's setup callback. */
export const installApp = async (
  world: GitHubKernel,
  installPath: string,
  options: { readonly account: string; readonly step?: "approve" | "request" }
): Promise<Response> => {
  const handOff = await handOffOf(await world.kernel.request(installPath, { redirect: "manual" }))
  const page = handOff.consentUrl
  const step = new URL(`${page.pathname}/${options.step ?? "approve"}${page.search}`, page)
  step.searchParams.set("account", options.account)
  const setup = await fetch(step, { redirect: "manual" })
  return world.kernel.request(pathOf(location(setup)), { redirect: "manual", headers: { cookie: handOff.cookie } })
}

const Listed = Schema.Struct({
  installations: Schema.Array(Schema.Struct({ id: Schema.String, status: Schema.String, externalAccountId: Schema.String }))
})

export const installations = async (kernel: TestKernel, apiKey: string) =>
  Schema.decodeUnknownSync(Listed)(await (await kernel.request("/v1/installations", { apiKey })).json()).installations

export interface GitHubWorld extends GitHubKernel {
  readonly apiKey: string
  readonly registrationId: string
  readonly app: FakeApp
  readonly repo: FakeRepo
  readonly installationId: string
  readonly githubInstallationId: number
  readonly publicationId: string
  readonly where: (sender?: string) => Where
}

/** A tenant with its own App (manifest flow), installed on `acme`, one repository, one publication. */
export const startWorld = async (publication: Record<string, unknown> = {}): Promise<GitHubWorld> => {
  const world = await startGitHubKernel()
  const { apiKey } = await world.kernel.createTenant("acme-tenant")
  const repo = await world.github.control.seedRepo("acme/widgets", { files: { "README.md": "# widgets\n", "src/app.ts": "export const answer = 41\n" } })
  const { app, installPath, registrationId } = await createAppByManifest(world, apiKey)
  const installed = await installApp(world, installPath, { account: "acme" })
  expect(installed.status, await installed.clone().text()).toBe(200)
  const [installation] = await installations(world.kernel, apiKey)
  if (installation === undefined) throw new Error("no installation")
  const { id } = await world.kernel.publish(apiKey, {
    installationId: installation.id,
    agentId: "agent-1",
    scopes: [...ALL_SCOPES],
    granularity: "issue",
    ...publication
  })
  const githubInstallationId = Number(installation.externalAccountId)
  return {
    ...world,
    apiKey,
    registrationId,
    app,
    repo,
    installationId: installation.id,
    githubInstallationId,
    publicationId: id,
    where: (sender = "octocat") => ({ state: world.github.control.state, repo, installationId: githubInstallationId, sender })
  }
}

/** Signs a delivery with an app's secret and posts it to its registration's webhook URL. */
export const sendTo = async (
  kernel: TestKernel,
  target: { readonly registrationId: string; readonly app: FakeApp },
  delivery: Delivery,
  options: { readonly deliveryId?: string; readonly secret?: string; readonly path?: string } = {}
): Promise<Response> => {
  const signed = await signGitHubWebhook({
    secret: options.secret ?? target.app.webhookSecret,
    event: delivery.event,
    payload: delivery.payload,
    deliveryId: options.deliveryId,
    appId: target.app.id
  })
  return kernel.request(options.path ?? `/webhook/github/${target.registrationId}`, {
    method: "POST",
    headers: signed.headers,
    body: signed.body
  })
}

export const send = (
  world: GitHubWorld,
  delivery: Delivery,
  options: { readonly deliveryId?: string; readonly secret?: string; readonly path?: string } = {}
): Promise<Response> => sendTo(world.kernel, world, delivery, options)

/** Sends and expects GitHub's 2xx. */
export const deliver = async (world: GitHubWorld, delivery: Delivery, deliveryId: string) => {
  const response = await send(world, delivery, { deliveryId })
  expect(response.status, await response.clone().text()).toBe(200)
  return response
}

export type { EventRow } from "./deliveries.ts"

/** The stored event of a delivery, once the kernel has decided it. */
export const decided = (world: GitHubWorld, deliveryId: string) => decidedEvent(world.kernel, world.apiKey, deliveryId)

export const ignoredWith = async (world: GitHubWorld, deliveryId: string, reason: string | RegExp): Promise<DecidedRow> => {
  const row = await decided(world, deliveryId)
  expect(row.event.status).toBe("ignored")
  expect(row.event.reason ?? "").toMatch(reason)
  expect(world.kernel.deliveries.filter((delivery) => delivery.dispatch.deliveryId === deliveryId)).toEqual([])
  return row
}

export const deliveryOf = (world: GitHubWorld, deliveryId: string): Promise<SessionDelivery> =>
  world.kernel.eventually(() => world.kernel.deliveries.find((delivery) => delivery.dispatch.deliveryId === deliveryId))

export type { ToolAnswer } from "./mcpTools.ts"
export const { call, ok, failed } = toolCaller("github")
