/**
 * What the people and systems around Switchboard do in the suite, over HTTP only: the operator
 * creates tenants, a tenant admin installs Linear through the fake's consent page and publishes
 * an agent, Linear sends signed webhooks, the agent connects with the official MCP SDK client.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { Schema } from "effect"
import { assert } from "vitest"
import type { FakeIssue } from "../../providers/testing/fakes/linear/FakeLinearState.ts"
import { agentSessionCreated, agentSessionPrompted } from "../../providers/testing/fakes/linear/payloads.ts"
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
    assert.strictEqual(start.status, 302, start.text)
    const authorize = new URL(start.headers.get("location") ?? "")
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

    const done = await http(`${callback.pathname}${callback.search}`)
    assert.strictEqual(done.status, 302, done.text)
    const back = new URL(done.headers.get("location") ?? "")
    assert.strictEqual(`${back.origin}${back.pathname}`, returnUrl)
    const installationId = back.searchParams.get("installation")
    assert.isString(installationId)

    // The state is single use: the same callback again is refused, politely.
    const again = await http(`${callback.pathname}${callback.search}`)
    assert.isTrue(again.status >= 400 && again.status < 500, `replayed callback answered ${again.status}: ${again.text}`)
    return installationId!
  }

  const createPublication = async (
    apiKey: string,
    installationId: string,
    agentId: string,
    scopes: ReadonlyArray<string>
  ): Promise<string> => {
    const answer = await http("/v1/publications", {
      method: "POST",
      bearer: apiKey,
      json: { installationId, agentId, scopes, granularity: "issue" }
    })
    assert.strictEqual(answer.status, 201, answer.text)
    return decode(PublicationCreated, answer).publication.id
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

  return { send, postWebhook, sessionCreated, sessionPrompted, createTenant, installLinear, createPublication, mcpClient }
}
