/**
 * The whole kernel in the test process: the real routes over better-sqlite3 (in memory), the
 * Linear provider pointed at a fake Linear on loopback, and a session sink the test programs
 * (record, delay, fail). Faster than the runtime matrix, for tests that need many cases
 * through the real webhook route, MCP endpoint and management API.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { ConfigProvider, Effect, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import * as Migrate from "../../adapters/sql/Migrate.ts"
import * as StoresSql from "../../adapters/sql/StoresSql.ts"
import * as BetterSqlite3 from "../../adapters/sqlite/drivers/better-sqlite3.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import { SessionSink } from "../../kernel/dispatch/SessionSink.ts"
import { SinkError } from "../../kernel/domain/Errors.ts"
import type { SessionDelivery } from "../../kernel/domain/SessionDispatch.ts"
import type { KernelApp } from "../../kernel/Kernel.ts"
import { KernelConfig } from "../../kernel/KernelConfig.ts"
import type { ProviderFactory } from "../../kernel/provider/Provider.ts"
import { Registry } from "../../kernel/registry/Registry.ts"
import { base64Encode } from "../../kernel/encoding/Encoding.ts"
import { providers } from "../../providers/index.ts"
import { makeApp } from "../../runtimes/shared/app.ts"
import { nodeCrypto } from "../../runtimes/shared/nodeCrypto.ts"
import { IngestNow, type IngestNowStore } from "../../kernel/store/IngestNow.ts"
import { type FakeLinear, makeFakeLinear } from "../../sandbox/fakes/linear/FakeLinear.ts"
import { signLinearWebhook } from "../../sandbox/fakes/linear/sign.ts"
import { type Served, serve } from "./serve.ts"
import { handOffOf } from "../../sandbox/kit/HandOff.ts"

export const PUBLIC_URL = "http://switchboard.test"

/** What the test sink does with each delivery; the default accepts it at once. */
export type SinkBehaviour = (delivery: SessionDelivery) => Promise<void>

export interface TestKernel {
  readonly app: KernelApp
  readonly linear: FakeLinear
  readonly linearServer: Served
  readonly secrets: { readonly webhook: string; readonly admin: string; readonly signing: string }
  readonly deliveries: Array<SessionDelivery>
  sink: SinkBehaviour
  /** A request against the kernel; paths are relative to the public URL. */
  readonly request: (path: string, init?: RequestInit & { readonly apiKey?: string }) => Promise<Response>
  readonly createTenant: (name: string) => Promise<{ readonly tenantId: string; readonly apiKey: string }>
  /** Installs Linear through the fake's OAuth consent (auto-approved) and returns the installation id. */
  readonly installLinear: (apiKey: string) => Promise<string>
  readonly publish: (apiKey: string, body: Record<string, unknown>) => Promise<{ readonly id: string }>
  readonly linearWebhook: (
    payload: Readonly<Record<string, unknown>>,
    options?: { readonly deliveryId?: string; readonly timestamp?: number; readonly secret?: string }
  ) => Promise<Response>
  /** Waits until `predicate` holds, polling the background work (and draining the outbox). */
  readonly eventually: <A>(check: () => A | undefined | Promise<A | undefined>, timeoutMs?: number) => Promise<A>
  readonly mcpClient: (delivery: SessionDelivery) => Promise<Client>
  readonly close: () => Promise<void>
}

/** The database's `IngestNow`, reporting each use to `onLane`. */
const observedLane = (onLane: ((ran: boolean) => void) | undefined) =>
  Layer.effect(
    IngestNow,
    Effect.map(Effect.service(IngestNow), (store): IngestNowStore | undefined =>
      store === undefined || onLane === undefined ? store : {
        now: (use) => {
          let ran = false
          const result = store.now((statements) => {
            ran = true
            return use(statements)
          })
          onLane(ran)
          return result
        }
      })
  )

