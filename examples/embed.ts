/**
 * Embedding Switchboard in your own Effect app: the kernel's routes and yours on one
 * `HttpRouter`, the poller that retries dispatches, storage from the package's SQLite engine,
 * dispatches delivered by a SessionSink of your own, served by Effect's Node HTTP server.
 * The README's "Embedding" section is this file with the package's import paths
 * (test/package/readme.test.ts keeps them equal).
 *
 *     npx switchboard keys generate > .env.embed
 *     PORT=8080 npx tsx --env-file=.env.embed examples/embed.ts   # PORT unset: a free port
 *     curl localhost:8080/hello; curl localhost:8080/v1/integrations
 */
import { Effect, Layer } from "effect"
import { FetchHttpClient, HttpRouter, HttpServerResponse } from "effect/http"
import { Kernel, KernelConfig, Registry, SessionSink } from "../kernel/index.ts"
import { providers } from "../providers/index.ts"
import * as NodeServer from "../runtimes/node/index.ts"
import { Migrate, StoresSql } from "../adapters/sql/index.ts"
import { SqliteClient } from "../adapters/sqlite/index.ts"
import * as BetterSqlite3 from "../adapters/sqlite/drivers/better-sqlite3.ts"

// Storage: the kernel's tables in a SQLite file (SWITCHBOARD_DATABASE), migrated at start.
const database = SqliteClient.layer(BetterSqlite3.driver, { filename: process.env["SWITCHBOARD_DATABASE"] ?? ":memory:" })
const Storage = StoresSql.layer.pipe(Layer.provide(Migrate.layer.pipe(Layer.provideMerge(database))))

// Where dispatches go: your agent platform. Here, one log line per session to start or resume.
const Sessions = Layer.succeed(SessionSink, SessionSink.of({
  deliver: ({ dispatch }) => Effect.logInfo(`session ${dispatch.mode}: ${dispatch.sessionKey}`)
}))

// What the kernel needs: config (read from the environment), providers, the sink, stores, HTTP.
const Dependencies = Layer.mergeAll(KernelConfig.layerConfig, Registry.layer(providers), Sessions, Storage, FetchHttpClient.layer)

// A route of your own, beside the kernel's.
const Hello = HttpRouter.add("GET", "/hello", Effect.succeed(HttpServerResponse.text("hello from the host app")))

// The kernel's routes, its poller and your routes over one set of kernel services.
const App = Layer.mergeAll(Kernel.layer, Kernel.poller, Hello).pipe(
  Layer.provide(Kernel.services),
  Layer.provide(Dependencies)
)

// Served on PORT (a free port when unset; the address is logged). SIGTERM stops it cleanly.
HttpRouter.serve(App).pipe(
  Layer.provide(NodeServer.layer({ port: Number(process.env["PORT"] ?? 0) })),
  Layer.launch,
  NodeServer.runMain
)
