/**
 * Every route the kernel and the Console register answers with the security headers: the route
 * table is read from the router itself (a recording `HttpRouter`), and each route must have a
 * probe below, so a route added later without one fails here until it is listed. Request bodies
 * are limited everywhere (413), webhooks and MCP under their own, larger limit.
 */
import { ConfigProvider, Effect, Layer, Option } from "effect"
import { FetchHttpClient, HttpRouter } from "effect/http"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { version } from "../../console/assets.ts"
import { SessionSink } from "../../kernel/dispatch/SessionSink.ts"
import { InstallError } from "../../kernel/domain/Errors.ts"
import { ProviderId } from "../../kernel/domain/Ids.ts"
import * as Kernel from "../../kernel/Kernel.ts"
import { KernelConfig } from "../../kernel/KernelConfig.ts"
import { AUTO_SUBMIT, AUTO_SUBMIT_HASH } from "../../kernel/http/RegistrationRoutes.ts"
import type { ProviderFactory } from "../../kernel/provider/Provider.ts"
import { Registry } from "../../kernel/registry/Registry.ts"
import { base64Encode } from "../../kernel/encoding/Encoding.ts"
import * as LinearProvider from "../../providers/linear/LinearProvider.ts"
import { providers } from "../../providers/index.ts"
import * as App from "../../runtimes/shared/app.ts"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"
import { handOffOf } from "../../sandbox/kit/HandOff.ts"
import { storesInMemory } from "../support/storesInMemory.ts"
import { streamed } from "../support/streamed.ts"

/** A vendor that always leaves the install awaiting someone's approval: the pending page. */
const waiting: ProviderFactory = Effect.map(LinearProvider.make, (linear) => ({
  ...linear,
  id: ProviderId.make("waiting"),
  displayName: "Waiting",
  install: [{
    _tag: "OAuth" as const,
    pkce: false,
    authorizationUrl: ({ state }) => Effect.succeed(`https://waiting.example/authorize?state=${state}`),
    exchange: () => Effect.fail(new InstallError({ reason: "PendingApproval", message: "An owner must approve it" })),
    refresh: Option.none(),
    revoke: Option.none()
  }]
}))

const allProviders = [...providers, waiting]

/** The routes as the router sees them, `METHOD path`, from building the runtimes' composition. */
const registeredRoutes = async (): Promise<ReadonlySet<string>> => {
  const recorded = new Set<string>()
  const recordingRouter = Layer.effect(
    HttpRouter.HttpRouter,
    Effect.map(HttpRouter.make, (router) =>
      HttpRouter.HttpRouter.of({
        ...router,
        add: (method, path, handler, options) => {
          recorded.add(`${method} ${path}`)
          return router.add(method, path, handler, options)
        },
        addAll: (routes) => {
          for (const route of routes) recorded.add(`${route.method} ${route.path}`)
          return router.addAll(routes)
        }
      }))
  )
  const env = {
    MCP_SIGNING_KEY: "s".repeat(48),
    SWITCHBOARD_VAULT_KEYS: `k1:${base64Encode(new Uint8Array(32))}`
  }
  const dependencies = Layer.mergeAll(
    KernelConfig.layerConfig,
    Registry.layer(allProviders),
    Layer.succeed(SessionSink, { deliver: () => Effect.void }),
    storesInMemory,
    FetchHttpClient.layer
  ).pipe(Layer.provideMerge(ConfigProvider.layer(ConfigProvider.fromEnvRecord(env))))
  const built = App.routes.pipe(Layer.provide(recordingRouter), Layer.provide(Kernel.services), Layer.provide(dependencies))
  await Effect.runPromise(Effect.scoped(Layer.build(built)))
  return recorded
}

interface Context {
  readonly kernel: TestKernel
  readonly apiKey: string
  readonly publicationId: string
  readonly ticket: (providerId: string) => Promise<string>
}

type Probe = (context: Context) => Promise<Response>

const post = (body: unknown) => ({ method: "POST", body: JSON.stringify(body) })

