/**
 * One Linear session for the MCP tests: the kernel in the test process, an installation, a
 * publication with every scope and one with read scopes only, and a delivery (MCP URL and
 * session token) for each, minted by a real signed webhook; plus the SDK v2 client bound to the
 * in-process kernel in any version-negotiation mode.
 */
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client"
import type { SessionDelivery } from "../../kernel/domain/SessionDispatch.ts"
import { type LinearWorld, sessionCreated, send, startWorld } from "../providers/linear/routeKit.ts"

export interface McpWorld {
  readonly world: LinearWorld
  readonly issueId: string
  /** The delivery to the publication with every scope. */
  readonly full: SessionDelivery
  /** The delivery to the publication with `issues:read` only. */
  readonly narrow: SessionDelivery
}

export const startMcpWorld = async (): Promise<McpWorld> => {
  const world = await startWorld()
  const narrowPublication = await world.kernel.publish(world.apiKey, {
    installationId: world.installationId,
    agentId: "agent-narrow",
    scopes: ["issues:read"],
    granularity: "issue"
  })
  const issue = world.kernel.linear.control.seedIssue({ title: "MCP at the current revision" })
  const { payload } = sessionCreated(world.kernel, issue)
  await send(world, payload, "mcp-world-1")
  const deliveryTo = (publicationId: string) =>
    world.kernel.eventually(() =>
      world.kernel.deliveries.find((delivery) =>
        delivery.dispatch.deliveryId === "mcp-world-1" && delivery.dispatch.publicationId === publicationId
      )
    )
  return { world, issueId: issue.id, full: await deliveryTo(world.publicationId), narrow: await deliveryTo(narrowPublication.id) }
}

export type Negotiation = "legacy" | "auto" | "2026-07-28"

/** The SDK v2 client over the in-process kernel, in the given negotiation mode. */
export const v2Client = async (world: LinearWorld, delivery: SessionDelivery, negotiation: Negotiation): Promise<Client> => {
  const client = new Client({ name: `test-agent-v2-${negotiation}`, version: "1.0.0" }, {
    versionNegotiation: { mode: negotiation === "2026-07-28" ? { pin: "2026-07-28" } : negotiation }
  })
  const transport = new StreamableHTTPClientTransport(new URL(delivery.mcp.url), {
    requestInit: { headers: { authorization: `Bearer ${delivery.mcp.token}` } },
    fetch: (input, init) => world.kernel.app.fetch(new Request(input, init))
  })
  await client.connect(transport)
  return client
}
