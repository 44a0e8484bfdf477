/**
 * A URL an admin pasted (a self-hosted or per-customer vendor site) is where Switchboard will
 * send the pasted credentials, so it is reduced to an origin this deployment allows: https on a
 * host matching the provider's allowlist (`*.atlassian.net` matches exactly one subdomain level),
 * no userinfo; plain http only on loopback, for local fakes. Never any server the paste names.
 */
import { Option } from "effect"

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"])

const matches = (host: string, pattern: string): boolean =>
  pattern.startsWith("*.") ? host.endsWith(pattern.slice(1)) && !host.slice(0, -pattern.length + 1).includes(".") : host === pattern

/** The pasted URL's origin (a missing scheme means https), if credentials may be sent there. */
export const allowedOrigin = (input: string, allowedHosts: ReadonlyArray<string>): Option.Option<string> => {
  const trimmed = input.trim()
  const candidate = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`
  if (!URL.canParse(candidate)) return Option.none()
  const url = new URL(candidate)
  if (url.username !== "" || url.password !== "") return Option.none()
  const hostname = url.hostname.toLowerCase()
  const secure = url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(hostname))
  const allowed = allowedHosts.some((pattern) => matches(hostname, pattern) || matches(url.host.toLowerCase(), pattern))
  return secure && allowed ? Option.some(url.origin) : Option.none()
}
