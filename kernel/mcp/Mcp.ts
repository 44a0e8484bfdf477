/**
 * The MCP endpoint (`POST /mcp`). Before anything else the Host and Origin headers are checked
 * against the allowlist (`McpGuard`: DNS-rebinding protection), then the bearer session token
 * (see `SessionTokens`): a missing or bad token is 401 with `WWW-Authenticate: Bearer`. The
 * protocol itself is `McpServer` (the official SDK v2, stateless, JSON responses), loaded on the
 * first request that gets this far and kept for the process: loading it costs more than
 * everything else at start, and a webhook-only process never needs it.
 * Not supported: sessions, server-initiated streams, resources, prompts, logging.
 */
import { Context, Effect, Layer, Option, Result } from "effect"
import type { HttpClient } from "effect/http"
import type { SessionTokenError } from "../domain/Errors.ts"
import { KernelConfig } from "../KernelConfig.ts"
import { spanWhenTraced } from "../observability/Spans.ts"
import { Tools } from "../tools/Tools.ts"
import { SessionTokens } from "../vault/SessionTokens.ts"
import { McpGuard } from "./McpGuard.ts"
import type { McpServerHandler, McpSession } from "./McpServer.ts"
import { VerifiedSessions } from "./VerifiedSessions.ts"

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
      const verify = VerifiedSessions.make(sessionTokens.verify)

      // Loaded once, on first use; closed with the layer (the app's dispose) if it was loaded.
      let loading: Promise<McpServerHandler> | undefined
      const server = Effect.promise(() => {
        loading ??= import("./McpServer.ts").then((module) => module.make({ maxBodyBytes: config.maxBodyBytes }))
        return loading
      })
      yield* Effect.addFinalizer(() =>
        loading === undefined ? Effect.void : Effect.promise(() => loading!.then((handler) => handler.close()).catch(() => {}))
      )

      const handle = Effect.fnUntraced(function*(request: Request) {
        const refused = guard.check(request)
        if (refused !== undefined) return refused
        const token = bearerToken(request)
        if (Option.isNone(token)) return unauthorized("Missing", "Send the session token as a bearer token")
        const verified = yield* Effect.result(verify(token.value))
        if (Result.isFailure(verified)) return unauthorized(verified.failure.reason, verified.failure.message)
        const claims = verified.success
        const run = Effect.runPromiseWith(yield* Effect.context<HttpClient.HttpClient>())
        const session: McpSession = {
          publicationId: claims.publicationId,
          scopes: claims.scopes,
          listTools: () =>
            run(tools.scopeOf(claims).pipe(
              Effect.map((scope) => scope.tools),
              Effect.catch(() => Effect.succeed([]))
            )),
          callTool: (name, input) =>
            run(tools.call(claims, name, input).pipe(
              Effect.tap(() => Effect.logInfo("tool called", name)),
              Effect.tapError((error) => Effect.logInfo("tool call failed", name, error.reason)),
              Effect.match({
                onSuccess: (result) => ({ ok: true as const, result }),
                onFailure: (error) => ({ ok: false as const, error })
              })
            ))
        }
        const handler = yield* server
        return yield* Effect.promise(() => handler.fetch(request, session))
      }, spanWhenTraced("Mcp.handle"))

      return Mcp.of({
        handle: (request) =>
          handle(request).pipe(Effect.annotateLogs({ correlationId: request.headers.get(correlationHeader)?.slice(0, 200) ?? "none" }))
      })
    })
  )
}
