/**
 * The server the conformance suite talks to: the whole kernel in this process (the test
 * kernel: better-sqlite3 in memory, Linear pointed at the fake Linear on loopback), a tenant with
 * Linear installed and published with every scope, and a session token minted the real way, by
 * a signed webhook that dispatches. It is served on a loopback port, which the configuration
 * allows as an MCP host and origin (SWITCHBOARD_MCP_ALLOWED_HOSTS / _ORIGINS), since the suite
 * calls a loopback URL and sends that URL's Host and Origin.
 *
 * The suite's client sends no credentials, so the loopback server plays the agent platform's
 * part: it attaches the session's bearer token to every request and changes nothing else (Host
 * and Origin pass through untouched, so the DNS-rebinding scenario probes with a valid token).
 */
import { createServer } from "node:net"
import type { SessionDelivery } from "../../kernel/domain/SessionDispatch.ts"
import { scopes } from "../../providers/linear/publication/Scopes.ts"
import { agentSessionCreated } from "../../sandbox/fakes/linear/payloads.ts"
import { startTestKernel, type TestKernel } from "../../test/support/kernel.ts"
import { serve } from "../../test/support/serve.ts"

export interface ConformanceServer {
  /** The MCP endpoint on loopback, e.g. `http://127.0.0.1:40123/mcp`. */
  readonly url: string
  readonly delivery: SessionDelivery
  readonly kernel: TestKernel
  readonly close: () => Promise<void>
}

/** Every Linear scope, so every Linear tool is listed. */
const SCOPES = scopes.map((scope) => scope.name)

const withBearer = async (request: Request, token: string): Promise<Request> => {
  const headers = new Headers(request.headers)
  headers.set("authorization", `Bearer ${token}`)
  const body = request.method === "GET" || request.method === "HEAD" ? null : await request.arrayBuffer()
  return new Request(request.url, { method: request.method, headers, body })
}

/** A free loopback port, known before the kernel starts so its configuration can name it. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer()
    probe.once("error", reject)
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      probe.close(() => resolve(port))
    })
  })

export const startConformanceServer = async (): Promise<ConformanceServer> => {
  const port = await freePort()
  const kernel = await startTestKernel({
    env: { SWITCHBOARD_MCP_ALLOWED_HOSTS: "127.0.0.1", SWITCHBOARD_MCP_ALLOWED_ORIGINS: `http://127.0.0.1:${port}` }
  })
  try {
    const { apiKey } = await kernel.createTenant("conformance")
    const installationId = await kernel.installLinear(apiKey)
    const publication = await kernel.publish(apiKey, { installationId, agentId: "conformance-agent", scopes: SCOPES, granularity: "issue" })
    const issue = kernel.linear.control.seedIssue({ title: "Conformance" })
    const session = kernel.linear.control.startAgentSession({ issueId: issue.id })
    const webhook = await kernel.linearWebhook(
      agentSessionCreated({
        sessionId: session.id,
        issue: { id: issue.id, identifier: issue.identifier, title: issue.title, teamId: issue.teamId },
        commentBody: "@switchboard conformance"
      }),
      { deliveryId: "conformance-1" }
    )
    if (webhook.status !== 200) throw new Error(`webhook: ${webhook.status} ${await webhook.text()}`)
    const delivery = await kernel.eventually(() =>
      kernel.deliveries.find((entry) => entry.dispatch.publicationId === publication.id)
    )
    const served = await serve(async (request) => kernel.app.fetch(await withBearer(request, delivery.mcp.token)), { port })
    return {
      url: `${served.url}/mcp`,
      delivery,
      kernel,
      close: async () => {
        await served.close()
        await kernel.close()
      }
    }
  } catch (error) {
    await kernel.close()
    throw error
  }
}
