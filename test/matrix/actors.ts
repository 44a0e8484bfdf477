/**
 * What the people and systems around Switchboard do in the suite, over HTTP only: the operator
 * creates tenants, a tenant admin installs Linear through the fake's consent page (Slack through
 * the fake's OAuth; GitHub by creating the tenant's own App from Switchboard's manifest and
 * installing it, as a browser walks those pages) and publishes an agent, the vendors send signed
 * webhooks, the agent connects with the official MCP SDK client.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { Schema } from "effect"
import { assert } from "vitest"
import type { Delivery } from "../../sandbox/fakes/github/payloads.ts"
import type { FakeApp } from "../../sandbox/fakes/github/FakeGitHubState.ts"
import { signGitHubWebhook } from "../../sandbox/fakes/github/sign.ts"
import type { FakeIssue } from "../../sandbox/fakes/linear/FakeLinearState.ts"
import { agentSessionCreated, agentSessionPrompted } from "../../sandbox/fakes/linear/payloads.ts"
import { readHandOff } from "../../sandbox/kit/HandOff.ts"
import { decode } from "./client.ts"
import type { RuntimeClient } from "./client.ts"
import type { SignedWebhook, WebhookOptions } from "./fakes.ts"
import type { MatrixContext } from "./harness.ts"
import type { ReceivedDelivery } from "./SessionReceiver.ts"

const TenantCreated = Schema.Struct({
  tenant: Schema.Struct({ id: Schema.String, name: Schema.String }),
  apiKey: Schema.String
})
const PublicationCreated = Schema.Struct({ publication: Schema.Struct({ id: Schema.String }) })

export interface Tenant {
  readonly id: string
  readonly apiKey: string
}

const issueFixture = (issue: FakeIssue) => ({
  id: issue.id,
  identifier: issue.identifier,
  title: issue.title,
  description: issue.description ?? "",
  teamId: issue.teamId,
  teamKey: "ENG"
})

const unescapeHtml = (text: string) => text.replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code)))

/**
 * The auto-submitting form Switchboard answers a manifest flow start with (action and hidden
 * fields). As `readForm` in test/support/github.ts, which is not imported here: it would load the
 * whole in-process kernel (about 1.5 s) into a suite that only speaks HTTP.
 */
const readForm = (html: string): { readonly action: string; readonly fields: Record<string, string> } => {
  const action = /<form method="post" action="([^"]*)"/.exec(html)?.[1]
  assert.isDefined(action, `no form in ${html}`)
  const fields = Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((match) => [
      unescapeHtml(match[1] ?? ""),
      unescapeHtml(match[2] ?? "")
    ])
  )
  return { action: unescapeHtml(action!), fields }
}

