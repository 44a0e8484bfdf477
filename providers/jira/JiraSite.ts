/**
 * A Jira site and how an installation reaches it. Both install types end up here:
 *
 * - OAuth 2.0 (3LO): calls go through Atlassian's gateway, `<api>/ex/jira/<cloud id>`, with the
 *   bearer token; the cloud id comes from the accessible-resources API at install;
 * - credential paste: calls go to the site itself, `https://<site>.atlassian.net`, with Basic
 *   auth (account e-mail and API token).
 *
 * Either way the installation's external account is the site's host (`acme.atlassian.net`):
 * it is what Jira's webhooks name (in the `self` URLs of the issue, comment and user), so one
 * site's events reach every tenant that installed it, whichever way.
 */
import { Option } from "effect"
import type { Installation } from "../../kernel/domain/Installation.ts"

/** Installation metadata keys (never secrets). */
export const META = {
  authType: "authType",
  cloudId: "cloudId",
  siteUrl: "siteUrl",
  accountId: "accountId",
  accountName: "accountName"
} as const

export type AuthType = "oauth" | "basic"

/** The lowercase host of a URL, `acme.atlassian.net`; none for anything that is not a URL. */
export const hostOf = (url: string | null | undefined): Option.Option<string> =>
  typeof url === "string" && URL.canParse(url) ? Option.some(new URL(url).host.toLowerCase()) : Option.none()

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"])

const matches = (hostname: string, pattern: string): boolean =>
  pattern.startsWith("*.")
    ? hostname.endsWith(pattern.slice(1)) && !hostname.slice(0, -pattern.length + 1).includes(".")
    : hostname === pattern

/**
 * A pasted site URL reduced to its origin, if it is one this deployment may call with the pasted
 * credentials: a host on the allowlist (JIRA_SITE_HOSTS), over https (plain http only on
 * loopback, for the local fake). Anything else would let a tenant aim Switchboard at any server.
 */
export const siteOrigin = (input: string, allowedHosts: ReadonlyArray<string>): Option.Option<string> => {
  const trimmed = input.trim()
  const candidate = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`
  if (!URL.canParse(candidate)) return Option.none()
  const url = new URL(candidate)
  const hostname = url.hostname.toLowerCase()
  const secure = url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(hostname))
  if (!secure || url.username !== "" || url.password !== "") return Option.none()
  return allowedHosts.some((pattern) => matches(hostname, pattern) || matches(url.host.toLowerCase(), pattern))
    ? Option.some(url.origin)
    : Option.none()
}

export const metadataOf = (installation: Installation, key: string): Option.Option<string> =>
  Option.filter(Option.fromNullishOr(installation.metadata[key]), (value) => value.length > 0)

/** The Jira account the agent acts as (the consenting user, or the pasted account). */
export const agentAccountOf = (installation: Installation): Option.Option<string> => metadataOf(installation, META.accountId)
