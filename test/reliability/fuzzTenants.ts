/**
 * Two tenants on one in-process kernel, each with its own Linear workspace installed, an agent
 * published and a session token, for the limits and fuzzing tests. The fake Linear serves one
 * organization; it is renamed between the two installs, so tenant B's installation belongs to a
 * second workspace (what the installation records is what the fake reported at install time).
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { Effect, Redacted } from "effect"
import { mkdirSync, writeFileSync } from "node:fs"
import { InstallationId, PublicationId, TenantId } from "../../kernel/domain/Ids.ts"
import { SessionTokens } from "../../kernel/vault/SessionTokens.ts"
import { agentSessionCreated } from "../../sandbox/fakes/linear/payloads.ts"
import { signLinearWebhook } from "../../sandbox/fakes/linear/sign.ts"
import { PUBLIC_URL, startTestKernel, type TestKernel } from "../support/kernel.ts"

export interface Tenant {
  readonly name: "A" | "B"
  readonly tenantId: string
  readonly apiKey: string
  readonly installationId: string
  readonly publicationId: string
  readonly organizationId: string
  /** A session token for this tenant's publication, as a dispatch would carry. */
  readonly sessionToken: string
  /** An issue in the fake Linear the tools can read. */
  readonly issueId: string
  /** The access tokens the fake Linear issued for this tenant's install: its tool calls must use only these. */
  readonly vendorTokens: ReadonlySet<string>
}

export interface TwoTenants {
  readonly kernel: TestKernel
  readonly a: Tenant
  readonly b: Tenant
}

export const SCOPES = ["issues:read", "comments:write"]

export const startTwoTenants = async (env: Record<string, string> = {}): Promise<TwoTenants> => {
  const kernel = await startTestKernel({ env })
  const tokens = SessionTokens.make(Redacted.make(kernel.secrets.signing), PUBLIC_URL)
  const setUp = async (name: "A" | "B", organizationId: string): Promise<Tenant> => {
    Object.assign(kernel.linear.control.organization, { id: organizationId, urlKey: `workspace-${name.toLowerCase()}` })
    const { apiKey, tenantId } = await kernel.createTenant(`tenant-${name}`)
    const before = new Set(kernel.linear.control.state.accessTokens.keys())
    const installationId = await kernel.installLinear(apiKey)
    const vendorTokens = new Set([...kernel.linear.control.state.accessTokens.keys()].filter((token) => !before.has(token)))
    const publicationId = (await kernel.publish(apiKey, { installationId, agentId: `agent-${name}`, scopes: SCOPES, granularity: "issue" })).id
    const minted = await Effect.runPromise(tokens.mint({
      tenantId: TenantId.make(tenantId),
      publicationId: PublicationId.make(publicationId),
      installationId: InstallationId.make(installationId),
      sessionKey: `linear:issue:${name}`,
      scopes: SCOPES
    }))
    const issueId = `issue-${name.toLowerCase()}-0001`
    kernel.linear.control.seedIssue({ id: issueId, title: `Issue of ${name}` })
    return { name, tenantId, apiKey, installationId, publicationId, organizationId, sessionToken: minted.token, issueId, vendorTokens }
  }
  const a = await setUp("A", "org-tenant-a-0000-0000-000000000001")
  const b = await setUp("B", "org-tenant-b-0000-0000-000000000002")
  return { kernel, a, b }
}

/** A signed Linear agent-session delivery for an organization (a new session each time unless named). */
export const linearDelivery = (
  kernel: TestKernel,
  organizationId: string,
  options: { readonly deliveryId?: string; readonly sessionId?: string; readonly issueId?: string; readonly secret?: string } = {}
) =>
  Effect.runPromise(signLinearWebhook({
    secret: options.secret ?? kernel.secrets.webhook,
    payload: agentSessionCreated({
      organizationId,
      sessionId: options.sessionId ?? crypto.randomUUID(),
      issue: { id: options.issueId ?? `issue-${crypto.randomUUID()}`, identifier: "ENG-1" }
    }),
    deliveryId: options.deliveryId
  }))

export const sendSigned = (kernel: TestKernel, signed: { readonly body: string; readonly headers: Readonly<Record<string, string>> }) =>
  kernel.request("/webhook/linear", { method: "POST", headers: signed.headers, body: signed.body })

/** One MCP client per call, as a stateless agent would; closed after. */
export const callTool = async (kernel: TestKernel, token: string, name: string, args: Record<string, unknown>) => {
  const client = new Client({ name: "reliability-agent", version: "1.0.0" })
  const transport = new StreamableHTTPClientTransport(new URL(`${PUBLIC_URL}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
    fetch: (input, init) => kernel.app.fetch(new Request(input, init))
  })
  await client.connect(transport)
  try {
    return await client.callTool({ name, arguments: args })
  } finally {
    await client.close()
  }
}

/** The one-line summary a reliability test leaves in test-artifacts/reliability/ (quiet when green). */
export const writeSummary = (name: string, line: string) => {
  mkdirSync("test-artifacts/reliability", { recursive: true })
  writeFileSync(`test-artifacts/reliability/${name}.txt`, `${line}\n`)
}
