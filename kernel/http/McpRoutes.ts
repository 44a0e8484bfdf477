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
      return HttpServerResponse.fromWeb(yield* mcp.handle(yield* webRequest))
    }))
  ),
  route("GET", "/mcp", notAllowed),
  route("DELETE", "/mcp", notAllowed)
)
