/**
 * The fresh app the consumer test builds against the packed package: its package.json, its
 * tsconfig (strict, NodeNext, libraries checked too) and one TypeScript file that embeds the
 * kernel beside a route of its own, on Node or on Bun from the same compiled JavaScript. Kept as
 * text: inside this repo "switchboard" would resolve to the repo itself.
 */
export const appPackageJson = JSON.stringify({ name: "host-app", private: true, type: "module" }, null, 2)

export const appTsconfig = JSON.stringify({
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    lib: ["ES2023", "DOM"],
    types: [],
    strict: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: false,
    outDir: "dist"
  },
  files: ["app.ts"]
}, null, 2)

export const appSource = `// A host Effect app that embeds Switchboard from its package, on Node or on Bun.
import { Effect, Layer } from "effect"
import { FetchHttpClient, HttpRouter, HttpServerResponse } from "effect/http"
import { Kernel, KernelConfig, Registry, SessionSink } from "switchboard"
import { providers } from "switchboard/providers"
import { Migrate, StoresSql } from "switchboard/sql"
import { SqliteClient, type SqliteDriverFactory } from "switchboard/sqlite"

// No @types/node: the app needs only these two members of process.
declare const process: {
  readonly versions: Readonly<Record<string, string | undefined>>
  readonly env: Readonly<Record<string, string | undefined>>
}

const onBun = process.versions["bun"] !== undefined
const driver: SqliteDriverFactory = onBun
  ? (await import("switchboard/sqlite/bun")).driver
  : (await import("switchboard/sqlite/better-sqlite3")).driver
const server = onBun ? await import("switchboard/runtimes/bun") : await import("switchboard/runtimes/node")
const runMain: <A, E>(effect: Effect.Effect<A, E>) => void = server.runMain

const database = SqliteClient.layer(driver, { filename: process.env["DATABASE"] ?? ":memory:" })
const Storage = StoresSql.layer.pipe(Layer.provide(Migrate.layer.pipe(Layer.provideMerge(database))))
const Sessions = Layer.succeed(SessionSink, SessionSink.of({ deliver: () => Effect.void }))
const Dependencies = Layer.mergeAll(KernelConfig.layerConfig, Registry.layer(providers), Sessions, Storage, FetchHttpClient.layer)

const Runtime = HttpRouter.add("GET", "/host/runtime", Effect.succeed(HttpServerResponse.text(onBun ? "bun" : "node")))

const App = Layer.mergeAll(Kernel.layer, Kernel.poller, Runtime).pipe(
  Layer.provide(Kernel.services),
  Layer.provide(Dependencies)
)

HttpRouter.serve(App, { disableLogger: true }).pipe(
  Layer.provide(server.layer({ port: 0, hostname: "127.0.0.1" })),
  Layer.launch,
  runMain
)
`