/** One or more requests per route: success where it is cheap, refusals too (error pages count). */
const probes: Record<string, ReadonlyArray<Probe>> = {
  "GET /": [({ kernel }) => kernel.request("/")],
  "GET /console/:version/:file": [
    ({ kernel }) => kernel.request(`/console/${version}/app.css`),
    ({ kernel }) => kernel.request("/console/old/none.js")
  ],
  "* /*": [({ kernel }) => kernel.request("/no/such/route"), ({ kernel }) => kernel.request("/v1/nothing", { method: "PUT" })],
  "GET /health": [({ kernel }) => kernel.request("/health")],
  "GET /health/details": [({ kernel }) => kernel.request("/health/details")],
  "GET /metrics": [({ kernel }) => kernel.request("/metrics", { apiKey: kernel.secrets.admin }), ({ kernel }) => kernel.request("/metrics")],
  "GET /v1/integrations": [({ kernel }) => kernel.request("/v1/integrations")],
  "GET /install/:provider": [
    // The hand-off page.
    ({ kernel, apiKey }) => kernel.request("/install/linear", { apiKey, redirect: "manual" }),
    ({ kernel }) => kernel.request("/install/linear?ticket=forged"),
    // The same refusal as a browser asks for it: an error page.
    ({ kernel }) => kernel.request("/install/linear?ticket=forged", { headers: { accept: "text/html" } })
  ],
  "GET /install/:provider/callback": [
    // The "Connected" page, at the end of a real OAuth flow through the fake Linear.
    async ({ kernel, ticket }) => {
      const handOff = await handOffOf(await kernel.request(`/install/linear?ticket=${await ticket("linear")}`))
      const consent = await fetch(handOff.consentUrl, { redirect: "manual" })
      const callback = new URL(consent.headers.get("location")!)
      return kernel.request(`${callback.pathname}${callback.search}`, { headers: { cookie: handOff.cookie } })
    },
    // The pending page.
    async ({ kernel, ticket }) => {
      const handOff = await handOffOf(await kernel.request(`/install/waiting?ticket=${await ticket("waiting")}`))
      const state = handOff.consentUrl.searchParams.get("state")
      return kernel.request(`/install/waiting/callback?code=c&state=${state}`, { headers: { cookie: handOff.cookie } })
    },
    // A refusal page: no cookie, unknown state.
    ({ kernel }) => kernel.request("/install/linear/callback?code=c&state=forged")
  ],
  "POST /install/:provider": [({ kernel, apiKey }) => kernel.request("/install/linear", { ...post({ fields: {} }), apiKey })],
  "GET /install/:provider/app": [
    // GitHub's manifest form page.
    async ({ kernel, ticket }) => kernel.request(`/install/github/app?ticket=${await ticket("github")}&name=Ours`)
  ],
  "GET /install/:provider/app/callback": [
    ({ kernel }) => kernel.request("/install/github/app/callback?code=c&state=forged"),
    ({ kernel }) => kernel.request("/install/github/app/callback?code=c&state=forged", { headers: { accept: "text/html" } })
  ],
  "POST /webhook/:provider": [({ kernel }) => kernel.linearWebhook({ type: "Issue", action: "create", data: { id: "i1" } })],
  "POST /webhook/:provider/:registration": [({ kernel }) => kernel.request("/webhook/github/reg_none", post({}))],
  "POST /mcp": [({ kernel }) => kernel.request("/mcp", post({ jsonrpc: "2.0", id: 1, method: "tools/list" }))],
  "GET /mcp": [({ kernel }) => kernel.request("/mcp")],
  "DELETE /mcp": [({ kernel }) => kernel.request("/mcp", { method: "DELETE" })],
  "POST /v1/tenants": [
    ({ kernel }) => kernel.request("/v1/tenants", { ...post({ name: "Headers" }), apiKey: kernel.secrets.admin }),
    ({ kernel }) => kernel.request("/v1/tenants", post({ name: "Nobody" }))
  ],
  "PATCH /v1/tenants/:id": [
    ({ kernel }) => kernel.request("/v1/tenants/ten_none", { method: "PATCH", body: JSON.stringify({ disabled: true }), apiKey: kernel.secrets.admin })
  ],
  "DELETE /v1/tenants/:id": [({ kernel }) => kernel.request("/v1/tenants/ten_none", { method: "DELETE", apiKey: kernel.secrets.admin })],
  "GET /v1/api-keys": [({ kernel, apiKey }) => kernel.request("/v1/api-keys", { apiKey })],
  "POST /v1/api-keys": [({ kernel, apiKey }) => kernel.request("/v1/api-keys", { ...post({ name: "spare" }), apiKey })],
  "DELETE /v1/api-keys/:id": [({ kernel, apiKey }) => kernel.request("/v1/api-keys/key_none", { method: "DELETE", apiKey })],
  "POST /v1/api-keys/:id/rotate": [({ kernel, apiKey }) => kernel.request("/v1/api-keys/key_none/rotate", { method: "POST", apiKey })],
  "GET /v1/installations": [({ kernel, apiKey }) => kernel.request("/v1/installations", { apiKey })],
  "DELETE /v1/installations/:id": [({ kernel, apiKey }) => kernel.request("/v1/installations/ins_none", { method: "DELETE", apiKey })],
  "GET /v1/publications": [({ kernel, apiKey }) => kernel.request("/v1/publications", { apiKey })],
  "POST /v1/publications": [({ kernel, apiKey }) => kernel.request("/v1/publications", { ...post({}), apiKey })],
  "PATCH /v1/publications/:id": [
    ({ kernel, apiKey, publicationId }) =>
      kernel.request(`/v1/publications/${publicationId}`, { method: "PATCH", body: JSON.stringify({ scopes: ["issues:read"] }), apiKey })
  ],
  "DELETE /v1/publications/:id": [({ kernel, apiKey }) => kernel.request("/v1/publications/pub_none", { method: "DELETE", apiKey })],
  "GET /v1/deliveries": [({ kernel, apiKey }) => kernel.request("/v1/deliveries", { apiKey })],
  "GET /v1/deliveries/:id": [({ kernel, apiKey }) => kernel.request("/v1/deliveries/evt_none", { apiKey })],
  "POST /v1/deliveries/:id/replay": [({ kernel, apiKey }) => kernel.request("/v1/deliveries/evt_none/replay", { method: "POST", apiKey })],
  "GET /v1/sessions": [({ kernel, apiKey }) => kernel.request("/v1/sessions", { apiKey })],
  "POST /v1/registrations": [({ kernel, apiKey }) => kernel.request("/v1/registrations", { ...post({ providerId: "github", name: "Ours" }), apiKey })],
  "GET /v1/registrations": [({ kernel, apiKey }) => kernel.request("/v1/registrations", { apiKey })],
  "PUT /v1/registrations/:id/credentials": [
    ({ kernel, apiKey }) => kernel.request("/v1/registrations/reg_none/credentials", { method: "PUT", body: JSON.stringify({ fields: {} }), apiKey })
  ],
  "POST /v1/install-tickets": [({ kernel, apiKey }) => kernel.request("/v1/install-tickets", { ...post({ providerId: "linear" }), apiKey })],
  "GET /v1/overview": [({ kernel, apiKey }) => kernel.request("/v1/overview", { apiKey })],
  "GET /v1/webhooks/rejected": [({ kernel, apiKey }) => kernel.request("/v1/webhooks/rejected", { apiKey })],
  "GET /v1/admin/webhooks/rejected": [
    ({ kernel }) => kernel.request("/v1/admin/webhooks/rejected?provider=linear", { apiKey: kernel.secrets.admin }),
    ({ kernel }) => kernel.request("/v1/admin/webhooks/rejected")
  ]
}

