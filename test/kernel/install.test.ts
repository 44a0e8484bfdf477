/**
 * The OAuth install's guards, with a minimal provider whose vendor is simulated inline:
 * the flow is bound to the browser that started it (the callback needs its install cookie; a
 * cookie of another flow or of a finished one does not do), the start shows a hand-off page
 * naming the tenant and the provider, states expire and are swept, and the return URL must be
 * on the allowlist. Through the real routes, except expiry, which moves the test clock.
 */
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Option } from "effect"
import { TestClock } from "effect/testing"
import { FetchHttpClient } from "effect/http"
import { afterAll, beforeAll } from "vitest"
import { tokenSet } from "../../kernel/domain/Credentials.ts"
import { ProviderId, TenantId } from "../../kernel/domain/Ids.ts"
import { base64Encode } from "../../kernel/encoding/Encoding.ts"
import { Install } from "../../kernel/install/Install.ts"
import { InstallationTokens } from "../../kernel/install/InstallationTokens.ts"
import { Registrations } from "../../kernel/install/Registrations.ts"
import { Revocation } from "../../kernel/install/Revocation.ts"
import { KernelConfig } from "../../kernel/KernelConfig.ts"
import type { IntegrationProvider } from "../../kernel/provider/Provider.ts"
import { Registry } from "../../kernel/registry/Registry.ts"
import { OAuthStateStore } from "../../kernel/store/OAuthStateStore.ts"
import { Vault } from "../../kernel/vault/Vault.ts"
import { handOffOf } from "../../sandbox/kit/HandOff.ts"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"
import { noWebhook } from "../support/noWebhook.ts"
import { storesInMemory } from "../support/storesInMemory.ts"

const RETURN_ORIGIN = "https://app.example"

/** A vendor whose consent always approves: the code names the account it connects. */
const widgets: IntegrationProvider = {
  id: ProviderId.make("widgets"),
  displayName: "Widgets",
  description: "A test vendor",
  install: [{
    _tag: "OAuth",
    pkce: true,
    authorizationUrl: ({ state, redirectUri, codeChallenge }) =>
      Effect.succeed(
        `https://widgets.example/authorize?state=${state}&redirect_uri=${encodeURIComponent(redirectUri)}&code_challenge=${
          Option.getOrElse(codeChallenge, () => "")
        }`
      ),
    exchange: ({ code }) =>
      Effect.succeed({
        externalAccountId: `acct-${code}`,
        displayName: `Widgets ${code}`,
        tokens: tokenSet({ accessToken: `tok-${code}`, now: 0, scopes: ["all"] }),
        metadata: {}
      }),
    refresh: Option.none(),
    revoke: Option.none()
  }],
  webhook: noWebhook,
  tools: [],
  scopes: [{ name: "all", description: "everything" }],
  granularities: ["workspace"],
  filters: []
}

