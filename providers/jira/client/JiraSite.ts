/**
 * What an installation records of its Jira site, and how a site is named. Both install types
 * end here: OAuth (3LO) calls go through Atlassian's gateway, `<api>/ex/jira/<cloud id>`, with the
 * bearer token; pasted credentials go to the site itself with Basic auth (e-mail and API token).
 *
 * Either way the installation's external account is the site's host (`acme.atlassian.net`):
 * it is what Jira's webhooks name (in the `self` URLs of the issue, comment and user), so one
 * site's events reach every tenant that installed it, whichever way.
 */
import { Option } from "effect"
import type { Installation } from "../../../kernel/domain/Installation.ts"

/** Installation metadata keys (never secrets). */
export const META = {
  authType: "authType",
  cloudId: "cloudId",
  siteUrl: "siteUrl",
  accountId: "accountId",
  accountName: "accountName"
} as const

/** The lowercase host of a URL, `acme.atlassian.net`; none for anything that is not a URL. */
export const hostOf = (url: string | null | undefined): Option.Option<string> =>
  typeof url === "string" && URL.canParse(url) ? Option.some(new URL(url).host.toLowerCase()) : Option.none()

export const metadataOf = (installation: Installation, key: string): Option.Option<string> =>
  Option.filter(Option.fromNullishOr(installation.metadata[key]), (value) => value.length > 0)

/** The Jira account the agent acts as (the consenting user, or the pasted account). */
export const agentAccountOf = (installation: Installation): Option.Option<string> => metadataOf(installation, META.accountId)