/** The Console's page and assets choose their own caching; everything else is never stored. */
const cachedByChoice = new Set(["GET /", "GET /console/:version/:file"])

const expectSecurityHeaders = (route: string, response: Response) => {
  const label = `${route} → ${response.status}`
  expect(response.headers.get("x-content-type-options"), label).toBe("nosniff")
  expect(response.headers.get("referrer-policy"), label).toBe("no-referrer")
  expect(response.headers.get("content-security-policy"), label).toContain("frame-ancestors 'none'")
  if (!cachedByChoice.has(route)) expect(response.headers.get("cache-control"), label).toBe("no-store")
}

describe("security headers", () => {
  let kernel: TestKernel
  let context: Context
  let routes: ReadonlySet<string>

  beforeAll(async () => {
    routes = await registeredRoutes()
    kernel = await startTestKernel({ providers: allProviders })
    const { apiKey } = await kernel.createTenant("Headers Inc")
    const installationId = await kernel.installLinear(apiKey)
    const publication = await kernel.publish(apiKey, {
      installationId,
      agentId: "agent",
      scopes: ["issues:read", "comments:write"],
      granularity: "issue"
    })
    context = {
      kernel,
      apiKey,
      publicationId: publication.id,
      ticket: async (providerId) => {
        const response = await kernel.request("/v1/install-tickets", { ...post({ providerId }), apiKey })
        return (await response.json()).ticket
      }
    }
  })
  afterAll(() => kernel.close())

  it("every registered route has a probe, and every probe a route", () => {
    expect([...routes].sort()).toEqual(Object.keys(probes).sort())
  })

  it("every response of every route carries the headers", async () => {
    const seen: Array<string> = []
    for (const [route, requests] of Object.entries(probes)) {
      for (const probe of requests) {
        const response = await probe(context)
        expectSecurityHeaders(route, response)
        seen.push(`${route} ${response.status} ${response.headers.get("content-type")?.split(";")[0]}`)
        await response.body?.cancel()
      }
    }
    // The pages the issue named are among them: the hand-off, Connected, pending, the manifest form, the Console.
    expect(seen).toEqual(expect.arrayContaining([
      "GET /install/:provider 200 text/html",
      "GET /install/:provider/callback 200 text/html",
      "GET /install/:provider/callback 202 text/html",
      "GET /install/:provider/app 200 text/html",
      "GET / 200 text/html",
      "POST /v1/tenants 201 application/json",
      "POST /v1/api-keys 201 application/json",
      "POST /v1/install-tickets 201 application/json"
    ]))
  })

  it("keeps a page's own policy: the Console's, and the manifest form's narrow one", async () => {
    const console = await kernel.request("/")
    expect(console.headers.get("content-security-policy")).toContain("script-src 'self'")
    const form = await kernel.request(`/install/github/app?ticket=${await context.ticket("github")}&name=Ours`)
    const policy = form.headers.get("content-security-policy") ?? ""
    expect(policy).toContain(`'${AUTO_SUBMIT_HASH}'`)
    expect(policy).toMatch(/form-action 'self' https:\/\/github\.com;/)
    expect(await form.text()).toContain(`onload="${AUTO_SUBMIT}"`)
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(AUTO_SUBMIT)))
    expect(AUTO_SUBMIT_HASH).toBe(`sha256-${base64Encode(digest)}`)
  })
})

