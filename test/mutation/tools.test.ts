/**
 * Tool calls under a session token's claims: the tenant, publication and installation must be
 * there and active, a tool is callable only when its scope is in the token AND in the
 * publication's current scopes (narrowing binds tokens minted before it), calls are limited per
 * tenant, and a token the vendor rejects is refreshed once.
 */
import { describe, expect, it } from "@effect/vitest"
import { type Context, Effect, Layer } from "effect"
import { StoreError } from "../../kernel/domain/Errors.ts"
import { TestClock } from "effect/testing"
import { InstallationId, PublicationId, TenantId } from "../../kernel/domain/Ids.ts"
import { Revocation } from "../../kernel/install/Revocation.ts"
import { PublicationStore } from "../../kernel/store/PublicationStore.ts"
import { TenantStore } from "../../kernel/store/TenantStore.ts"
import { Tools } from "../../kernel/tools/Tools.ts"
import type { SessionClaims } from "../../kernel/vault/SessionTokens.ts"
import { installWorld, NOW, seed, tenantA, Vendor } from "./world.ts"

const inWorld = <A, E, R>(body: (vendor: Vendor) => Effect.Effect<A, E, R>, toolCallsPerMinute = 0) => {
  const vendor = new Vendor()
  return Effect.gen(function*() {
    yield* TestClock.setTime(NOW)
    return yield* body(vendor)
  }).pipe(Effect.provide(installWorld(vendor, { tenantLimits: { webhooksPerMinute: 0, toolCallsPerMinute } })))
}

/** A seeded widgets installation and publication, and claims for them. */
const session = (vendor: Vendor, scopes: ReadonlyArray<string> = ["widgets:read", "widgets:write"], tenantId = tenantA) =>
  Effect.map(seed({ tokens: vendor.tokens("tok"), tenantId }), (seeded) => ({
    ...seeded,
    claims: {
      tenantId,
      publicationId: seeded.publication.id,
      installationId: seeded.installation.id,
      sessionKey: "widgets:thing:1",
      scopes,
      expiresAt: NOW / 1000 + 3600
    } satisfies SessionClaims
  }))

const names = (scope: { readonly tools: ReadonlyArray<{ readonly mcpName: string }> }) => scope.tools.map((tool) => tool.mcpName)

describe("Tools.scopeOf", () => {
  it.effect("lists the provider's tools whose scope the token and the publication both grant", () =>
    inWorld((vendor) =>
      Effect.gen(function*() {
        const tools = yield* Tools
        const { claims, installation, publication } = yield* session(vendor)
        const scope = yield* tools.scopeOf(claims)
        expect(scope.installation.id).toBe(installation.id)
        expect(scope.publication.id).toBe(publication.id)
        // gadgets declares a tool with the same scope name: another provider's tools never show.
        expect(names(scope)).toEqual(["mcp_widgets_read", "mcp_widgets_write"])
        expect(names(yield* tools.scopeOf({ ...claims, scopes: ["widgets:read"] }))).toEqual(["mcp_widgets_read"])
        yield* (yield* PublicationStore).update(tenantA, publication.id, { scopes: ["widgets:write"] }, NOW)
        expect(names(yield* tools.scopeOf(claims))).toEqual(["mcp_widgets_write"])
        expect(names(yield* tools.scopeOf({ ...claims, scopes: ["widgets:read"] }))).toEqual([])
      })))

  it.effect("refuses a disabled or removed tenant, a missing or foreign publication, a paused one, a revoked installation", () =>
    inWorld((vendor) =>
      Effect.gen(function*() {
        const tools = yield* Tools
        const { claims, installation } = yield* session(vendor)
        const refusal = (overrides: Partial<SessionClaims>) => Effect.flip(tools.scopeOf({ ...claims, ...overrides }))
        expect(yield* refusal({ tenantId: TenantId.make("ten_nobody") })).toMatchObject({
          reason: "Unauthorized",
          message: "This session's tenant is disabled or removed"
        })
        expect(yield* refusal({ publicationId: PublicationId.make("pub_gone") })).toMatchObject({
          reason: "NotFound",
          message: "This session's publication no longer exists"
        })
        // A publication is read with the installation the token names: a token for another installation finds none.
        expect(yield* refusal({ installationId: InstallationId.make("ins_other") })).toMatchObject({
          reason: "NotFound",
          message: "This session's publication no longer exists"
        })
        // Another tenant's claims never reach tenant A's rows.
        const other = yield* session(vendor, ["widgets:read"], TenantId.make("ten_b"))
        expect(yield* refusal({ tenantId: other.claims.tenantId })).toMatchObject({ reason: "NotFound" })

        yield* (yield* PublicationStore).setStatusByInstallation(tenantA, installation.id, "paused", NOW)
        expect(yield* refusal({})).toMatchObject({ reason: "InstallationRevoked", message: "This session's publication is paused" })
        yield* (yield* Revocation).revoke(installation, "test")
        yield* (yield* PublicationStore).setStatusByInstallation(tenantA, installation.id, "active", NOW)
        expect(yield* refusal({})).toMatchObject({
          reason: "InstallationRevoked",
          message: "The installation was revoked; reinstall it to use its tools"
        })
        yield* (yield* Revocation).reactivate(installation, "test")
        yield* tools.scopeOf(claims)
        yield* (yield* TenantStore).setTenantDisabled(tenantA, NOW)
        expect(yield* refusal({})).toMatchObject({ reason: "Unauthorized" })
      })))

  it.effect("storage trouble is a retryable vendor error, never a refusal", () =>
    Effect.gen(function*() {
      const vendor = new Vendor()
      const outage = new StoreError({ operation: "test", message: "database is locked" })
      const failing = <S extends object>(service: S, names: ReadonlyArray<keyof S>): S =>
        Object.fromEntries(Object.entries(service).map(([name, value]) => [name, names.includes(name as keyof S) ? () => Effect.fail(outage) : value])) as S
      const check = <E>(layer: Layer.Layer<Tools, E>) =>
        Effect.gen(function*() {
          const error = yield* Effect.flip((yield* Tools).scopeOf(claimsFor))
          expect(error).toMatchObject({ reason: "VendorError", message: "Switchboard's storage is unavailable; try again shortly" })
        }).pipe(Effect.provide(layer))
      const world = installWorld(vendor)
      const claimsFor: SessionClaims = {
        tenantId: tenantA,
        publicationId: PublicationId.make("pub_widgets_ten_a"),
        installationId: InstallationId.make("ins_widgets_ten_a"),
        sessionKey: "k",
        scopes: [],
        expiresAt: 0
      }
      const seeded = Layer.effectDiscard(seed({ tokens: vendor.tokens("t") }))
      const withFailing = <I, S extends object>(tag: Context.Key<I, S>, names: ReadonlyArray<keyof S>) =>
        // Fresh: the world holds a Tools of its own, built on the working stores.
        Layer.fresh(Tools.layer).pipe(
          Layer.provide(Layer.effect(tag, Effect.map(Effect.service(tag), (service) => failing(service, names)))),
          Layer.provide(seeded),
          Layer.provide(world)
        )
      // One read covers the tenant, the publication and the installation (`sessionReach`).
      yield* check(withFailing(PublicationStore, ["sessionReach"]))
    }))
})