export const startTestKernel = async (
  options: {
    readonly env?: Record<string, string>
    readonly providers?: ReadonlyArray<ProviderFactory>
    /** A SQLite file to keep the rows in, for a test that reads them (default: in memory). */
    readonly database?: string
    /**
     * As the runtimes run it (default): node:crypto lent to the kernel and the database's
     * `IngestNow` in reach, so plain deliveries take the webhook lane. `false`: every delivery
     * takes the Effect pipeline, as on Workers and Postgres.
     */
    readonly lane?: boolean
    /**
     * Called each time the lane asks the database for its statements: `true` when they ran (the
     * lane stored deliveries), `false` when the connection was in use (it stepped aside).
     */
    readonly onLane?: (ran: boolean) => void
    /** Run the in-process poller, as Bun, Deno and Node do (default: off; tests drain by hand). */
    readonly poller?: boolean
  } = {}
): Promise<TestKernel> => {
  const secrets = { webhook: "whsec_test_linear", admin: "admin_test_token_0123456789abcdefghijklmnop", signing: "s".repeat(48) }
  const linear = makeFakeLinear({ clientId: "lin_client", clientSecret: "lin_secret", autoApprove: true })
  const linearServer = await serve(linear.handler)
  linear.control.allowRedirectUri(`${PUBLIC_URL}/install/linear/callback`)
  const env: Record<string, string> = {
    SWITCHBOARD_PUBLIC_URL: PUBLIC_URL,
    MCP_SIGNING_KEY: secrets.signing,
    SWITCHBOARD_VAULT_KEYS: `k1:${base64Encode(crypto.getRandomValues(new Uint8Array(32)))}`,
    SWITCHBOARD_ADMIN_TOKEN: secrets.admin,
    LINEAR_CLIENT_ID: "lin_client",
    LINEAR_CLIENT_SECRET: "lin_secret",
    LINEAR_WEBHOOK_SECRET: secrets.webhook,
    LINEAR_API_URL: linearServer.url,
    LINEAR_OAUTH_URL: linearServer.url,
    // One line per request would drown a failing test's own lines; a test of the log turns it on.
    SWITCHBOARD_ACCESS_LOG: "off",
    ...options.env
  }
  const deliveries: Array<SessionDelivery> = []
  const harness = { sink: (async () => {}) as SinkBehaviour }
  const sinkLayer = Layer.succeed(SessionSink, {
    deliver: (delivery) =>
      Effect.tryPromise({
        try: () => harness.sink(delivery).then(() => void deliveries.push(delivery)),
        catch: (error) => new SinkError({ reason: "Rejected", message: String(error), retryable: true })
      })
  })
  const sql = Migrate.layer.pipe(Layer.provideMerge(SqliteClient.layer(BetterSqlite3.driver, { filename: options.database ?? ":memory:" })))
  const dependencies = Layer.mergeAll(
    KernelConfig.layerConfig,
    Registry.layer(options.providers ?? providers),
    sinkLayer,
    options.lane === false
      ? StoresSql.layer.pipe(Layer.provide(sql))
      : Layer.mergeAll(StoresSql.layer.pipe(Layer.provideMerge(sql)), nodeCrypto, observedLane(options.onLane).pipe(Layer.provide(sql))),
    FetchHttpClient.layer
  ).pipe(Layer.provideMerge(ConfigProvider.layer(ConfigProvider.fromEnvRecord(env))))
  const app = makeApp(dependencies, { poller: options.poller ?? false })

  const request: TestKernel["request"] = (path, init = {}) => {
    const { apiKey, ...rest } = init
    const headers = new Headers(rest.headers)
    if (apiKey !== undefined) headers.set("authorization", `Bearer ${apiKey}`)
    // As an HTTP server presents a request with a body: its length declared (what the webhook
    // lane needs to take a delivery).
    if (typeof rest.body === "string" && !headers.has("content-length")) {
      headers.set("content-length", String(new TextEncoder().encode(rest.body).byteLength))
    }
    return app.fetch(new Request(`${PUBLIC_URL}${path}`, { ...rest, headers }))
  }

  const json = async (response: Response) => {
    const text = await response.text()
    if (!response.ok) throw new Error(`${response.status}: ${text}`)
    return JSON.parse(text)
  }

  const eventually: TestKernel["eventually"] = async (check, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs
    while (true) {
      const value = await check()
      if (value !== undefined && value !== false) return value
      if (Date.now() > deadline) throw new Error("condition not met in time")
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }

  const kernel: TestKernel = {
    app,
    linear,
    linearServer,
    secrets,
    deliveries,
    get sink() {
      return harness.sink
    },
    set sink(behaviour) {
      harness.sink = behaviour
    },
    request,
    createTenant: async (name) => {
      const created = await json(await request("/v1/tenants", {
        method: "POST",
        apiKey: secrets.admin,
        body: JSON.stringify({ name })
      }))
      return { tenantId: created.tenant.id, apiKey: created.apiKey }
    },
    installLinear: async (apiKey) => {
      const handOff = await handOffOf(await request("/install/linear", { apiKey, redirect: "manual" }))
      const consent = await fetch(handOff.consentUrl, { redirect: "manual" })
      const callback = new URL(consent.headers.get("location")!)
      const finished = await request(`${callback.pathname}${callback.search}`, { redirect: "manual", headers: { cookie: handOff.cookie } })
      if (finished.status !== 200) throw new Error(`install callback: ${finished.status} ${await finished.text()}`)
      const listed = await json(await request("/v1/installations", { apiKey }))
      return listed.installations.at(-1).id
    },
    publish: async (apiKey, body) => (await json(await request("/v1/publications", { method: "POST", apiKey, body: JSON.stringify(body) }))).publication,
    linearWebhook: async (payload, webhookOptions = {}) => {
      const signed = await Effect.runPromise(signLinearWebhook({
        secret: webhookOptions.secret ?? secrets.webhook,
        payload,
        timestamp: webhookOptions.timestamp,
        deliveryId: webhookOptions.deliveryId
      }))
      return request("/webhook/linear", { method: "POST", headers: signed.headers, body: signed.body })
    },
    eventually,
    mcpClient: async (delivery) => {
      const client = new Client({ name: "test-agent", version: "1.0.0" })
      const transport = new StreamableHTTPClientTransport(new URL(delivery.mcp.url), {
        requestInit: { headers: { authorization: `Bearer ${delivery.mcp.token}` } },
        fetch: (input, init) => app.fetch(new Request(input, init))
      })
      await client.connect(transport)
      return client
    },
    close: async () => {
      await app.dispose()
      await linearServer.close()
    }
  }
  return kernel
}
