/**
 * What every response carries and every request body is held to, in one router middleware, so
 * no route (the kernel's, the Console's, a host's own on the same router) can forget it:
 *
 * - `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer` everywhere (an install
 *   ticket or a state in a URL never leaves in a Referer);
 * - a Content-Security-Policy with `frame-ancestors 'none'` (and `X-Frame-Options: DENY` for
 *   older browsers) on every response that does not bring its own: the strict default suits the
 *   kernel's small HTML pages (inline style attributes, no script) and is harmless on JSON;
 * - `Cache-Control: no-store` unless the route chose its own caching (the Console's assets):
 *   API answers carry new keys, tickets and tenant data, which no cache may keep;
 * - a size limit on every request body, answered 413 before a handler reads it: the management
 *   API and install pastes (SWITCHBOARD_MAX_REQUEST_BYTES, 64 KiB), `/mcp` (tool arguments may be
 *   long texts: SWITCHBOARD_MAX_BODY_BYTES). Webhooks keep their own limit, checked while their
 *   raw body is read once, so they are not buffered here.
 *
 * A route that sets one of these headers itself keeps its value (the Console's stricter CSP,
 * the manifest page's form target).
 */
import { Effect, Option } from "effect"
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"
import { KernelConfig } from "../KernelConfig.ts"
import { readBodyCapped } from "../webhooks/ReadBody.ts"
import { errorJson } from "./Respond.ts"

/** The default request body limit outside webhooks and MCP. */
export const DEFAULT_MAX_REQUEST_BYTES = 64 * 1024

/** The policy for pages that bring none: no script, no framing, nothing loaded from elsewhere. */
export const defaultContentSecurityPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; " +
  "frame-ancestors 'none'"

/** Set on every response unless the route set the header itself. */
export const securityHeaders: Readonly<Record<string, string>> = {
  "content-security-policy": defaultContentSecurityPolicy,
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store"
}

const securityHeaderEntries = Object.entries(securityHeaders)

export const withSecurityHeaders = (response: HttpServerResponse.HttpServerResponse) => {
  // On every response: a plain loop, and the common case (the route set none) adds them all at once.
  let missing: Record<string, string> | undefined
  let all = true
  for (const [name, value] of securityHeaderEntries) {
    if (response.headers[name] === undefined) (missing ??= {})[name] = value
    else all = false
  }
  return missing === undefined ? response : HttpServerResponse.setHeaders(response, all ? securityHeaders : missing)
}

/**
 * The same, for a web `Response` served outside the router (the "not ready" answer, the MCP SDK's
 * answers), in place; a Response whose headers are immutable (one `fetch` returned) is copied.
 */
export const withSecurityHeadersWeb = (response: Response): Response => {
  const missing = securityHeaderEntries.filter(([name]) => !response.headers.has(name))
  if (missing.length === 0) return response
  let target = response
  try {
    for (const [name, value] of missing) target.headers.set(name, value)
  } catch {
    target = new Response(response.body, response)
    for (const [name, value] of missing) target.headers.set(name, value)
  }
  return target
}

const pathOf = (url: string) => {
  const end = url.search(/[?#]/)
  return end === -1 ? url : url.slice(0, end)
}

/** `undefined`: the route reads its body under a limit of its own. */
export const bodyLimit = (path: string, config: KernelConfig["Service"]): number | undefined =>
  path.startsWith("/webhook/") || path === "/webhook"
    ? undefined
    : path === "/mcp"
    ? config.maxBodyBytes
    : config.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES

export const tooLarge = (limit: number) => errorJson(413, "TooLarge", `The request body is larger than ${limit} bytes`)

/**
 * A declared Content-Length is enforced by the HTTP server itself, so a body declared within the
 * limit passes untouched; one without (chunked) is read here up to the limit and handed on as
 * bytes, whichever way the route reads it (Schema-decoded JSON or the web Request).
 */
const limitBody = (
  request: HttpServerRequest.HttpServerRequest,
  limit: number
): Effect.Effect<Option.Option<HttpServerRequest.HttpServerRequest> | HttpServerResponse.HttpServerResponse> =>
  Effect.gen(function*() {
    const declared = request.headers["content-length"]
    if (declared !== undefined) {
      const length = Number(declared)
      return Number.isFinite(length) && length > limit ? tooLarge(limit) : Option.none()
    }
    const web = yield* Effect.option(HttpServerRequest.toWeb(request))
    if (Option.isNone(web) || web.value.body === null) return Option.none()
    const body = yield* Effect.result(readBodyCapped(web.value, limit))
    if (body._tag === "Failure") {
      return body.failure.reason === "TooLarge"
        ? tooLarge(limit)
        : errorJson(400, "BadRequest", "The body could not be read")
    }
    const buffered = new Request(web.value.url, { method: web.value.method, headers: web.value.headers, body: new Uint8Array(body.success) })
    return Option.some(HttpServerRequest.fromWeb(buffered).modify({ remoteAddress: request.remoteAddress }))
  })

/** The middleware, for every route on the router it is merged beside. */
export const SecurityHeaders = HttpRouter.middleware(
  Effect.gen(function*() {
    const config = yield* KernelConfig
    // Plain combinators rather than a generator: this runs around every request.
    return (httpEffect) =>
      Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
        const limit = bodyLimit(pathOf(request.url), config)
        if (limit === undefined) return Effect.map(httpEffect, withSecurityHeaders)
        const declared = request.headers["content-length"]
        // Within a declared length (the HTTP server enforces it): nothing to buffer.
        if (declared !== undefined && !(Number(declared) > limit)) return Effect.map(httpEffect, withSecurityHeaders)
        return Effect.flatMap(limitBody(request, limit), (limited) =>
          HttpServerResponse.isHttpServerResponse(limited)
            ? Effect.succeed(withSecurityHeaders(limited))
            : Effect.map(
              Option.isSome(limited) ? Effect.provideService(httpEffect, HttpServerRequest.HttpServerRequest, limited.value) : httpEffect,
              withSecurityHeaders
            ))
      })
  }),
  { global: true }
)