describe("Tools.call", () => {
  it.effect("runs the tool with the installation's token, the session and the publication", () =>
    inWorld((vendor) =>
      Effect.gen(function*() {
        const { claims, publication } = yield* session(vendor)
        const result = yield* (yield* Tools).call(claims, "mcp_widgets_read", { id: "w-1" })
        expect(result).toEqual({ id: "w-1", token: "tok", session: "widgets:thing:1", publication: publication.id })
      })))

  it.effect("refuses an unknown tool, and one out of scope, naming the scope", () =>
    inWorld((vendor) =>
      Effect.gen(function*() {
        const tools = yield* Tools
        const { claims } = yield* session(vendor, ["widgets:read"])
        expect(yield* Effect.flip(tools.call(claims, "mcp_widgets_nope", {}))).toMatchObject({
          reason: "UnknownTool",
          message: "No tool named mcp_widgets_nope"
        })
        expect(yield* Effect.flip(tools.call(claims, "mcp_widgets_write", { body: "x" }))).toMatchObject({
          reason: "OutOfScope",
          message: `mcp_widgets_write needs the scope "widgets:write", which this publication does not grant`
        })
        expect(yield* Effect.flip(tools.call(claims, "mcp_gadgets_read", {}))).toMatchObject({ reason: "OutOfScope" })
        expect(vendor.toolCalls).toEqual([])
      })))

  it.effect("narrowing a publication's scopes binds the tokens minted before it, at once", () =>
    inWorld((vendor) =>
      Effect.gen(function*() {
        const tools = yield* Tools
        const { claims, publication } = yield* session(vendor)
        expect(yield* tools.call(claims, "mcp_widgets_write", { body: "before" })).toEqual({ written: "before" })
        yield* (yield* PublicationStore).update(tenantA, publication.id, { scopes: ["widgets:read"] }, NOW)
        expect(yield* Effect.flip(tools.call(claims, "mcp_widgets_write", { body: "after" }))).toMatchObject({ reason: "OutOfScope" })
        expect(vendor.toolCalls.map((call) => call.token)).toEqual(["before"])
        yield* tools.call(claims, "mcp_widgets_read", { id: "still" })
      })))

  it.effect("limits calls per tenant before any work, with the seconds to wait", () =>
    inWorld((vendor) =>
      Effect.gen(function*() {
        const tools = yield* Tools
        const { claims } = yield* session(vendor)
        yield* tools.call(claims, "mcp_widgets_read", { id: "1" })
        const limited = yield* Effect.flip(tools.call(claims, "mcp_widgets_read", { id: "2" }))
        expect(limited).toMatchObject({ reason: "RateLimited" })
        expect(limited.retryAfterSeconds).toBeGreaterThan(0)
        expect(limited.message.length).toBeGreaterThan(0)
        expect(vendor.toolCalls).toHaveLength(1)
      }), 1))

  it.effect("refreshes a token the vendor rejects, once, and reports credentials that cannot be used", () =>
    inWorld((vendor) =>
      Effect.gen(function*() {
        const tools = yield* Tools
        const { claims } = yield* session(vendor)
        vendor.refused.add("tok")
        expect(yield* tools.call(claims, "mcp_widgets_read", { id: "1" })).toMatchObject({ token: "tok+" })
        expect(vendor.toolCalls.map((call) => call.token)).toEqual(["tok", "tok+"])
        vendor.refused.add("tok+")
        vendor.refresh = "error"
        const unusable = yield* Effect.flip(tools.call(claims, "mcp_widgets_read", { id: "2" }))
        expect(unusable).toMatchObject({ reason: "Unauthorized", message: "The installation's credentials are not usable: vendor down" })
        // Input errors are the agent's, not a reason to refresh.
        vendor.refresh = "rotate"
        const refreshes = vendor.refreshes
        expect(yield* Effect.flip(tools.call(claims, "mcp_widgets_read", { id: 1 }))).toMatchObject({ reason: "InvalidInput" })
        expect(vendor.refreshes).toBe(refreshes)
      })))
})
