/**
 * Node's HTTP server is Effect's (`@effect/platform-node`): request bodies streamed with
 * backpressure, client aborts interrupting the handler, a graceful close. This file only picks
 * the options.
 *
 * - `layer`: an Effect `HttpServer` listening on the port (0 picks a free one), for an Effect
 *   app that serves its routes with `HttpRouter.serve`;
 * - `serve`: the same server around a web-standard handler (the runtime entrypoint's kernel app),
 *   started now and stopped with `stop`.
 *
 * Imported by module path: the package's index also loads its HTTP client, which needs a newer
 * Node than the server does.
 */
import { createServer } from "node:http"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Effect, Layer, ManagedRuntime } from "effect"
import { HttpEffect, HttpServer } from "effect/http"
import type * as NetAddress from "effect/net/NetAddress"
import { teardown } from "../shared/teardown.ts"

export interface ListenOptions {
  readonly port: number
  readonly hostname?: string | undefined
}

export type WebHandler = (request: Request) => Promise<Response>

export interface RunningServer {
  /** The port listened on (the one picked when asked for 0). */
  readonly port: number
  /** Stops accepting connections and lets requests in flight finish. */
  readonly stop: () => Promise<void>
}

export const layer = (options: ListenOptions) =>
  NodeHttpServer.layer(createServer, {
    port: options.port,
    ...(options.hostname === undefined ? {} : { host: options.hostname })
  })

/** Runs an Effect program as the process's main: SIGINT/SIGTERM interrupt it, finalizers run, exit 0. */
export const runMain = <A, E>(effect: Effect.Effect<A, E>): void => NodeRuntime.runMain(effect, { teardown })

const portOf = (address: NetAddress.SocketAddress): number => "port" in address ? address.port : 0

export const serve = async (handler: WebHandler, options: ListenOptions): Promise<RunningServer> => {
  const server = HttpServer.serve(HttpEffect.fromWebHandler(handler)).pipe(Layer.provideMerge(layer(options)))
  const runtime = ManagedRuntime.make(server)
  const port = await runtime.runPromise(Effect.map(HttpServer.HttpServer, (running) => portOf(running.address)))
  return { port, stop: () => runtime.dispose() }
}
