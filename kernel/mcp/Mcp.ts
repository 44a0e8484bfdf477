/**
 * The MCP endpoint (`POST /mcp`): Streamable HTTP in stateless mode with JSON responses, on the
 * official SDK's web-standard transport, one server per request. The bearer is a session token
 * (see `SessionTokens`); `tools/list` shows only the tools the session may call and
 * `tools/call` goes through `Tools`, which checks the scope again. Tool failures are MCP tool
 * errors (`isError: true`) with a clear message, never HTTP 500s. Validation uses the
 * cfworker JSON Schema validator because workerd forbids Ajv's code generation.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js"
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js"
import { CallToolRequestSchema, type CallToolResult, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js"
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker"
import { Context, Effect, Layer, Option, Result, type Schema } from "effect"
import type { HttpClient } from "effect/http"
import type { SessionTokenError, ToolError } from "../domain/Errors.ts"
import { Tools } from "../tools/Tools.ts"
import { type SessionClaims, SessionTokens } from "../vault/SessionTokens.ts"

const SERVER_INFO = { name: "switchboard", version: "0.1.0" }

/** An agent may send the dispatch's `deliveryId` here, so tool-call logs share the webhook's correlation id. */
export const correlationHeader = "switchboard-correlation-id"

const bearerToken = (request: Request): Option.Option<string> =>
  Option.fromNullishOr(/^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1])

const unauthorized = (reason: SessionTokenError["reason"], message: string) =>
  new Response(JSON.stringify({ error: { reason, message } }), {
    status: 401,
    headers: { "content-type": "application/json", "www-authenticate": `Bearer error="invalid_token"` }
  })

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

export class Mcp extends Context.Service<Mcp, {
  readonly handle: (request: Request) => Effect.Effect<Response, never, HttpClient.HttpClient>
}>()("switchboard/mcp/Mcp") {
  static readonly layer = Layer.effect(
    Mcp,
    Effect.gen(function*() {
      const sessionTokens = yield* SessionTokens
      const tools = yield* Tools
      const validator = new CfWorkerJsonSchemaValidator()

      const serverFor = (claims: SessionClaims, run: <A>(effect: Effect.Effect<A, never, HttpClient.HttpClient>) => Promise<A>) => {
        const server = new Server(SERVER_INFO, { capabilities: { tools: {} }, jsonSchemaValidator: validator })
        server.setRequestHandler(ListToolsRequestSchema, () =>
          run(
            tools.scopeOf(claims).pipe(
              Effect.map((scope) => scope.tools),
              Effect.catch(() => Effect.succeed([])),
              Effect.map((allowed) => ({
                tools: allowed.map((entry) => ({
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
                }))
              }))
            )
          ))
        server.setRequestHandler(CallToolRequestSchema, (request) =>
          run(
            tools.call(claims, request.params.name, request.params.arguments ?? {}).pipe(
              Effect.tap(() => Effect.logInfo("tool called", request.params.name)),
              Effect.tapError((error) => Effect.logInfo("tool call failed", request.params.name, error.reason)),
              Effect.map((result): CallToolResult => ({
                content: [{ type: "text", text: JSON.stringify(result) }],
                ...(isJsonObject(result) ? { structuredContent: result } : {})
              })),
              Effect.catch((error) => Effect.succeed(toolErrorResult(error)))
            )
          ))
        return server
      }

      const handle = Effect.fn("Mcp.handle")(function*(request: Request) {
        const token = bearerToken(request)
        if (Option.isNone(token)) return unauthorized("Missing", "Send the session token as a bearer token")
        const verified = yield* Effect.result(sessionTokens.verify(token.value))
        if (Result.isFailure(verified)) return unauthorized(verified.failure.reason, verified.failure.message)
        const context = yield* Effect.context<HttpClient.HttpClient>()
        const server = serverFor(verified.success, (effect) => Effect.runPromiseWith(context)(effect))
        // Stateless: no session id, JSON responses; the server lives for this request only.
        const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true })
        return yield* Effect.acquireUseRelease(
          Effect.promise(() => server.connect(transport)),
          () => Effect.promise(() => transport.handleRequest(request)),
          () => Effect.promise(() => server.close())
        )
      })

      return Mcp.of({
        handle: (request) =>
          handle(request).pipe(Effect.annotateLogs({ correlationId: request.headers.get(correlationHeader)?.slice(0, 200) ?? "none" }))
      })
    })
  )
}