describe("request body limits", () => {
  let kernel: TestKernel
  let apiKey: string
  beforeAll(async () => {
    kernel = await startTestKernel()
    apiKey = (await kernel.createTenant("Limits Inc")).apiKey
  })
  afterAll(() => kernel.close())

  const padded = (bytes: number) => JSON.stringify({ name: "x".repeat(bytes) })

  it("refuses a management body past 64 KiB, declared or streamed, with 413 and the headers", async () => {
    const body = padded(70 * 1024)
    for (
      const response of [
        await kernel.request("/v1/publications", { method: "POST", body, apiKey }),
        await kernel.request("/v1/publications", { method: "POST", body, apiKey, headers: { "content-length": String(body.length) } }),
        await kernel.request("/v1/tenants", { method: "POST", ...streamed(body), apiKey: kernel.secrets.admin }),
        await kernel.request("/install/linear", { method: "POST", ...streamed(body), apiKey })
      ]
    ) {
      expect(response.status).toBe(413)
      expect((await response.json()).error.reason).toBe("TooLarge")
      expectSecurityHeaders("POST", response)
    }
  })

  it("passes a streamed body within the limit on to the route", async () => {
    const response = await kernel.request("/v1/tenants", {
      method: "POST",
      ...streamed(JSON.stringify({ name: "Streamed" })),
      apiKey: kernel.secrets.admin
    })
    expect(response.status).toBe(201)
    expect((await response.json()).tenant.name).toBe("Streamed")
  })

  it("gives MCP and webhooks their own, larger limit", async () => {
    const mid = padded(200 * 1024)
    expect((await kernel.request("/mcp", { method: "POST", ...streamed(mid) })).status).not.toBe(413)
    expect((await kernel.request("/webhook/linear", { method: "POST", ...streamed(mid) })).status).not.toBe(413)
    const huge = padded(2 * 1024 * 1024)
    expect((await kernel.request("/mcp", { method: "POST", ...streamed(huge) })).status).toBe(413)
    expect((await kernel.request("/webhook/linear", { method: "POST", ...streamed(huge) })).status).toBe(413)
  })
})
