/**
 * Bun entrypoint: env → layers (bun:sqlite file, migrated at start), served by Bun.serve.
 *
 *     npm run start:bun   (bundles this file into build/bun/main.js with its bytecode, then runs it with bun)
 *     PORT=8787 SWITCHBOARD_DATABASE=.data/switchboard.sqlite npx bun runtimes/bun/main.ts   (from source)
 */
import { Layer } from "effect"
import * as BunSqlite from "../../adapters/sqlite/drivers/bun.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import { makeApp } from "../shared/app.ts"
import { runtimeDependencies } from "../shared/dependencies.ts"
import { nodeCrypto } from "../shared/nodeCrypto.ts"
import { database } from "../shared/database.ts"
import { preflight } from "../shared/preflight.ts"
import { databaseFile, internalError, listening, listenOptions, onShutdown } from "../shared/server.ts"

const env = process.env
// Every setting checked before anything is built: a bad one exits 1 with one message, never listens.
preflight("bun", env)
const app = makeApp(
  Layer.merge(runtimeDependencies({
    env,
    ...database(env, () => SqliteClient.layer(BunSqlite.driver, { filename: databaseFile(env) })),
    migrate: true
  }), nodeCrypto),
  { poller: true }
)
const options = listenOptions(env)
const server = Bun.serve({
  ...options,
  fetch: (request) => app.fetch(request),
  error: (error) => {
    console.error("switchboard: handler threw", error)
    return internalError()
  }
})
listening("bun", options, server.port ?? options.port)
onShutdown(app, () => server.stop())
