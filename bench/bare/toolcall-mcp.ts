/**
 * The bare baseline for the tool-call bench: the MCP SDK v2 server on Bun.serve, stateless, one
 * tool that posts the same GraphQL query to the fake vendor (VENDOR_URL) and returns its teams.
 * No token, no database, no scope check: the SDK's own cost plus the vendor call. PORT.
 */
import { createMcpHandler, Server } from "@modelcontextprotocol/server"
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/server/validators/cf-worker"

interface BunServe {
  readonly serve: (options: { readonly port: number; readonly hostname: string; readonly fetch: (request: Request) => Promise<Response> }) => unknown
}
const Bun = (globalThis as unknown as { readonly Bun: BunServe }).Bun

const vendor = `${process.env["VENDOR_URL"]}/graphql`
const query = "query ListTeams { teams(first: 100) { nodes { id key name states { nodes { id name type position } } } } }"
const validator = new CfWorkerJsonSchemaValidator()

const handler = createMcpHandler(() => {
  const server = new Server({ name: "bare", version: "0.0.0" }, { capabilities: { tools: {} }, jsonSchemaValidator: validator })
  server.setRequestHandler("tools/list", () => ({
    tools: [{ name: "mcp_linear_list_teams", inputSchema: { type: "object" as const, properties: {} } }]
  }))
  server.setRequestHandler("tools/call", async () => {
    const response = await fetch(vendor, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer bare" },
      body: JSON.stringify({ query })
    })
    const text = await response.text()
    return { content: [{ type: "text" as const, text }] }
  })
  return server
}, { legacy: "stateless", keepAliveMs: 0 })

Bun.serve({ port: Number(process.env["PORT"]), hostname: "127.0.0.1", fetch: (request) => handler.fetch(request) })
