/**
 * Routing for a fake vendor API: a table of `[method, pattern, handler]` (method `*` for any), where `:name` in a
 * pattern matches one path segment and `:name*` the rest of the path; parameters arrive
 * URI-decoded. A handler also receives a context the fake computes per request (the caller a
 * credential names, say), so the table is compiled once.
 */
import { json } from "./FakeResponses.ts"

export interface RouteMatch {
  readonly request: Request
  readonly url: URL
  /** The path routed on (without a prefix the fake strips, and without a trailing slash). */
  readonly path: string
  readonly params: Readonly<Record<string, string>>
}

export type RouteHandler<Context = void> = (match: RouteMatch, context: Context) => Response | Promise<Response>

/** `[method, pattern, handler]`. */
export type Route<Context = void> = readonly [method: string, pattern: string, handler: RouteHandler<Context>]

const compile = (pattern: string): RegExp =>
  new RegExp(`^${
    pattern.split("/").map((part) =>
      part.startsWith(":")
        ? part.endsWith("*") ? `(?<${part.slice(1, -1)}>.+)` : `(?<${part.slice(1)}>[^/]+)`
        : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    ).join("/")
  }$`)

/** A request's path without trailing slashes (`/` for the root). */
export const pathOf = (request: Request): string => new URL(request.url).pathname.replace(/\/+$/, "") || "/"

export interface Matched<Context> {
  readonly handler: RouteHandler<Context>
  readonly params: Readonly<Record<string, string>>
}

/** The route for a method and path, for fakes that do work between matching and handling. */
export const routeTable = <Context = void>(routes: ReadonlyArray<Route<Context>>) => {
  const compiled = routes.map(([method, pattern, handler]) => ({ method, regex: compile(pattern), handler }))
  return (method: string, path: string): Matched<Context> | undefined => {
    for (const route of compiled) {
      if (route.method !== "*" && route.method !== method) continue
      const match = route.regex.exec(path)
      if (match === null) continue
      return {
        handler: route.handler,
        params: Object.fromEntries(Object.entries(match.groups ?? {}).map(([key, value]) => [key, decodeURIComponent(value)]))
      }
    }
    return undefined
  }
}

/**
 * A handler that dispatches on method and path; unknown routes answer 404 as JSON, or as
 * `notFound` says. `pathname` overrides the request's own path, for fakes that serve one API
 * under several prefixes.
 */
export const router = <Context = void>(routes: ReadonlyArray<Route<Context>>, notFound?: RouteHandler<Context>) => {
  const find = routeTable(routes)
  return async (request: Request, context: Context, pathname?: string): Promise<Response> => {
    const url = new URL(request.url)
    const path = pathname === undefined ? pathOf(request) : pathname.replace(/\/+$/, "") || "/"
    const found = find(request.method, path)
    if (found !== undefined) return found.handler({ request, url, path, params: found.params }, context)
    return notFound === undefined
      ? json(404, { error: `the fake has no ${request.method} ${path}` })
      : notFound({ request, url, path, params: {} }, context)
  }
}
