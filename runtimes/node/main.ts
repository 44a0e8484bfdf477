/**
 * Node entrypoint: env → layers (better-sqlite3 file, migrated at start), served on node:http
 * by `serve` (NodeWebServer.ts).
 *
 *     npm run start:node   (bundles this file into build/node/app-sqlite.cjs and app-postgres.cjs, which
 *                          build/node/main.mjs runs from V8's code cache: runtimes/node/launch.ts)
 *     PORT=8787 SWITCHBOARD_DATABASE=.data/switchboard.sqlite npx tsx runtimes/node/main.ts   (from source)
 */
import { Layer } from "effect"
import * as BetterSqlite3 from "../../adapters/sqlite/drivers/better-sqlite3.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import { makeApp } from "../shared/app.ts"
import { runtimeDependencies } from "../shared/dependencies.ts"
import { stdoutLines } from "../shared/stdoutLines.ts"
import { nodeCrypto } from "../shared/nodeCrypto.ts"
import { database } from "../shared/database.ts"
import { preflight } from "../shared/preflight.ts"
import { databaseFile, listening, listenOptions, onShutdown } from "../shared/server.ts"
import { serve } from "./NodeWebServer.ts"

const env = process.env
// Every setting checked before anything is built: a bad one exits 1 with one message, never listens.
const config = preflight("node", env)
const app = makeApp(
  Layer.mergeAll(runtimeDependencies({
    env,
    config,
    ...database(env, () => SqliteClient.layer(BetterSqlite3.driver, { filename: databaseFile(env) })),
    migrate: true
  }), nodeCrypto, stdoutLines()),
  { poller: true }
)
const options = listenOptions(env)
// This process is Switchboard's alone: Hono's lighter Request and Response may stand in for the globals.
// No top-level await: the built entry is CommonJS (scripts/build-entry.ts), which has none. A
// failure to listen still ends the process (an unhandled rejection exits 1).
void serve((request) => app.fetch(request), { ...options, lightGlobals: true }).then((server) => {
  listening("node", options, server.port)
  onShutdown(app, server.stop)
})
