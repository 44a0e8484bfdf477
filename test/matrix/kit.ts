/**
 * The provider kit (`sandbox/kit/`) against a runtime under test: the kit's harness
 * implemented over HTTP. Requests go to the runtime's base URL, deliveries are the ones the
 * matrix's session receiver accepted, the MCP client connects to the runtime's `/mcp`, and the
 * fakes are the matrix's own (Linear, Slack, GitHub, Jira), which the runtime was started
 * against (`useMatrix`). Nothing is started per provider: `serve` hands back the running fake's
 * origin and `startKernel` checks that the runtime runs with the env the kit asks for.
 *
 * The per-provider options (install, signers, samples, vendor error) are the ones the in-process
 * kit tests use (test/support/kit/providers/); only the fake and its secrets are rebound here.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { describe } from "vitest"
import type { SessionDelivery } from "../../kernel/domain/SessionDispatch.ts"
import type { FakeGitHub } from "../../sandbox/fakes/github/FakeGitHub.ts"
import type { FakeJira } from "../../sandbox/fakes/jira/FakeJira.ts"
import type { FakeLinear } from "../../sandbox/fakes/linear/FakeLinear.ts"
import type { FakeSlack } from "../../sandbox/fakes/slack/FakeSlack.ts"
import type { KitHarness, KitKernel, KitWorld, ProviderKitOptions, WebHandler } from "../../sandbox/kit/KitTypes.ts"
import { defineProviderKit } from "../../sandbox/kit/ProviderKit.ts"
import { githubKit } from "../support/kit/providers/github.ts"
import { jiraKitOAuth } from "../support/kit/providers/jira.ts"
import { linearKit } from "../support/kit/providers/linear.ts"
import { slackKit } from "../support/kit/providers/slack.ts"
import type { Fakes } from "./fakes.ts"
import type { MatrixContext } from "./harness.ts"

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const failure = async (what: string, response: Response) =>
  new Error(`${what}: HTTP ${response.status} ${(await response.text()).slice(0, 500)}`)

/**
 * The running runtime as the kit's kernel. Its deliveries are the receiver's, narrowed to the
 * tenant this kernel created: every kit shares the runtime and the receiver, and reuses the
 * same delivery ids.
 */
const runtimeKernel = (context: MatrixContext): KitKernel => {
  let tenantId: string | undefined
  const request: KitKernel["request"] = (path, init = {}) => {
    const { apiKey, ...rest } = init
    const headers = new Headers(rest.headers)
    if (apiKey !== undefined) headers.set("authorization", `Bearer ${apiKey}`)
    // As the in-process kernel answers: redirects are the caller's to follow.
    return fetch(`${context.baseUrl}${path}`, { redirect: "manual", ...rest, headers })
  }
  const json = async (what: string, response: Response): Promise<unknown> => {
    if (!response.ok) throw await failure(what, response)
    return response.json()
  }
  return {
    request,
    createTenant: async (name) => {
      const created = await json("create tenant", await request("/v1/tenants", {
        method: "POST",
        apiKey: context.secrets.adminToken,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name })
      })) as { readonly tenant: { readonly id: string }; readonly apiKey: string }
      tenantId = created.tenant.id
      return { tenantId: created.tenant.id, apiKey: created.apiKey }
    },
    publish: async (apiKey, body) => {
      const created = await json("publish", await request("/v1/publications", {
        method: "POST",
        apiKey,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body)
      })) as { readonly publication: { readonly id: string } }
      return created.publication
    },
    get deliveries(): ReadonlyArray<SessionDelivery> {
      return context.fakes.sessions.deliveries
        .map((entry) => entry.delivery)
        .filter((delivery) => tenantId !== undefined && delivery.dispatch.tenantId === tenantId)
    },
    eventually: async (check, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs
      while (true) {
        const value = await check()
        if (value !== undefined && value !== false) return value
        if (Date.now() > deadline) throw new Error("condition not met in time")
        await sleep(50)
      }
    },
    mcpClient: async (delivery) => {
      const client = new Client({ name: "switchboard-matrix-kit", version: "1.0.0" })
      const transport = new StreamableHTTPClientTransport(new URL(delivery.mcp.url), {
        requestInit: { headers: { authorization: `Bearer ${delivery.mcp.token}` } }
      })
      await client.connect(transport)
      return client
    },
    close: async () => {}
  }
}

