/**
 * `POST /mcp`: MCP Streamable HTTP, stateless. GET (server-initiated streams) and DELETE
 * (session end) have no meaning without sessions, so they answer 405 as the spec allows.
 */
import { Effect, Layer } from "effect"
import { HttpServerResponse } from "effect/http"
import { Mcp } from "../mcp/Mcp.ts"
import { webRequest } from "./Requests.ts"
import { errorJson, guard } from "./Respond.ts"
import { route } from "./Route.ts"

const notAllowed = Effect.succeed(
  HttpServerResponse.setHeader(errorJson(405, "MethodNotAllowed", "This MCP endpoint is stateless: POST only"), "allow", "POST")
)

export const McpRoutes = Layer.mergeAll(
  route(
    "POST",
    "/mcp",
    guard(Effect.gen(function*() {
      const mcp = yield* Mcp
      const answer = yield* mcp.handle(yield* webRequest)
      // The SDK's Response goes out as it is (a raw body), with its status and headers copied out
      // for the middleware (access log, security headers). `fromWeb` would pipe its body through
      // an Effect Stream and back into a ReadableStream: a fifth of a tool call's CPU on Bun.
      return HttpServerResponse.raw(answer, { status: answer.status, headers: answer.headers })
    }))
  ),
  route("GET", "/mcp", notAllowed),
  route("DELETE", "/mcp", notAllowed)
)
