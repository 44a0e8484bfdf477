/**
 * Small readers for incoming requests: the web Request, bearer auth, Schema-decoded JSON bodies.
 *
 * Authentication is limited per client and per tenant (`Limits`: 429 with `Retry-After`). The
 * client is the address in `SWITCHBOARD_CLIENT_IP_HEADER` when set (a trusted proxy's header:
 * `cf-connecting-ip` on Workers; the last entry of `x-forwarded-for`), else the connection's
 * address when the server hands one over (an Effect HTTP server serving the kernel's router);
 * the runtimes' web handlers (Node, Bun, Deno, Workers) hand over none, so without the header
 * clients are not told apart.
 */
import { Effect, Option, Schema } from "effect"
import { HttpRouter, HttpServerRequest } from "effect/http"
import { ApiError, type StoreError } from "../domain/Errors.ts"
import type { TenantId } from "../domain/Ids.ts"
import { KernelConfig } from "../KernelConfig.ts"
import type { LimitExceeded } from "../limits/LimitExceeded.ts"
import { Limits } from "../limits/Limits.ts"
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

/** The client's address, when it can be known (see above). */
export const clientOf = Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const config = yield* KernelConfig
  if (config.clientIpHeader === undefined) return request.remoteAddress
  // A proxy appends the address it saw: the last entry is the one the trusted proxy wrote.
  const entries = (request.headers[config.clientIpHeader] ?? "").split(",").map((entry) => entry.trim())
  return Option.liftPredicate(entries[entries.length - 1] ?? "", (entry) => entry.length > 0)
})

/** Runs a credential check under the failure limits: `target` is the tenant a failed attempt aimed at. */
const limited = <A, R>(
  check: Effect.Effect<A, ApiError | StoreError, R>,
  target: Effect.Effect<Option.Option<string>, StoreError, R>
) =>
  Effect.gen(function*() {
    const limits = yield* Limits
    const client = yield* clientOf
    yield* limits.admitAuthentication(client)
    return yield* check.pipe(
      Effect.catchTag("ApiError", (error) =>
        error.reason === "Unauthorized"
          ? Effect.flatMap(target, (tenantId) =>
            Effect.andThen(limits.recordAuthFailure({ client, tenantId }), Effect.fail(error)))
          : Effect.fail(error))
    )
  })

/** The tenant of the request's API key, or 401 (429 past the failure limits). */
export const tenantOf: Effect.Effect<
  TenantId,
  ApiError | StoreError | LimitExceeded,
  Tenants | Limits | KernelConfig | HttpServerRequest.HttpServerRequest
> = Effect.gen(function*() {
  const tenants = yield* Tenants
  const header = yield* authorization
  return yield* limited(tenants.authenticate(header), tenants.targetOf(header))
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
  yield* limited(tenants.authenticateAdmin(yield* authorization), Effect.succeedNone)
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