/** The kit's harness over the runtime: the fake is already served at `fakeUrl`, the runtime already runs. */
const runtimeHarness = (context: () => MatrixContext, fakeUrl: (fakes: Fakes) => string): KitHarness => ({
  serve: async () => ({ url: fakeUrl(context().fakes), close: async () => {} }),
  startKernel: async ({ env }) => {
    const running = context()
    const differing = Object.keys(env).filter((key) => running.env[key] !== env[key])
    if (differing.length > 0) throw new Error(`the runtime does not run with the kit's env: ${differing.join(", ")}`)
    return runtimeKernel(running)
  }
})

/** The runtime's env under the given prefix: what configures one provider. */
const envWith = (context: MatrixContext, prefix: string): Record<string, string> =>
  Object.fromEntries(Object.entries(context.env).filter(([key]) => key.startsWith(prefix)))

const secretOf = (context: () => MatrixContext, key: string): string => {
  const value = context().env[key]
  if (value === undefined) throw new Error(`the runtime runs without ${key}`)
  return value
}

/** One provider's shared kit options, bound to a matrix fake and the runtime's own secrets. */
const bound = <Fake extends { readonly handler: WebHandler }>(
  context: () => MatrixContext,
  options: ProviderKitOptions<Fake>,
  binding: {
    readonly name: string
    readonly fake: (fakes: Fakes) => Fake & { readonly url: string }
    readonly envPrefix: string
    readonly secretKey: string
    /** Readies the matrix fake for the kit's install (consent approved at once ...). */
    readonly beforeInstall?: (world: KitWorld<Fake>) => void
  }
): ProviderKitOptions<Fake> => ({
  ...options,
  name: binding.name,
  fake: {
    make: () => binding.fake(context().fakes),
    env: () => envWith(context(), binding.envPrefix)
  },
  install: async (world) => {
    binding.beforeInstall?.(world)
    await options.install(world)
  },
  webhook: {
    ...options.webhook,
    get secret() {
      return secretOf(context, binding.secretKey)
    }
  }
})

/**
 * Registers the kit for Linear, Slack, GitHub and Jira against the runtime `context` names, one
 * suite each, after the matrix's own cases (call it after `matrixCases`).
 */
export const matrixKit = (context: () => MatrixContext): void => {
  describe("provider kit on the runtime", () => {
    const linear = bound<FakeLinear>(context, linearKit, {
      name: "Linear",
      fake: (fakes) => fakes.linear,
      envPrefix: "LINEAR_",
      secretKey: "LINEAR_WEBHOOK_SECRET",
      // The matrix's own suite walks Linear's consent page; the kit's install expects it approved at once.
      beforeInstall: (world) => world.fake.control.setAutoApprove(true)
    })
    defineProviderKit(linear, runtimeHarness(context, (fakes) => fakes.linear.url))

    const slack = bound<FakeSlack>(context, slackKit, {
      name: "Slack",
      fake: (fakes) => fakes.slack,
      envPrefix: "SLACK_",
      secretKey: "SLACK_SIGNING_SECRET",
      beforeInstall: (world) => {
        const redirectUri = `${context().baseUrl}/install/slack/callback`
        if (!(world.fake.control.app.redirectUris ?? []).includes(redirectUri)) world.fake.control.allowRedirectUri(redirectUri)
      }
    })
    defineProviderKit(slack, runtimeHarness(context, (fakes) => fakes.slack.url))

    const github = bound<FakeGitHub>(context, githubKit, {
      name: "GitHub",
      fake: (fakes) => fakes.github,
      envPrefix: "GITHUB_",
      secretKey: "GITHUB_WEBHOOK_SECRET"
    })
    defineProviderKit(github, runtimeHarness(context, (fakes) => fakes.github.url))

    const jira = bound<FakeJira>(context, jiraKitOAuth, {
      name: "Jira, OAuth 2.0 (3LO)",
      fake: (fakes) => fakes.jira,
      envPrefix: "JIRA_",
      secretKey: "JIRA_WEBHOOK_SECRET"
    })
    defineProviderKit(jira, runtimeHarness(context, (fakes) => fakes.jira.url))
  })
}
