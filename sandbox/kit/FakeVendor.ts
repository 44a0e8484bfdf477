/**
 * Building blocks for a local fake of a vendor API, the way `sandbox/fakes/*` are
 * built: a runtime-neutral web handler `(request: Request) => Promise<Response>` over in-memory
 * state, served by whatever the test runs on (`test/support/serve.ts` in Node).
 *
 * - `router`: method + path patterns (`/rest/api/3/issue/:key`) to handlers, 404 otherwise;
 * - `json`, `html`, `redirect`: responses shaped like a vendor's;
 * - `credentialsOf`: the bearer token or Basic credentials a request carries;
 * - `makeFaults`: switches a test flips to make the fake fail the next calls (a vendor error, a
 *   rate limit with Retry-After), so a provider's error mapping can be exercised;
 * - `readJsonBody`: a request body decoded with a Schema (fakes are strict where vendors are).
 *
 * Test tooling only: fakes are unauthenticated where it does not matter and never deployed.
 */
import { Option, Schema } from "effect"

export const json = (status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } })

export const noContent = (): Response => new Response(null, { status: 204 })

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)

export const html = (status: number, title: string, body: string): Response =>
  new Response(
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`,
    { status, headers: { "content-type": "text/html; charset=utf-8" } }
  )

/** A 302 to `base` with `params` added (null values left out), as OAuth consent pages answer. */
export const redirect = (base: string, params: Readonly<Record<string, string | null>>): Response => {
  const url = new URL(base)
  for (const [key, value] of Object.entries(params)) if (value !== null) url.searchParams.set(key, value)
  return new Response(null, { status: 302, headers: { location: url.toString() } })
}

export type Credentials =
  | { readonly _tag: "Bearer"; readonly token: string }
  | { readonly _tag: "Basic"; readonly username: string; readonly password: string }
  | { readonly _tag: "None" }

/** The credentials of a request's `Authorization` header. */
export const credentialsOf = (request: Request): Credentials => {
  const header = request.headers.get("authorization") ?? ""
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (bearer?.[1] !== undefined) return { _tag: "Bearer", token: bearer[1] }
  const basic = /^Basic\s+(\S+)\s*$/i.exec(header)
  if (basic?.[1] !== undefined) {
    try {
      const decoded = new TextDecoder().decode(Uint8Array.from(atob(basic[1]), (character) => character.charCodeAt(0)))
      const separator = decoded.indexOf(":")
      if (separator > 0) return { _tag: "Basic", username: decoded.slice(0, separator), password: decoded.slice(separator + 1) }
    } catch {
      return { _tag: "None" }
    }
  }
  return { _tag: "None" }
}

/** Decodes a JSON request body with `schema`; none when it is not JSON or not of that shape. */
export const readJsonBody = async <A>(request: Request, schema: Schema.Codec<A, unknown>): Promise<Option.Option<A>> => {
  const text = await request.text()
  return Schema.decodeUnknownOption(Schema.fromJsonString(schema))(text.length === 0 ? "{}" : text)
}

export interface RouteMatch {
  readonly request: Request
  readonly url: URL
  readonly params: Readonly<Record<string, string>>
}

export type RouteHandler = (match: RouteMatch) => Response | Promise<Response>

/** `[method, pattern, handler]`; `:name` in a pattern matches one path segment. */
export type Route = readonly [method: string, pattern: string, handler: RouteHandler]

const compile = (pattern: string): RegExp =>
  new RegExp(`^${pattern.split("/").map((part) => part.startsWith(":") ? `(?<${part.slice(1)}>[^/]+)` : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("/")}$`)

/**
 * A handler that dispatches on method and path; unknown routes answer 404 as JSON. `pathname`
 * overrides the request's own path, for fakes that serve one API under several prefixes.
 */
export const router = (routes: ReadonlyArray<Route>, notFound?: RouteHandler) => {
  const compiled = routes.map(([method, pattern, handler]) => ({ method, regex: compile(pattern), handler }))
  return async (request: Request, pathname?: string): Promise<Response> => {
    const url = new URL(request.url)
    const path = (pathname ?? url.pathname).replace(/\/+$/, "") || "/"
    for (const route of compiled) {
      if (route.method !== request.method) continue
      const match = route.regex.exec(path)
      if (match === null) continue
      const params = Object.fromEntries(Object.entries(match.groups ?? {}).map(([key, value]) => [key, decodeURIComponent(value)]))
      return route.handler({ request, url, params })
    }
    return notFound === undefined
      ? json(404, { error: `the fake has no ${request.method} ${path}` })
      : notFound({ request, url, params: {} })
  }
}

/** A failure the fake answers with instead of doing the work. */
export interface Fault {
  readonly status: number
  readonly body: unknown
  readonly headers?: Readonly<Record<string, string>> | undefined
}

export interface Faults {
  /** Every API call answers this until cleared (`false`): a rate limit, an outage. */
  readonly setAlways: (fault: Fault | false) => void
  /** The next `count` API calls answer this, then the fake behaves again. */
  readonly failNext: (fault: Fault, count?: number) => void
  /** The fault for this call, if any (consumes one of `failNext`). */
  readonly take: () => Fault | undefined
  readonly clear: () => void
}

export const makeFaults = (): Faults => {
  let always: Fault | undefined
  const queue: Array<Fault> = []
  return {
    setAlways: (fault) => {
      always = fault === false ? undefined : fault
    },
    failNext: (fault, count = 1) => {
      for (let index = 0; index < count; index++) queue.push(fault)
    },
    take: () => queue.shift() ?? always,
    clear: () => {
      always = undefined
      queue.length = 0
    }
  }
}

export const faultResponse = (fault: Fault): Response => json(fault.status, fault.body, fault.headers)
