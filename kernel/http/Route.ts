/**
 * Adds a route whose handler's services are captured when the route layer is built. Effect's
 * `HttpRouter.add` would leave them as per-request requirements (and fail at run time when a
 * middleware does not provide them); capturing them makes the route layer depend on the
 * services like any other layer, so they are built once and shared.
 */
import { Effect, Layer } from "effect"
import { HttpRouter, type HttpServerResponse } from "effect/http"

type Method = "*" | "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS"

export const route = <R>(
  method: Method,
  path: `/${string}`,
  handler: Effect.Effect<HttpServerResponse.HttpServerResponse, never, R | HttpRouter.Provided>
): Layer.Layer<never, never, HttpRouter.HttpRouter | R> =>
  Layer.effectDiscard(
    Effect.gen(function*() {
      const router = yield* HttpRouter.HttpRouter
      const context = yield* Effect.context<R>()
      // TypeScript cannot reduce `Exclude<R | Provided, R>` to `Provided` for a generic R.
      const provided = Effect.provideContext(handler, context) as Effect.Effect<
        HttpServerResponse.HttpServerResponse,
        never,
        HttpRouter.Provided
      >
      yield* router.add(method, path, provided)
    })
  )
