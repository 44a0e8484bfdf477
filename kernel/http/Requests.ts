/** Small readers for incoming requests: the web Request, bearer auth, Schema-decoded JSON bodies. */
import { Effect, Option, Schema } from "effect"
import { HttpRouter, HttpServerRequest } from "effect/http"
import { ApiError, type StoreError } from "../domain/Errors.ts"
import type { TenantId } from "../domain/Ids.ts"
import { Tenants } from "../tenants/Tenants.ts"
import { InstallTickets } from "../vault/InstallTickets.ts"

/** The web-standard Request behind the Effect request (the gateway is always served from one). */
export const webRequest = Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  return yield* HttpServerRequest.toWeb(request).pipe(
    Effect.mapError(() => new ApiError({ reason: "BadRequest", message: "The request could not be read" }))
  )
})

export const requestUrl = Effect.map(HttpServerRequest.HttpServerRequest, (request) =>
  Option.getOrElse(HttpServerRequest.toURL(request), () => new URL("http://invalid/")))

export const pathParam = (name: string) =>
  Effect.flatMap(HttpRouter.params, (params) =>
    Option.match(Option.fromNullishOr(params[name]), {
      onNone: () => Effect.fail(new ApiError({ reason: "NotFound", message: `Missing ${name}` })),
      // A stray `%` (the router has decoded once already) is the caller's mistake, not a 500.
      onSome: (value) =>
        Effect.try({
          try: () => decodeURIComponent(value),
          catch: () => new ApiError({ reason: "BadRequest", message: `Malformed ${name}` })
        })
    }))

const authorization = Effect.map(HttpServerRequest.HttpServerRequest, (request) => request.headers["authorization"] ?? null)

/** The tenant of the request's API key, or 401. */
export const tenantOf: Effect.Effect<TenantId, ApiError | StoreError, Tenants | HttpServerRequest.HttpServerRequest> =
  Effect.gen(function*() {
    const tenants = yield* Tenants
    return yield* tenants.authenticate(yield* authorization)
  })

/**
 * For browser navigations (install links): an API key as bearer, or a signed `?ticket=`, which
 * must name this route's provider and is used up here (see `InstallTickets`).
 */
export const tenantOfBrowser = Effect.gen(function*() {
  const url = yield* requestUrl
  const ticket = url.searchParams.get("ticket")
  if (ticket === null) return yield* tenantOf
  const tickets = yield* InstallTickets
  return yield* tickets.redeem(ticket, yield* pathParam("provider"))
})

export const requireAdmin = Effect.gen(function*() {
  const tenants = yield* Tenants
  yield* tenants.authenticateAdmin(yield* authorization)
})

/** Decodes a JSON body with Schema; anything else is a 400 with Schema's explanation. */
export const jsonBody = <S extends Schema.Top & { readonly DecodingServices: never }>(schema: S) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const text = yield* request.text.pipe(
      Effect.mapError(() => new ApiError({ reason: "BadRequest", message: "The body could not be read" }))
    )
    return yield* Schema.decodeUnknownEffect(Schema.fromJsonString(schema))(text).pipe(
      Effect.mapError((error) => new ApiError({ reason: "BadRequest", message: error.message }))
    )
  })
