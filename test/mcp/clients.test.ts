/**
 * Acceptance 6 (clients): the MCP SDK v1 client and the v2 client in each negotiation mode
 * (legacy, auto, pinned to 2026-07-28) connect to `/mcp` statelessly, see only their
 * publication's tools, call them, get tool errors for refused calls and JSON-RPC -32602 for a
 * tool nobody registered.
 */
import type { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { SessionDelivery } from "../../kernel/domain/SessionDispatch.ts"
import { type ToolClient, toolCaller } from "../support/mcpTools.ts"
import { type McpWorld, type Negotiation, startMcpWorld, v2Client } from "./world.ts"

const linear = toolCaller("linear")

interface Connected {
  readonly client: ToolClient & {
    readonly listTools: () => Promise<{ readonly tools: ReadonlyArray<{ readonly name: string }> }>
    readonly close: () => Promise<void>
  }
  /** The revision the client ended up speaking (v1 clients speak only the 2025 ones and do not say which). */
  readonly revision: string | undefined
}

const clients: ReadonlyArray<{
  readonly name: string
  readonly revision: RegExp | undefined
  readonly connect: (mcp: McpWorld, delivery: SessionDelivery) => Promise<Connected>
}> = [
  {
    name: "SDK v1 client",
    revision: undefined,
    connect: async (mcp, delivery) => {
      const client: V1Client = await mcp.world.kernel.mcpClient(delivery)
      expect(client.getServerVersion()?.name).toBe("switchboard")
      return { client, revision: undefined }
    }
  },
  ...(["legacy", "auto", "2026-07-28"] as const).map((negotiation: Negotiation) => ({
    name: `SDK v2 client (${negotiation})`,
    revision: negotiation === "legacy" ? /^2025-/ : /^2026-07-28$/,
    connect: async (mcp: McpWorld, delivery: SessionDelivery): Promise<Connected> => {
      const client = await v2Client(mcp.world, delivery, negotiation)
      return { client, revision: client.getNegotiatedProtocolVersion() }
    }
  }))
]

describe("MCP clients of every revision", () => {
  let mcp: McpWorld
  let allTools: ReadonlyArray<string>

  beforeAll(async () => {
    mcp = await startMcpWorld()
    const reference = await clients[0]!.connect(mcp, mcp.full)
    allTools = (await reference.client.listTools()).tools.map((tool) => tool.name).sort()
    await reference.client.close()
  })
  afterAll(async () => {
    await mcp.world.kernel.close()
  })

  for (const kind of clients) {
    it(`${kind.name}: lists and calls tools; refused calls are tool errors, unknown tools -32602`, async () => {
      const full = await kind.connect(mcp, mcp.full)
      const narrow = await kind.connect(mcp, mcp.narrow)
      try {
        if (kind.revision !== undefined) {
          expect(full.revision).toMatch(kind.revision)
          expect(narrow.revision).toMatch(kind.revision)
        }

        const listed = (await full.client.listTools()).tools.map((tool) => tool.name).sort()
        expect(listed).toEqual(allTools)
        expect(listed).toContain("mcp_linear_create_comment")
        const narrowListed = (await narrow.client.listTools()).tools.map((tool) => tool.name).sort()
        expect(narrowListed).toContain("mcp_linear_get_issue")
        expect(narrowListed).not.toContain("mcp_linear_create_comment")

        expect(await linear.ok(full.client, "get_issue", { issueId: mcp.issueId })).toMatchObject({ id: mcp.issueId })
        expect(await linear.ok(narrow.client, "get_issue", { issueId: mcp.issueId })).toMatchObject({ id: mcp.issueId })
        const before = mcp.world.kernel.linear.control.comments().length
        expect(await linear.ok(full.client, "create_comment", { issueId: mcp.issueId, body: kind.name })).toMatchObject({})
        expect(mcp.world.kernel.linear.control.comments().length).toBe(before + 1)

        expect((await linear.failed(narrow.client, "create_comment", { issueId: mcp.issueId, body: "no" })).reason).toBe("OutOfScope")
        expect((await linear.failed(full.client, "create_comment", { issueId: mcp.issueId })).reason).toBe("InvalidInput")
        expect(mcp.world.kernel.linear.control.comments().length).toBe(before + 1)

        expect(await linear.refused(full.client, "no_such_tool", {})).toMatchObject({ code: -32602, data: { reason: "UnknownTool" } })
      } finally {
        await full.client.close()
        await narrow.client.close()
      }
    })
  }
})