describe("the OAuth install through the routes", () => {
  let kernel: TestKernel
  let alice: { readonly tenantId: string; readonly apiKey: string }
  let mallory: { readonly tenantId: string; readonly apiKey: string }
  beforeAll(async () => {
    kernel = await startTestKernel({ providers: [Effect.succeed(widgets)], env: { SWITCHBOARD_RETURN_URLS: RETURN_ORIGIN } })
    alice = await kernel.createTenant("Alice & Co")
    mallory = await kernel.createTenant("Mallory Ltd")
  })
  afterAll(() => kernel.close())

  const start = async (apiKey: string, query = "") => handOffOf(await kernel.request(`/install/widgets${query}`, { apiKey }))
  const callback = (state: string, code: string, cookie?: string) =>
    kernel.request(
      `/install/widgets/callback?code=${code}&state=${state}`,
      cookie === undefined ? { redirect: "manual" } : { redirect: "manual", headers: { cookie } }
    )
  const stateOf = (handOff: { readonly consentUrl: URL }) => handOff.consentUrl.searchParams.get("state") ?? ""
  const accounts = async (apiKey: string): Promise<Array<string>> =>
    (await (await kernel.request("/v1/installations", { apiKey })).json()).installations.map(
      (installation: { externalAccountId: string }) => installation.externalAccountId
    )

  it("starts on a Switchboard page naming the tenant and the provider, with an HttpOnly, Lax, path-scoped cookie", async () => {
    const answer = await kernel.request("/install/widgets", { apiKey: alice.apiKey, redirect: "manual" })
    expect(answer.status).toBe(200)
    expect(answer.headers.get("location")).toBeNull()
    const cookie = answer.headers.get("set-cookie") ?? ""
    expect(cookie).toMatch(/^switchboard_install=[\w-]{40,};/)
    expect(cookie).toMatch(/; Path=\/install\/widgets(;|$)/)
    expect(cookie).toMatch(/; HttpOnly/)
    expect(cookie).toMatch(/; SameSite=Lax/)
    // The test deployment's public URL is not loopback HTTP, so the cookie is Secure.
    expect(cookie).toMatch(/; Secure/)
    const handOff = await handOffOf(answer)
    expect(handOff.html).toContain("Alice &#38; Co")
    expect(handOff.html).toContain("Connect Widgets to Switchboard")
    expect(handOff.html).toContain("Continue to Widgets")
    expect(`${handOff.consentUrl.origin}${handOff.consentUrl.pathname}`).toBe("https://widgets.example/authorize")
    // The state is the SHA-256 of the cookie, never the cookie itself.
    expect(handOff.cookie).not.toContain(stateOf(handOff))
    expect(handOff.consentUrl.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/)
  })

  it("refuses a callback without the starting browser's cookie with a page, and the flow stays open for that browser", async () => {
    const handOff = await start(alice.apiKey)
    const foreign = await callback(stateOf(handOff), "no-cookie")
    expect(foreign.status).toBe(400)
    expect(foreign.headers.get("content-type")).toMatch(/text\/html/)
    // The page says why: this browser never started the install (not that it started another one).
    expect(await foreign.text()).toContain("This install was started in another browser (or its install cookie was lost)")
    expect(await accounts(alice.apiKey)).not.toContain("acct-no-cookie")
    const own = await callback(stateOf(handOff), "own", handOff.cookie)
    expect(own.status).toBe(200)
    expect(await accounts(alice.apiKey)).toContain("acct-own")
  })

  it("refuses a callback carrying another flow's cookie: a link sent to another workspace's admin gains nothing", async () => {
    // Mallory starts an install and sends the consent link to a victim, whose browser holds its own flow's cookie.
    const mallorys = await start(mallory.apiKey)
    const victims = await start(alice.apiKey)
    const answer = await callback(stateOf(mallorys), "victim", victims.cookie)
    expect(answer.status).toBe(403)
    expect(answer.headers.get("content-type")).toMatch(/text\/html/)
    expect(await answer.text()).toContain("This install belongs to another browser")
    expect(await accounts(mallory.apiKey)).not.toContain("acct-victim")
    expect(await accounts(alice.apiKey)).not.toContain("acct-victim")
  })

  it("refuses a completed flow's callback and cookie, and the finished callback clears the cookie", async () => {
    const handOff = await start(alice.apiKey)
    const done = await callback(stateOf(handOff), "done", handOff.cookie)
    expect(done.status).toBe(200)
    expect(done.headers.get("set-cookie")).toMatch(/^switchboard_install=; Max-Age=0;.*Path=\/install\/widgets/)
    const replay = await callback(stateOf(handOff), "replay", handOff.cookie)
    expect(replay.status).toBe(400)
    expect(await accounts(alice.apiKey)).not.toContain("acct-replay")
    // The finished flow's cookie does not open a new flow either.
    const next = await start(alice.apiKey)
    const stale = await callback(stateOf(next), "stale", handOff.cookie)
    expect(stale.status).toBe(403)
    expect(await accounts(alice.apiKey)).not.toContain("acct-stale")
  })

  it("refuses a return URL outside SWITCHBOARD_RETURN_URLS, and returns to one on it", async () => {
    for (const returnUrl of ["https://evil.example/done", `${RETURN_ORIGIN}.evil.example/done`, "//evil.example/done"]) {
      const refused = await kernel.request(`/install/widgets?returnUrl=${encodeURIComponent(returnUrl)}`, { apiKey: alice.apiKey })
      expect(refused.status, returnUrl).toBe(400)
      expect((await refused.json()).error.reason).toBe("ReturnUrlNotAllowed")
    }
    const handOff = await start(alice.apiKey, `?returnUrl=${encodeURIComponent(`${RETURN_ORIGIN}/done`)}`)
    const back = await callback(stateOf(handOff), "returned", handOff.cookie)
    expect(back.status).toBe(302)
    const target = new URL(back.headers.get("location") ?? "")
    expect(`${target.origin}${target.pathname}`).toBe(`${RETURN_ORIGIN}/done`)
  })
})

const tenant = TenantId.make("ten_clock")
const ServiceLayer = Install.layer.pipe(
  Layer.provideMerge(InstallationTokens.layer),
  Layer.provideMerge(Registrations.layer),
  Layer.provideMerge(Revocation.layer),
  Layer.provideMerge(Vault.layer),
  Layer.provideMerge(Layer.mergeAll(storesInMemory, Registry.layer([Effect.succeed(widgets)]), KernelConfig.layerConfig, FetchHttpClient.layer)),
  Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord({
    SWITCHBOARD_PUBLIC_URL: "http://switchboard.test",
    MCP_SIGNING_KEY: "s".repeat(48),
    SWITCHBOARD_VAULT_KEYS: `k1:${base64Encode(new Uint8Array(32).fill(7))}`
  })))
)

const noReturn = { returnUrl: Option.none<string>(), registrationId: Option.none<string>() }
const stateIn = (authorizeUrl: string) => new URL(authorizeUrl).searchParams.get("state") ?? ""

describe("OAuth state expiry", () => {
  it.effect("refuses a callback after the state expired, even from the starting browser", () =>
    Effect.gen(function*() {
      const install = yield* Install
      const started = yield* install.start(tenant, "widgets", noReturn)
      yield* TestClock.adjust("10 minutes")
      const query = new URLSearchParams({ code: "late", state: stateIn(started.authorizeUrl) })
      const outcome = yield* Effect.flip(install.callback("widgets", query, Option.some(started.browserBinding)))
      expect(outcome._tag === "InstallError" && outcome.reason).toBe("ExpiredState")
    }).pipe(Effect.provide(ServiceLayer)))

  it.effect("a start sweeps the expired states and keeps the others", () =>
    Effect.gen(function*() {
      const install = yield* Install
      const states = yield* OAuthStateStore
      const abandoned = yield* install.start(tenant, "widgets", noReturn)
      yield* TestClock.adjust("5 minutes")
      const recent = yield* install.start(tenant, "widgets", noReturn)
      yield* TestClock.adjust("5 minutes")
      yield* install.start(tenant, "widgets", noReturn)
      expect(Option.isNone(yield* states.take(stateIn(abandoned.authorizeUrl)))).toBe(true)
      expect(Option.isSome(yield* states.take(stateIn(recent.authorizeUrl)))).toBe(true)
    }).pipe(Effect.provide(ServiceLayer)))
})
