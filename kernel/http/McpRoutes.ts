/**
 * `POST /mcp`: MCP Streamable HTTP, stateless. GET (server-initiated streams) and DELETE
 * (session end) have no meaning without sessions, so they answer 405 as the spec allows.
 *
 * `mcpFetch` serves the common call (a POST to `/mcp` with a declared length within the limit)
 * on the web Request itself, outside the router: the same handler, access-log line and security
 * headers, without the router's request and response conversions, which cost a tool call about a
 * sixth of its CPU on Bun. The SDK's Response goes out as it is, headers added in place. Every
 * other request to `/mcp` (no declared length, too large, another method) goes through the router.
 */
import { Effect, Layer } from "effect"
import { HttpServerResponse } from "effect/http"
import { KernelConfig } from "../KernelConfig.ts"
import { Mcp } from "../mcp/Mcp.ts"
import { withAccessLog } from "./AccessLog.ts"
import { webRequest } from "./Requests.ts"
import { errorJson, guard } from "./Respond.ts"
import { route } from "./Route.ts"
import { bodyLimit, tooLarge, withSecurityHeaders, withSecurityHeadersWeb } from "./SecurityHeaders.ts"

const notAllowed = Effect.succeed(
  HttpServerResponse.setHeader(errorJson(405, "MethodNotAllowed", "This MCP endpoint is stateless: POST only"), "allow", "POST")
)

/**
 * The SDK's Response goes out as it is (a raw body), with its status and headers copied out for
 * the middleware (access log, security headers). `fromWeb` would pipe its body through an Effect
 * Stream and back into a ReadableStream: a fifth of a tool call's CPU on Bun.
 */
const answer = (request: Request) =>
  Effect.flatMap(Mcp, (mcp) =>
    Effect.map(mcp.handle(request), (answered) =>
      HttpServerResponse.raw(answered, { status: answered.status, headers: answered.headers })))

export const McpRoutes = Layer.mergeAll(
  route("POST", "/mcp", guard(Effect.flatMap(webRequest, answer))),
  route("GET", "/mcp", notAllowed),
  route("DELETE", "/mcp", notAllowed)
)

/** `/mcp` alone: the router's path (a query string does not change the route). */
const MCP_PATH = /^[a-z][a-z0-9+.-]*:\/\/[^/]+\/mcp(?:[?#]|$)/i

/** What the router would answer, as a web Response: the SDK's own with the headers added. */
const toWeb = (response: HttpServerResponse.HttpServerResponse): Response => {
  const body = response.body
  return body._tag === "Raw" && body.body instanceof Response
    ? withSecurityHeadersWeb(body.body)
    : HttpServerResponse.toWeb(withSecurityHeaders(response))
}

/**
 * `POST /mcp` on a web Request: `undefined` when the router should serve it (not a POST to
 * `/mcp`, or no declared length: the router's middleware reads such a body under the limit).
 */
export const mcpFetch = (request: Request) => {
  if (request.method !== "POST" || !MCP_PATH.test(request.url)) return undefined
  const declared = request.headers.get("content-length")
  if (declared === null) return undefined
  return KernelConfig.use((config) => {
    const limit = bodyLimit("/mcp", config)
    const handled = limit !== undefined && Number(declared) > limit ? Effect.succeed(tooLarge(limit)) : guard(answer(request))
    return Effect.map(withAccessLog(config.accessLog, "POST", "/mcp", handled), toWeb)
  })
}
