/**
 * Bun entrypoint: env → layers (bun:sqlite file, migrated at start), served by Bun.serve.
 *
 *     npm run start:bun   (bundles this file into build/bun/main.js with its bytecode, then runs it with bun)
 *     PORT=8787 SWITCHBOARD_DATABASE=.data/switchboard.sqlite npx bun runtimes/bun/main.ts   (from source)
 */
import { Layer } from "effect"
import * as BunSqlite from "../../adapters/sqlite/drivers/bun.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import { NativeCrypto } from "../../kernel/crypto/NativeCrypto.ts"
import { makeApp } from "../shared/app.ts"
import { runtimeDependencies } from "../shared/dependencies.ts"
import { stdoutLines } from "../shared/stdoutLines.ts"
import { database } from "../shared/database.ts"
import { preflight } from "../shared/preflight.ts"
import { databasePath, internalError, listening, listenOptions, onShutdown } from "../shared/server.ts"

const env = process.env

/**
 * The webhook's HMAC and digest on Bun's own hasher: the same answers as `nodeCrypto`, without
 * evaluating `node:crypto` (its streams and all: about 6 ms of every start, spent before the
 * first request). Here rather than beside `nodeCrypto` because only this entry has Bun's types.
 */
const bunCrypto = Layer.succeed(NativeCrypto, {
  sha256Hex: (bytes) => new Bun.CryptoHasher("sha256").update(bytes).digest("hex"),
  hmacSha256: (key, message) => new Bun.CryptoHasher("sha256", key).update(message).digest(),
  timingSafeEqual: (left, right) => crypto.timingSafeEqual(left, right)
})

// Every setting checked before anything is built: a bad one exits 1 with one message, never listens.
const config = preflight("bun", env)
const app = makeApp(
  Layer.mergeAll(runtimeDependencies({
    env,
    config,
    // The driver makes the file's folder when it is missing.
    ...database(env, () => SqliteClient.layer(BunSqlite.driver, { filename: databasePath(env) })),
    migrate: true
  }), bunCrypto, stdoutLines()),
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
