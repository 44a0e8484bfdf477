/**
 * The MCP protocol itself, on the official SDK v2 server (`createMcpHandler`): clients of the
 * 2025 revisions (initialize, then one request per POST) and of 2026-07-28 (`server/discover`,
 * a per-request envelope, no initialize) are both served statelessly, JSON responses only.
 * `Mcp` imports this module on the first `/mcp` request, not at load: the SDK and zod build
 * hundreds of protocol schemas when evaluated, which cost every start (and every Worker
 * isolate) although most never serve a tool call.
 *
 * One handler serves every request. The SDK still wants a server per request (a stateless server
 * answers one exchange), so the factory builds it for the session that `fetch` was given: the
 * session travels as the request's `authInfo`, which the SDK hands back to the factory untouched.
 * `tools/list` shows only the tools the session may call and `tools/call` goes through `Tools`,
 * which checks the scope again. A tool name nobody registered is JSON-RPC -32602 (Invalid
 * params), as the spec asks; every other failure is an MCP tool error (`isError: true`).
 * Validation uses the cfworker JSON Schema validator because workerd forbids Ajv's code
 * generation from strings.
 */
import {
  type AuthInfo,
  type CallToolResult,
  createMcpHandler,
  ProtocolError,
  ProtocolErrorCode,
  Server,
  type Tool
} from "@modelcontextprotocol/server"
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/server/validators/cf-worker"
import type { Schema } from "effect"
import type { ToolError } from "../domain/Errors.ts"
import type { ToolResult } from "../provider/Tool.ts"
import type { RegisteredTool } from "../registry/Registry.ts"

const SERVER_INFO = { name: "switchboard", version: "0.1.0" }

/**
 * What one verified session may do, as plain promises: handed to `fetch` with each request.
 * No Effect at run time in this module, on purpose: a bundler wraps every module reachable from
 * a lazy import for deferred evaluation, and Effect's modules must stay out of that set.
 */
export interface McpSession {
  /** The tools the session may call (none when its publication is gone). */
  readonly listTools: () => Promise<ReadonlyArray<RegisteredTool>>
  readonly callTool: (name: string, input: unknown) => Promise<
    { readonly ok: true; readonly result: ToolResult } | { readonly ok: false; readonly error: ToolError }
  >
  /** Who the session belongs to, for the SDK's `authInfo` (never used for a decision). */
  readonly publicationId: string
  readonly scopes: ReadonlyArray<string>
}

export interface McpServerHandler {
  readonly fetch: (request: Request, session: McpSession) => Promise<Response>
  readonly close: () => Promise<void>
}

const isJsonObject = (value: Schema.Json): value is Schema.JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const toolErrorResult = (error: ToolError): CallToolResult => ({
  isError: true,
  content: [{
    type: "text",
    text: error.retryAfterSeconds === undefined
      ? `${error.reason}: ${error.message}`
      : `${error.reason}: ${error.message} (retry after ${error.retryAfterSeconds} s)`
  }],
  structuredContent: {
    error: {
      reason: error.reason,
      message: error.message,
      ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds })
    }
  }
})

/** A tool as MCP lists it; built once per registered tool, not per `tools/list`. */
const listedTools = new WeakMap<RegisteredTool, Tool>()
const listed = (entry: RegisteredTool): Tool => {
  const known = listedTools.get(entry)
  if (known !== undefined) return known
  const tool: Tool = {
    name: entry.mcpName,
    title: entry.tool.title,
    description: entry.tool.description,
    inputSchema: { type: "object" as const, ...entry.tool.inputJsonSchema },
    annotations: {
      title: entry.tool.title,
      readOnlyHint: entry.tool.annotations.readOnly,
      destructiveHint: entry.tool.annotations.destructive,
      idempotentHint: entry.tool.annotations.idempotent,
      openWorldHint: true
    }
  }
  listedTools.set(entry, tool)
  return tool
}

export const make = (options: { readonly maxBodyBytes: number }): McpServerHandler => {
  // Stateless servers never validate a tool's output against a schema of ours, but the SDK asks
  // for a validator: one, shared, instead of the default (Ajv, which workerd refuses).
  const validator = new CfWorkerJsonSchemaValidator()
  const sessions = new WeakMap<AuthInfo, McpSession>()

  const serverFor = (session: McpSession) => {
    const server = new Server(SERVER_INFO, { capabilities: { tools: {} }, jsonSchemaValidator: validator })
    server.setRequestHandler("tools/list", async () => ({ tools: (await session.listTools()).map(listed) }))
    server.setRequestHandler("tools/call", async (request) => {
      const name = request.params.name
      const outcome = await session.callTool(name, request.params.arguments ?? {})
      if (outcome.ok) {
        const result = outcome.result
        return server.projectCallToolResult({
          content: [{ type: "text", text: JSON.stringify(result) }],
          ...(isJsonObject(result) ? { structuredContent: result } : {})
        }, undefined)
      }
      // The spec: an unknown tool is a protocol error (Invalid params), not a tool result.
      if (outcome.error.reason === "UnknownTool") {
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${name}`, { reason: "UnknownTool" })
      }
      return toolErrorResult(outcome.error)
    })
    return server
  }

  // The tools emit no notifications, so every answer is one JSON body, whole when `fetch` resolves.
  const handler = createMcpHandler(({ authInfo }) => {
    const session = authInfo === undefined ? undefined : sessions.get(authInfo)
    // Only `fetch` below calls the handler, always with a session: this is a broken invariant.
    if (session === undefined) throw new Error("MCP request without a verified session")
    return serverFor(session)
  }, {
    legacy: "stateless",
    keepAliveMs: 0,
    // No server-initiated streams: `subscriptions/listen` is refused (a JSON-RPC error) rather
    // than held open on a handler that lives as long as the process.
    maxSubscriptions: 0,
    maxRequestBodySize: options.maxBodyBytes
  })

  return {
    fetch: (request, session) => {
      const authInfo: AuthInfo = { token: "session", clientId: session.publicationId, scopes: [...session.scopes] }
      sessions.set(authInfo, session)
      return handler.fetch(request, { authInfo })
    },
    close: () => handler.close()
  }
}
