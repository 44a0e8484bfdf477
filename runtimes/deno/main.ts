/**
 * Deno entrypoint: env → layers (node:sqlite file, migrated at start), served by Deno.serve.
 * npm packages resolve from node_modules (package.json beside), so it runs offline.
 *
 *     PORT=8787 SWITCHBOARD_DATABASE=.data/switchboard.sqlite npx deno run -A runtimes/deno/main.ts
 */
/// <reference types="../../adapters/sqlite/drivers/runtime-modules.d.ts" />
import { Layer } from "effect"
import * as DenoSqlite from "../../adapters/sqlite/drivers/deno.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import { makeApp } from "../shared/app.ts"
import { runtimeDependencies } from "../shared/dependencies.ts"
import { stdoutLines } from "../shared/stdoutLines.ts"
import { nodeCrypto } from "../shared/nodeCrypto.ts"
import { database } from "../shared/database.ts"
import { preflight } from "../shared/preflight.ts"
import { databaseFile, internalError, listening, listenOptions, onShutdown } from "../shared/server.ts"

const env = Deno.env.toObject()
// Every setting checked before anything is built: a bad one exits 1 with one message, never listens.
const config = preflight("deno", env)
const app = makeApp(
  Layer.mergeAll(runtimeDependencies({
    env,
    config,
    ...database(env, () => SqliteClient.layer(DenoSqlite.driver, { filename: databaseFile(env) })),
    migrate: true
  }), nodeCrypto, stdoutLines()),
  { poller: true }
)
const options = listenOptions(env)
const server = Deno.serve({
  ...options,
  onListen: (address) => listening("deno", options, address.port),
  onError: (error) => {
    console.error("switchboard: handler threw", error)
    return internalError()
  }
}, (request) => app.fetch(request))
onShutdown(app, () => server.shutdown())
