/**
 * DNS-rebinding protection for `/mcp`: the Host header must name an allowed host and an Origin
 * header, when a browser sends one, must be an allowed origin. Anything else is 403 with a
 * JSON-RPC error body, before the token is even read.
 *
 * Hosts are compared by hostname, port-agnostic (the SDK's convention: a rebinding attack changes
 * the name, not the port); origins are compared exactly (scheme, host and port), which is
 * stricter than the SDK's hostname-only origin helper. A request without an Origin is not from
 * a browser page and passes that check; the literal `null` origin (sandboxed frames, files) does
 * not. In-process requests (`app.fetch(new Request(url))`) carry no Host header: their URL's
 * host stands in for it, which is what an HTTP server derives the URL from anyway.
 * The host check is the SDK's `validateHostHeader`, written out here (same messages) so that
 * this check, which runs before the token, does not load the SDK (see `McpServer`).
 */

export interface McpAllowlist {
  /** Hostnames (or `host:port`, the port is ignored) the Host header may name. */
  readonly hosts: ReadonlyArray<string>
  /** Origins (`scheme://host[:port]`) a browser page may call from. */
  readonly origins: ReadonlyArray<string>
}

const hostnameOf = (entry: string): string | undefined => {
  try {
    return new URL(`http://${entry.trim()}`).hostname.toLowerCase()
  } catch {
    return undefined
  }
}

const originOf = (entry: string): string | undefined => {
  try {
    const url = new URL(entry.trim())
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : undefined
  } catch {
    return undefined
  }
}

const forbidden = (message: string) =>
  new Response(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }), {
    status: 403,
    headers: { "content-type": "application/json" }
  })

const requestHost = (request: Request): string | undefined => {
  const header = request.headers.get("host")
  if (header !== null) return header
  try {
    return new URL(request.url).host
  } catch {
    return undefined
  }
}

type HostCheck = { readonly ok: true } | { readonly ok: false; readonly message: string }

const validateHostHeader = (hostHeader: string | undefined, allowed: ReadonlyArray<string>): HostCheck => {
  if (hostHeader === undefined || hostHeader === "") return { ok: false, message: "Missing Host header" }
  let hostname: string
  try {
    hostname = new URL(`http://${hostHeader}`).hostname
  } catch {
    return { ok: false, message: `Invalid Host header: ${hostHeader}` }
  }
  return allowed.includes(hostname) ? { ok: true } : { ok: false, message: `Invalid Host: ${hostname}` }
}

/** The check for one allowlist: `undefined` when the request may go on, else the 403 to answer. */
export const make = (allowlist: McpAllowlist) => {
  const hosts = allowlist.hosts.flatMap((entry) => hostnameOf(entry) ?? [])
  const origins = new Set(allowlist.origins.flatMap((entry) => originOf(entry) ?? []))
  const check = (request: Request): Response | undefined => {
    const host = validateHostHeader(requestHost(request), hosts)
    if (!host.ok) return forbidden(host.message)
    const origin = request.headers.get("origin")
    if (origin === null || origin === "") return undefined
    const normalised = originOf(origin)
    return normalised !== undefined && origins.has(normalised) ? undefined : forbidden(`Invalid Origin: ${origin.slice(0, 200)}`)
  }
  return { check }
}

export const McpGuard = { make }
