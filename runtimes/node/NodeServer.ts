/**
 * Effect's Node HTTP server (`@effect/platform-node`) for an Effect app that embeds the kernel:
 * request bodies streamed with backpressure, client aborts interrupting the handler, a graceful
 * close. This file only picks the options.
 *
 * - `layer`: an Effect `HttpServer` listening on the port (0 picks a free one), for an Effect
 *   app that serves its routes with `HttpRouter.serve`;
 * - `runMain`: runs the app as the process's main.
 *
 * A web-standard handler (the Node entry's kernel app) is served by `serve` in NodeWebServer.ts,
 * without Effect's request and response conversions.
 *
 * Imported by module path: the package's index also loads its HTTP client, which needs a newer
 * Node than the server does.
 */
import { createServer } from "node:http"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import type { Effect } from "effect"
import { teardown } from "../shared/teardown.ts"

export interface ListenOptions {
  readonly port: number
  readonly hostname?: string | undefined
}

export const layer = (options: ListenOptions) =>
  NodeHttpServer.layer(createServer, {
    port: options.port,
    ...(options.hostname === undefined ? {} : { host: options.hostname })
  })

/** Runs an Effect program as the process's main: SIGINT/SIGTERM interrupt it, finalizers run, exit 0. */
export const runMain = <A, E>(effect: Effect.Effect<A, E>): void => NodeRuntime.runMain(effect, { teardown })