export const makeActors = (context: () => MatrixContext, client: RuntimeClient) => {
  const { http } = client
  const linear = () => context().fakes.linear

  const send = (path: string, signed: SignedWebhook) =>
    http(path, { method: "POST", headers: signed.headers, body: signed.body })

  const postWebhook = async (payload: Readonly<Record<string, unknown>>, options: WebhookOptions = {}) =>
    send("/webhook/linear", await linear().webhook(payload, options))

  const sessionCreated = (issue: FakeIssue, sessionId: string, prompt: string) =>
    agentSessionCreated({
      organizationId: linear().control.organization.id,
      appUserId: linear().control.appUser.id,
      sessionId,
      issue: issueFixture(issue),
      commentBody: prompt,
      promptContext: `<issue identifier="${issue.identifier}"><title>${issue.title}</title></issue>\n${prompt}`
    })

  const sessionPrompted = (issue: FakeIssue, sessionId: string, message: string) =>
    agentSessionPrompted({
      organizationId: linear().control.organization.id,
      appUserId: linear().control.appUser.id,
      sessionId,
      issue: issueFixture(issue),
      body: message
    })

  const createTenant = async (name: string): Promise<Tenant> => {
    const answer = await http("/v1/tenants", { method: "POST", bearer: context().secrets.adminToken, json: { name } })
    assert.strictEqual(answer.status, 201, answer.text)
    const created = decode(TenantCreated, answer)
    assert.match(created.apiKey, /^sbk_/)
    return { id: created.tenant.id, apiKey: created.apiKey }
  }

  /** OAuth install through the fake's consent page; returns the new installation's id. */
  const installLinear = async (apiKey: string): Promise<string> => {
    const returnUrl = `${context().baseUrl}/installed`
    const start = await http(`/install/linear?returnUrl=${encodeURIComponent(returnUrl)}`, { bearer: apiKey })
    assert.strictEqual(start.status, 200, start.text)
    // Switchboard's hand-off page first: it names the provider, and its Continue link goes to the vendor.
    const handOff = readHandOff(start)
    assert.include(handOff.html, "Connect Linear to Switchboard")
    const authorize = handOff.consentUrl
    assert.strictEqual(authorize.origin, linear().url)
    assert.strictEqual(authorize.pathname, "/oauth/authorize")
    assert.strictEqual(authorize.searchParams.get("client_id"), context().secrets.linearClientId)

    const consent = await fetch(authorize)
    assert.strictEqual(consent.status, 200)
    assert.include(await consent.text(), "Authorize")
    const form = new URLSearchParams(authorize.searchParams)
    form.set("decision", "approve")
    const approved = await fetch(`${linear().url}/oauth/authorize/approve`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form,
      redirect: "manual"
    })
    assert.strictEqual(approved.status, 302)
    const callback = new URL(approved.headers.get("location") ?? "")
    assert.strictEqual(callback.origin, context().baseUrl)
    assert.strictEqual(callback.pathname, "/install/linear/callback")

    const done = await http(`${callback.pathname}${callback.search}`, { headers: { cookie: handOff.cookie } })
    assert.strictEqual(done.status, 302, done.text)
    const back = new URL(done.headers.get("location") ?? "")
    assert.strictEqual(`${back.origin}${back.pathname}`, returnUrl)
    const installationId = back.searchParams.get("installation")
    assert.isString(installationId)

    // The state is single use: the same callback again is refused, politely.
    const again = await http(`${callback.pathname}${callback.search}`, { headers: { cookie: handOff.cookie } })
    assert.isTrue(again.status >= 400 && again.status < 500, `replayed callback answered ${again.status}: ${again.text}`)
    return installationId!
  }

  const createPublication = async (
    apiKey: string,
    installationId: string,
    agentId: string,
    scopes: ReadonlyArray<string>,
    granularity = "issue"
  ): Promise<string> => {
    const answer = await http("/v1/publications", {
      method: "POST",
      bearer: apiKey,
      json: { installationId, agentId, scopes, granularity }
    })
    assert.strictEqual(answer.status, 201, answer.text)
    return decode(PublicationCreated, answer).publication.id
  }

  /** The redirect's target, resolved against the runtime (Switchboard redirects within itself by path). */
  const redirectOf = (answer: { readonly status: number; readonly headers: Headers; readonly text: string }) => {
    assert.strictEqual(answer.status, 302, answer.text)
    return new URL(answer.headers.get("location") ?? "", context().baseUrl)
  }
  const pathOf = (url: URL) => `${url.pathname}${url.search}`
  const installationOf = (back: URL, returnUrl: string) => {
    assert.strictEqual(`${back.origin}${back.pathname}`, returnUrl)
    const installationId = back.searchParams.get("installation")
    assert.isString(installationId)
    return installationId!
  }

  /** Slack with the deployment's app: OAuth through the fake (its consent approves at once). */
  const installSlack = async (apiKey: string): Promise<string> => {
    const slack = context().fakes.slack
    const redirectUri = `${context().baseUrl}/install/slack/callback`
    // Only this runtime's callback: the consent refuses any other redirect_uri.
    if (!(slack.control.app.redirectUris ?? []).includes(redirectUri)) slack.control.allowRedirectUri(redirectUri)
    const returnUrl = `${context().baseUrl}/installed`
    const handOff = readHandOff(await http(`/install/slack?returnUrl=${encodeURIComponent(returnUrl)}`, { bearer: apiKey }))
    const authorize = handOff.consentUrl
    assert.strictEqual(`${authorize.origin}${authorize.pathname}`, `${slack.url}/oauth/v2/authorize`)
    assert.strictEqual(authorize.searchParams.get("client_id"), context().secrets.slackClientId)
    assert.strictEqual(authorize.searchParams.get("redirect_uri"), redirectUri)
    const consent = await fetch(authorize, { redirect: "manual" })
    assert.strictEqual(consent.status, 302, await consent.text())
    const callback = new URL(consent.headers.get("location") ?? "")
    assert.strictEqual(`${callback.origin}${callback.pathname}`, redirectUri)
    return installationOf(redirectOf(await http(pathOf(callback), { headers: { cookie: handOff.cookie } })), returnUrl)
  }

  /** An Events API request for `payload`, signed with the deployment app's signing secret. */
  const slackEvent = async (payload: unknown, options: { readonly timestamp?: number } = {}) =>
    send("/webhook/slack", await context().fakes.slack.control.sign(payload, options))

  /**
   * The GitHub manifest flow as the admin's browser walks it: Switchboard's auto-posting form to
   * the fake's "new app" page, its redirect back with a code, the conversion into the App's
   * credentials (stored as the tenant's registration), and the redirect on into installing it.
   */
  const createGitHubApp = async (apiKey: string, name: string) => {
    const { baseUrl } = context()
    const github = context().fakes.github
    const returnUrl = `${baseUrl}/installed`
    const start = await http(`/install/github/app?name=${encodeURIComponent(name)}&returnUrl=${encodeURIComponent(returnUrl)}`, {
      bearer: apiKey
    })
    assert.strictEqual(start.status, 200, start.text)
    const form = readForm(start.text)
    assert.isTrue(form.action.startsWith(`${github.url}/settings/apps/new?state=`), form.action)
    const created = await fetch(form.action, { method: "POST", body: new URLSearchParams(form.fields), redirect: "manual" })
    assert.strictEqual(created.status, 302, await created.text())
    const callback = new URL(created.headers.get("location") ?? "")
    assert.strictEqual(`${callback.origin}${callback.pathname}`, `${baseUrl}/install/github/app/callback`)
    const next = redirectOf(await http(pathOf(callback)))
    assert.strictEqual(next.pathname, "/install/github")
    const registrationId = next.searchParams.get("registration")
    assert.isString(registrationId)
    const app = github.control.apps().at(-1)
    assert.isDefined(app, "the fake made no app")
    return { registrationId: registrationId!, app: app!, manifest: JSON.parse(form.fields["manifest"] ?? "{}") as unknown, installPath: pathOf(next), returnUrl }
  }

  /** The App's install page on the fake, approved for `account`, then Switchboard's setup callback. */
  const installGitHubApp = async (installPath: string, returnUrl: string, account: string): Promise<string> => {
    const github = context().fakes.github
    const handOff = readHandOff(await http(installPath))
    const page = handOff.consentUrl
    assert.strictEqual(page.origin, github.url)
    const approve = new URL(`${page.pathname}/approve${page.search}`, page)
    approve.searchParams.set("account", account)
    const setup = await fetch(approve, { redirect: "manual" })
    assert.strictEqual(setup.status, 302, await setup.text())
    const callback = new URL(setup.headers.get("location") ?? "")
    assert.strictEqual(`${callback.origin}${callback.pathname}`, `${context().baseUrl}/install/github/callback`)
    assert.strictEqual(callback.searchParams.get("setup_action"), "install")
    return installationOf(redirectOf(await http(pathOf(callback), { headers: { cookie: handOff.cookie } })), returnUrl)
  }

  /** A delivery signed with the App's webhook secret, to its registration's webhook URL. */
  const githubWebhook = async (
    target: { readonly registrationId: string; readonly app: FakeApp },
    delivery: Delivery,
    deliveryId: string
  ) => {
    const signed = await signGitHubWebhook({
      secret: target.app.webhookSecret,
      event: delivery.event,
      payload: delivery.payload,
      deliveryId,
      appId: target.app.id
    })
    return send(`/webhook/github/${target.registrationId}`, signed)
  }

  /** The agent's side: the official SDK client on the delivery's MCP URL and bearer token. */
  const mcpClient = async (delivery: ReceivedDelivery): Promise<Client> => {
    const mcp = new Client({ name: "switchboard-matrix", version: "1.0.0" })
    const transport = new StreamableHTTPClientTransport(new URL(delivery.delivery.mcp.url), {
      requestInit: { headers: { authorization: `Bearer ${delivery.delivery.mcp.token}` } },
      fetch: client.fetch
    })
    await mcp.connect(transport)
    return mcp
  }

  return {
    send,
    postWebhook,
    sessionCreated,
    sessionPrompted,
    createTenant,
    installLinear,
    createPublication,
    installSlack,
    slackEvent,
    createGitHubApp,
    installGitHubApp,
    githubWebhook,
    mcpClient
  }
}
