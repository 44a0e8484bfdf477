/**
 * The provider conformance kit: one call registers a vitest suite that holds a provider to the
 * contract the kernel relies on. It starts the provider's fake, the whole kernel in-process with
 * the provider pointed at the fake, installs it for a tenant, publishes it twice (every scope,
 * and a single scope), sends one event that dispatches, and checks:
 *
 * 1. tool names are `mcp_<id>_<tool>`, lowercase and unique; `/v1/integrations` lists them;
 * 2. every input schema is valid JSON Schema and says what the tool's Schema accepts;
 * 3. every tool requires a declared publication scope;
 * 4. out-of-scope tools are absent from `tools/list` and refused by `tools/call`;
 * 5. a wrong, missing or truncated signature (or a tampered body) is rejected with 401 before
 *    the body is parsed, and nothing is stored or dispatched;
 * 6. a duplicate delivery is dispatched once;
 * 7. malformed bodies with valid signatures are 400, never 500;
 * 8. a vendor error comes back as an MCP tool error, not a protocol error.
 *
 * Runtime neutral: serving and the kernel come from the harness (`test/support/kit/` for Node).
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { ConfigProvider, Effect, Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { IntegrationProvider } from "../../kernel/provider/Provider.ts"
import { mcpToolName } from "../../kernel/provider/Provider.ts"
import { inputSchemaProblems, listingProblems, sampleProblems, scopeProblems, toolNameProblems } from "./KitChecks.ts"
import type { KitHarness, KitServer, KitWorld, ProviderKitOptions, WebHandler } from "./KitTypes.ts"
import { truncated, withBody, withoutHeader } from "./Signing.ts"
import { callTool, dispatchesOf, storedDeliveryIds } from "./KitKernelReads.ts"

/** Bodies no vendor sends; with a valid signature they are the provider's to reject as 400. */
const MALFORMED = ["", "not json", "{", "[]", "null", "42", "\"text\"", "{}"]
/** Not JSON either: a provider that parses before it verifies answers 400 here instead of 401. */
const UNPARSEABLE = "\u0000{{ definitely not json"

