/**
 * Bun's HTTP server is Effect's (`@effect/platform-bun`, over `Bun.serve`); the same names as
 * `runtimes/node/NodeServer.ts`, for an Effect app that embeds the kernel on Bun:
 *
 * - `layer`: an Effect `HttpServer` listening on the port (0 picks a free one);
 * - `runMain`: runs the app as the process's main (SIGINT/SIGTERM stop it cleanly, exit 0).
 *
 * Imported by module path, so nothing else of the platform package loads.
 */
import * as BunHttpServer from "@effect/platform-bun/BunHttpServer"
import * as BunRuntime from "@effect/platform-bun/BunRuntime"
import type { Effect, Layer } from "effect"
import type { Etag, HttpPlatform, HttpServer, HttpServerError } from "effect/http"
import { teardown } from "../shared/teardown.ts"

export interface ListenOptions {
  readonly port: number
  readonly hostname?: string | undefined
}

// The type is spelled out so the declarations do not depend on Bun's own types.
export const layer = (
  options: ListenOptions
): Layer.Layer<HttpServer.HttpServer | HttpPlatform.HttpPlatform | Etag.Generator, HttpServerError.ServeError> =>
  BunHttpServer.layer({ port: options.port, ...(options.hostname === undefined ? {} : { hostname: options.hostname }) })

/** Runs an Effect program as the process's main: SIGINT/SIGTERM interrupt it, finalizers run, exit 0. */
export const runMain = <A, E>(effect: Effect.Effect<A, E>): void => BunRuntime.runMain(effect, { teardown })
