/**
 * Node entrypoint: env → layers (better-sqlite3 file, migrated at start), served by node:http.
 *
 *     PORT=8787 SWITCHBOARD_DATABASE=.data/switchboard.sqlite npx tsx runtimes/node/main.ts
 */
import * as BetterSqlite3 from "../../adapters/sqlite/drivers/better-sqlite3.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import { makeApp } from "../shared/app.ts"
import { runtimeDependencies } from "../shared/dependencies.ts"
import { databaseFile, listening, listenOptions, onShutdown } from "../shared/server.ts"
import { close, createHandlerServer, listen } from "./NodeServer.ts"

const env = process.env
const app = makeApp(
  runtimeDependencies({ env, sql: SqliteClient.layer(BetterSqlite3.driver, { filename: databaseFile(env) }), migrate: true }),
  { poller: true }
)
const server = createHandlerServer((request) => app.fetch(request))
const options = listenOptions(env)
listening("node", options, await listen(server, options.port, options.hostname))
onShutdown(app, () => close(server))
