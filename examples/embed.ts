/**
 * Embedding Switchboard in your own Effect app: your routes and the kernel's share one
 * `HttpRouter`, and your code can use the kernel's services (here, replaying a delivery from a
 * route of your own). Storage is any layer that provides the stores: here SQLite over
 * better-sqlite3; in tests, an in-memory database; on Workers, D1.
 *
 *     npx tsx examples/embed.ts     # then: curl localhost:8790/health and /hello
 */
import { ConfigProvider, Effect, Layer } from "effect"
import { FetchHttpClient, HttpRouter, HttpServerResponse } from "effect/http"
import * as LogSink from "../adapters/sink/LogSink.ts"
import * as Migrate from "../adapters/sql/Migrate.ts"
import * as StoresSql from "../adapters/sql/StoresSql.ts"
import * as BetterSqlite3 from "../adapters/sqlite/drivers/better-sqlite3.ts"
import * as SqliteClient from "../adapters/sqlite/SqliteClient.ts"
import * as Kernel from "../kernel/Kernel.ts"
import { KernelConfig } from "../kernel/KernelConfig.ts"
import { Registry } from "../kernel/registry/Registry.ts"
import { providers } from "../providers/index.ts"

/** What the kernel needs: config, providers, a session sink, stores over SQL, an HTTP client. */
export const dependencies = (env: Record<string, string>, filename = ":memory:") =>
  Layer.mergeAll(
    KernelConfig.layerConfig,
    Registry.layer(providers),
    LogSink.layer,
    StoresSql.layer.pipe(
      Layer.provide(Migrate.layer.pipe(Layer.provideMerge(SqliteClient.layer(BetterSqlite3.driver, { filename }))))
    ),
    FetchHttpClient.layer
  ).pipe(Layer.provideMerge(ConfigProvider.layer(ConfigProvider.fromEnvRecord(env))))

/** One of your own routes, beside the kernel's. */
const Hello = HttpRouter.add("GET", "/hello", Effect.succeed(HttpServerResponse.text("hello from the host app")))

/** Your app: the kernel's routes plus yours, served as one web handler. */
export const makeHandler = (env: Record<string, string>) =>
  HttpRouter.toWebHandler(
    Layer.mergeAll(Kernel.layer, Hello).pipe(Layer.provide(dependencies(env))),
    { disableLogger: true }
  )

if (import.meta.url === `file://${process.argv[1]}`) {
  const { createServer } = await import("node:http")
  const random = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))
  const { handler } = makeHandler({ MCP_SIGNING_KEY: random(), SWITCHBOARD_VAULT_KEYS: `k1:${random()}` })
  createServer(async (incoming, outgoing) => {
    const response = await handler(new Request(`http://localhost${incoming.url}`, { method: incoming.method ?? "GET" }))
    outgoing.writeHead(response.status, Object.fromEntries(response.headers))
    outgoing.end(Buffer.from(await response.arrayBuffer()))
  }).listen(8790, () => console.log("embedded Switchboard on http://localhost:8790"))
}
