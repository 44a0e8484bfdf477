/**
 * Tool execution for an MCP session. The session token's claims are the only identity: the
 * publication and installation are read under the token's tenant, so a token can never reach
 * another tenant's rows. A tool is listed and callable only when its scope is in both the
 * token's scopes and the publication's current scopes (a scope removed after minting takes
 * effect at once). Tokens are decrypted here, refreshed ahead of expiry, and refreshed once
 * more (single flight) when the vendor rejects them. Each tenant's calls are limited (`Limits`):
 * past the limit the agent gets a `RateLimited` tool error carrying the seconds to wait.
 */
import { Context, Effect, Exit, Layer, Option } from "effect"
import type { HttpClient } from "effect/http"
import { ToolError } from "../domain/Errors.ts"
import type { TokenSet } from "../domain/Credentials.ts"
import type { Installation } from "../domain/Installation.ts"
import type { Publication } from "../domain/Publication.ts"
import { InstallationTokens } from "../install/InstallationTokens.ts"
import { Limits } from "../limits/Limits.ts"
import type { ToolResult } from "../provider/Tool.ts"
import { type RegisteredTool, Registry } from "../registry/Registry.ts"
import { PublicationStore } from "../store/PublicationStore.ts"
import { RateLimitGateStore } from "../store/RateLimitGateStore.ts"
import { sharedGate } from "./SharedGate.ts"
import type { SessionClaims } from "../vault/SessionTokens.ts"
import type { VersionedSecret } from "../store/InstallationStore.ts"
import * as Metrics from "../observability/Metrics.ts"
import { spanWhenTraced } from "../observability/Spans.ts"
import { ToolCallCounts } from "../observability/ToolCallCounts.ts"

export interface SessionScope {
  readonly installation: Installation
  /** The installation's stored secret, read with it. */
  readonly secret: Option.Option<VersionedSecret>
  readonly publication: Publication
  readonly tools: ReadonlyArray<RegisteredTool>
}

const toolError = (reason: ToolError["reason"], message: string) => new ToolError({ reason, message })

export class Tools extends Context.Service<Tools, {
  /** The installation, publication and allowed tools of a session; fails when they are gone. */
  readonly scopeOf: (claims: SessionClaims) => Effect.Effect<SessionScope, ToolError>
  readonly call: (
    claims: SessionClaims,
    mcpName: string,
    input: unknown
  ) => Effect.Effect<ToolResult, ToolError, HttpClient.HttpClient>
}>()("switchboard/tools/Tools") {
  static readonly layer = Layer.effect(
    Tools,
    Effect.gen(function*() {
      const registry = yield* Registry
      const gates = yield* RateLimitGateStore
      const publications = yield* PublicationStore
      const tokens = yield* InstallationTokens
      const limits = yield* Limits
      const toolCallCounts = yield* ToolCallCounts

      const storeFailure = () => toolError("VendorError", "Switchboard's storage is unavailable; try again shortly")

      const scopeOf = Effect.fnUntraced(function*(claims: SessionClaims) {
        // One read for the tenant, the publication and the installation (every call, so that a
        // narrowed scope, a paused publication or a disabled tenant counts at once).
        const reach = yield* publications.sessionReach(claims.tenantId, claims.publicationId, claims.installationId).pipe(
          Effect.mapError(storeFailure)
        )
        // Session tokens minted before the tenant was disabled stop working with it.
        if (Option.isNone(reach.tenant) || reach.tenant.value.disabledAt !== null) {
          return yield* toolError("Unauthorized", "This session's tenant is disabled or removed")
        }
        const publication = reach.publication
        if (Option.isNone(publication) || publication.value.installationId !== claims.installationId) {
          return yield* toolError("NotFound", "This session's publication no longer exists")
        }
        if (publication.value.status !== "active") {
          return yield* toolError("InstallationRevoked", "This session's publication is paused")
        }
        const installation = reach.installation
        // Stryker disable next-line all: a publication references its installation (a foreign key), so only a race with the tenant's deletion gets here
        if (Option.isNone(installation)) return yield* toolError("NotFound", "This session's installation no longer exists")
        if (installation.value.status !== "active") {
          return yield* toolError("InstallationRevoked", "The installation was revoked; reinstall it to use its tools")
        }
        const allowed = new Set(claims.scopes.filter((scope) => publication.value.scopes.includes(scope)))
        const tools = registry.tools.filter((entry) =>
          entry.provider.id === installation.value.providerId && allowed.has(entry.tool.scope)
        )
        return { installation: installation.value, secret: reach.secret, publication: publication.value, tools }
      }, spanWhenTraced("Tools.scopeOf"))

      const call = Effect.fnUntraced(function*(claims: SessionClaims, mcpName: string, input: unknown) {
        const registered = registry.findTool(mcpName)
        if (Option.isNone(registered)) return yield* toolError("UnknownTool", `No tool named ${mcpName}`)
        // Before any storage or vendor work, so a flood costs neither.
        yield* limits.admitToolCall(claims.tenantId).pipe(
          Effect.mapError((exceeded) =>
            new ToolError({ reason: "RateLimited", message: exceeded.message, retryAfterSeconds: exceeded.retryAfterSeconds })
          )
        )
        const scope = yield* scopeOf(claims)
        if (!scope.tools.some((entry) => entry.mcpName === mcpName)) {
          return yield* toolError(
            "OutOfScope",
            `${mcpName} needs the scope "${registered.value.tool.scope}", which this publication does not grant`
          )
        }
        const credentialFailure = (error: { readonly message: string }) =>
          toolError("Unauthorized", `The installation's credentials are not usable: ${error.message}`)
        const run = (current: TokenSet) =>
          registered.value.tool.run(input, {
            installation: scope.installation,
            publication: scope.publication,
            sessionKey: claims.sessionKey,
            accessToken: current.accessToken,
            tokens: current,
            sharedGate: sharedGate(gates, scope.installation.providerId)
          })
        const current = yield* tokens.get(scope.installation, scope.secret).pipe(Effect.mapError(credentialFailure))
        return yield* run(current).pipe(
          Effect.catchIf(
            (error) => error.reason === "Unauthorized",
            () =>
              tokens.refreshAfterRejection(scope.installation, current).pipe(
                Effect.mapError(credentialFailure),
                Effect.flatMap(run)
              )
          )
        )
      }, (effect, claims, mcpName) =>
        effect.pipe(
          // Unknown names are counted under one label, so callers cannot mint new series.
          Effect.onExit((exit) => {
            const tool = registry.findTool(mcpName)
            const providerId = Option.match(tool, { onNone: () => "unknown", onSome: (entry) => entry.provider.id })
            return Effect.andThen(
              Metrics.count(Metrics.toolCalls, {
                provider: providerId,
                tool: Option.isSome(tool) ? mcpName : "unknown",
                outcome: Exit.isSuccess(exit)
                  ? "ok"
                  : Option.getOrElse(Option.map(Exit.findErrorOption(exit), (error) => error.reason), () => "defect")
              }),
              toolCallCounts.record(claims.tenantId, providerId, Exit.isSuccess(exit))
            )
          })
        ), spanWhenTraced("Tools.call"))

      return Tools.of({ scopeOf, call })
    })
  )
}