export const defineProviderKit = <Fake extends { readonly handler: WebHandler }>(
  options: ProviderKitOptions<Fake>,
  harness: KitHarness
): void => {
  const state: {
    server?: KitServer
    provider?: IntegrationProvider
    world?: KitWorld<Fake>
    full?: Client
    narrow?: Client
    narrowScopes: ReadonlyArray<string>
    publications: ReadonlyArray<string>
  } = { narrowScopes: [], publications: [] }
  const ready = () => {
    const { full, narrow, provider, world } = state
    if (full === undefined || narrow === undefined || provider === undefined || world === undefined) {
      throw new Error("the provider kit's setup did not finish; see the first failure")
    }
    return { full, narrow, provider, world }
  }
  const post = (signed: { readonly headers: Readonly<Record<string, string>>; readonly body: string }) => {
    const { provider, world } = state
    if (provider === undefined || world === undefined) throw new Error("the provider kit has no kernel yet")
    const path = options.webhook.path ?? `/webhook/${provider.id}`
    return world.kernel.request(path, { method: "POST", headers: signed.headers, body: signed.body })
  }
  const sign = (body: string, deliveryId: string, secret = options.webhook.secret) =>
    options.webhook.sign({ body, deliveryId, secret })

  describe(options.name === undefined ? "provider kit" : `provider kit: ${options.name}`, () => {
    beforeAll(async () => {
      const fake = options.fake.make()
      state.server = await harness.serve(fake.handler)
      const env = await options.fake.env(state.server.url, fake)
      const provider = await Effect.runPromise(
        Effect.provide(options.provider, ConfigProvider.layer(ConfigProvider.fromEnvRecord(env)))
      )
      state.provider = provider
      const kernel = await harness.startKernel({ env, providers: [options.provider] })
      const { apiKey } = await kernel.createTenant("provider-kit")
      const world: KitWorld<Fake> = { kernel, fake, fakeUrl: state.server.url, apiKey }
      state.world = world
      await options.install(world)
      const Installations = Schema.Struct({ installations: Schema.Array(Schema.Struct({ id: Schema.String, providerId: Schema.String })) })
      const listed = Schema.decodeUnknownSync(Installations)(await (await kernel.request("/v1/installations", { apiKey })).json())
      const installation = listed.installations.find((candidate) => candidate.providerId === provider.id)
      if (installation === undefined) throw new Error(`install did not create a ${provider.id} installation`)
      const scopes = provider.scopes.map((scope) => scope.name)
      state.narrowScopes = scopes.length > 1 ? scopes.slice(0, 1) : []
      const publication = {
        installationId: installation.id,
        granularity: options.publication?.granularity ?? provider.granularities[0] ?? "workspace",
        filters: options.publication?.filters ?? {}
      }
      const full = await kernel.publish(apiKey, { ...publication, agentId: "kit-agent-full", scopes })
      const narrow = await kernel.publish(apiKey, { ...publication, agentId: "kit-agent-narrow", scopes: state.narrowScopes })
      state.publications = [full.id, narrow.id]
      const response = await post(await sign(await options.webhook.dispatching(world, "kit-dispatch-1"), "kit-dispatch-1"))
      expect(response.status, `the dispatching sample was refused: ${await response.clone().text()}`).toBe(200)
      const delivered = await kernel.eventually(() => {
        const found = dispatchesOf(kernel, "kit-dispatch-1")
        return found.length >= 2 ? found : undefined
      })
      const forPublication = (id: string) => delivered.find((delivery) => delivery.dispatch.publicationId === id)
      const fullDelivery = forPublication(full.id)
      const narrowDelivery = forPublication(narrow.id)
      if (fullDelivery === undefined || narrowDelivery === undefined) throw new Error("the sample did not dispatch to both publications")
      state.full = await kernel.mcpClient(fullDelivery)
      state.narrow = await kernel.mcpClient(narrowDelivery)
    })

    afterAll(async () => {
      await state.full?.close()
      await state.narrow?.close()
      await state.world?.kernel.close()
      await state.server?.close()
    })

    it("names every tool mcp_<provider>_<tool>, uniquely, and /v1/integrations lists them", async () => {
      const { provider, world } = ready()
      expect(toolNameProblems(provider)).toEqual([])
      expect(listingProblems(provider, await (await world.kernel.request("/v1/integrations")).json())).toEqual([])
    })

    it("derives valid JSON Schema for every input, saying what the tool's Schema accepts", async () => {
      const { provider } = ready()
      expect(inputSchemaProblems(provider)).toEqual([])
      expect(await sampleProblems(provider, options.tools.samples, options.tools.probeContext)).toEqual([])
    })

    it("puts every tool behind a declared publication scope", () => {
      expect(scopeProblems(ready().provider)).toEqual([])
    })

    it("lists only in-scope tools and refuses out-of-scope calls", async () => {
      const { full, narrow, provider } = ready()
      const all = provider.tools.map((tool) => mcpToolName(provider.id, tool.name)).sort()
      const allowed = provider.tools.filter((tool) => state.narrowScopes.includes(tool.scope))
      expect((await full.listTools()).tools.map((tool) => tool.name).sort()).toEqual(all)
      expect((await narrow.listTools()).tools.map((tool) => tool.name).sort()).toEqual(
        allowed.map((tool) => mcpToolName(provider.id, tool.name)).sort()
      )
      const outside = provider.tools.filter((tool) => !state.narrowScopes.includes(tool.scope))
      expect(outside.length, "the narrow publication must leave some tool out").toBeGreaterThan(0)
      for (const tool of outside) {
        const sample = options.tools.samples[tool.name]?.valid[0] ?? {}
        const answer = await callTool(narrow, mcpToolName(provider.id, tool.name), sample)
        expect(answer.isError, `${tool.name} was not refused`).toBe(true)
        expect(answer.reason, answer.text).toBe("OutOfScope")
      }
    })

    it("rejects wrong, missing or truncated signatures with 401 before parsing the body", async () => {
      const { world } = ready()
      const body = await options.webhook.dispatching(world, "kit-forged")
      const header = options.webhook.signatureHeader
      const valid = await sign(body, "kit-forged")
      const forged = [
        { name: "wrong secret", request: await sign(body, "kit-forged", `${options.webhook.secret}-wrong`) },
        { name: "missing", request: withoutHeader(valid, header) },
        { name: "truncated", request: truncated(valid, header) },
        { name: "tampered body", request: withBody(valid, `${body} `) },
        { name: "unparseable body, wrong secret", request: await sign(UNPARSEABLE, "kit-forged", `${options.webhook.secret}-wrong`) },
        { name: "unparseable body, missing", request: withoutHeader(await sign(UNPARSEABLE, "kit-forged"), header) }
      ]
      for (const { name, request } of forged) {
        const response = await post(request)
        expect(response.status, `${name}: ${await response.text()}`).toBe(401)
      }
      expect(await storedDeliveryIds(world)).not.toContain("kit-forged")
      expect(dispatchesOf(world.kernel, "kit-forged")).toEqual([])
    })

    it("dispatches a duplicate delivery once", async () => {
      const { world } = ready()
      const signed = await sign(await options.webhook.dispatching(world, "kit-duplicate"), "kit-duplicate")
      expect((await post(signed)).status).toBe(200)
      const again = await post(signed)
      expect(again.status).toBe(200)
      expect(await again.json()).toMatchObject({ status: "duplicate" })
      await world.kernel.eventually(() => dispatchesOf(world.kernel, "kit-duplicate").length >= state.publications.length || undefined)
      await new Promise((resolve) => setTimeout(resolve, 200))
      const perPublication = state.publications.map((id) =>
        dispatchesOf(world.kernel, "kit-duplicate").filter((delivery) => delivery.dispatch.publicationId === id).length
      )
      expect(perPublication).toEqual(state.publications.map(() => 1))
    })

    it("answers malformed bodies with valid signatures 400, never 500", async () => {
      const bodies = [...MALFORMED, ...(options.webhook.malformed ?? [])]
      for (const [index, body] of bodies.entries()) {
        const response = await post(await sign(body, `kit-malformed-${index}`))
        const routable = body === "{}" && options.webhook.routesByHeaders === true
        expect(response.status, `${JSON.stringify(body).slice(0, 80)}: ${await response.text()}`).toBe(routable ? 200 : 400)
        if (routable) expect(dispatchesOf(ready().world.kernel, `kit-malformed-${index}`)).toEqual([])
      }
    })

    it("turns a vendor error into a tool error", async () => {
      const { full, provider, world } = ready()
      const { arrange, input, reasons, restore, tool } = options.tools.vendorError
      await arrange(world)
      try {
        const answer = await callTool(full, mcpToolName(provider.id, tool), input(world))
        expect(answer.isError, answer.text).toBe(true)
        expect(reasons ?? ["VendorError", "RateLimited"], answer.text).toContain(answer.reason)
      } finally {
        await restore?.(world)
      }
    })
  })
}
