/**
 * The MCP endpoint (`POST /mcp`) on the official SDK v2 server (`createMcpHandler`): clients of
 * the 2025 revisions (initialize, then one request per POST) and of 2026-07-28 (`server/discover`,
 * a per-request envelope, no initialize) are both served statelessly, one server per request,
 * JSON responses only. Before anything else the Host and Origin headers are checked against the
 * allowlist (`McpGuard`: DNS-rebinding protection), then the bearer session token (see
 * `SessionTokens`): a missing or bad token is 401 with `WWW-Authenticate: Bearer`.
 *
 * `tools/list` shows only the tools the session may call and `tools/call` goes through `Tools`,
 * which checks the scope again. A tool name nobody registered is JSON-RPC -32602 (Invalid
 * params), as the spec asks; every other failure (out of scope, vendor errors, rate limits) is an
 * MCP tool error (`isError: true`) with a clear message, never an HTTP 500. Validation uses the
 * cfworker JSON Schema validator because workerd forbids Ajv's code generation from strings.
 * Not supported: sessions, server-initiated streams, resources, prompts, logging.
 */
import {
  type CallToolResult,
  createMcpHandler,
  ProtocolError,
  ProtocolErrorCode,
  Server,
  type Tool
} from "@modelcontextprotocol/server"
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/server/validators/cf-worker"
import { Context, Effect, Layer, Option, Result, type Schema } from "effect"
import type { HttpClient } from "effect/http"
import type { SessionTokenError, ToolError } from "../domain/Errors.ts"
import { KernelConfig } from "../KernelConfig.ts"
import { Tools } from "../tools/Tools.ts"
import { type SessionClaims, SessionTokens } from "../vault/SessionTokens.ts"
import { McpGuard } from "./McpGuard.ts"

const SERVER_INFO = { name: "switchboard", version: "0.1.0" }

/** An agent may send the dispatch's `deliveryId` here, so tool-call logs share the webhook's correlation id. */
export const correlationHeader = "switchboard-correlation-id"

const bearerToken = (request: Request): Option.Option<string> =>
  Option.fromNullishOr(/^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1])

/** RFC 6750: no error code when no credentials were sent, `invalid_token` when they were refused. */
const unauthorized = (reason: SessionTokenError["reason"], message: string) =>
  new Response(JSON.stringify({ error: { reason, message } }), {
    status: 401,
    headers: {
      "content-type": "application/json",
      "www-authenticate": reason === "Missing"
        ? `Bearer realm="switchboard"`
        : `Bearer realm="switchboard", error="invalid_token", error_description="${reason}"`
    }
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
      const config = yield* KernelConfig
      const publicUrl = new URL(config.publicUrl)
      const guard = McpGuard.make({
        hosts: config.mcpAllowedHosts ?? [publicUrl.hostname],
        origins: config.mcpAllowedOrigins ?? [publicUrl.origin]
      })
      const validator = new CfWorkerJsonSchemaValidator()

      const serverFor = (claims: SessionClaims, run: <A>(effect: Effect.Effect<A, never, HttpClient.HttpClient>) => Promise<A>) => {
        const server = new Server(SERVER_INFO, { capabilities: { tools: {} }, jsonSchemaValidator: validator })
        server.setRequestHandler("tools/list", () =>
          run(
            tools.scopeOf(claims).pipe(
              Effect.map((scope) => scope.tools),
              Effect.catch(() => Effect.succeed([])),
              Effect.map((allowed) => ({
                tools: allowed.map((entry): Tool => ({
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
        server.setRequestHandler("tools/call", async (request) => {
          const name = request.params.name
          const outcome = await run(Effect.result(
            tools.call(claims, name, request.params.arguments ?? {}).pipe(
              Effect.tap(() => Effect.logInfo("tool called", name)),
              Effect.tapError((error) => Effect.logInfo("tool call failed", name, error.reason))
            )
          ))
          if (Result.isSuccess(outcome)) {
            const result = outcome.success
            return server.projectCallToolResult({
              content: [{ type: "text", text: JSON.stringify(result) }],
              ...(isJsonObject(result) ? { structuredContent: result } : {})
            }, undefined)
          }
          // The spec: an unknown tool is a protocol error (Invalid params), not a tool result.
          if (outcome.failure.reason === "UnknownTool") {
            throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${name}`, { reason: "UnknownTool" })
          }
          return toolErrorResult(outcome.failure)
        })
        return server
      }

      const handle = Effect.fn("Mcp.handle")(function*(request: Request) {
        const refused = guard.check(request)
        if (refused !== undefined) return refused
        const token = bearerToken(request)
        if (Option.isNone(token)) return unauthorized("Missing", "Send the session token as a bearer token")
        const verified = yield* Effect.result(sessionTokens.verify(token.value))
        if (Result.isFailure(verified)) return unauthorized(verified.failure.reason, verified.failure.message)
        const context = yield* Effect.context<HttpClient.HttpClient>()
        const run = <A>(effect: Effect.Effect<A, never, HttpClient.HttpClient>) => Effect.runPromiseWith(context)(effect)
        // Stateless: a handler (and a server) for this request only, bound to its session's claims.
        // The tools emit no notifications, so every answer is one JSON body, whole when `fetch`
        // resolves: closing the handler then drops nothing.
        return yield* Effect.acquireUseRelease(
          Effect.sync(() =>
            createMcpHandler(() => serverFor(verified.success, run), {
              legacy: "stateless",
              keepAliveMs: 0,
              maxRequestBodySize: config.maxBodyBytes
            })
          ),
          (handler) => Effect.promise(() => handler.fetch(request)),
          (handler) => Effect.promise(() => handler.close())
        )
      })

      return Mcp.of({
        handle: (request) =>
          handle(request).pipe(Effect.annotateLogs({ correlationId: request.headers.get(correlationHeader)?.slice(0, 200) ?? "none" }))
      })
    })
  )
}
