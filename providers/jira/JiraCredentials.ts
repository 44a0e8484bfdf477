/**
 * Installing Jira by credential paste, for sites where an OAuth app is not an option: the site
 * URL, the agent account's e-mail address and an API token made on that account
 * (id.atlassian.com → Security → API tokens). They are checked with Jira (`/myself`) before
 * anything is stored; the token is the installation's access token and the e-mail rides along in
 * the token set's sealed `extra`, so neither ever reaches the metadata an API response shows.
 *
 * The site URL must be on JIRA_SITE_HOSTS (default `*.atlassian.net`) over https: the pasted
 * credentials are sent to it, so it cannot be any server a tenant names.
 */
import { Clock, Effect, Option, Redacted } from "effect"
import { type InstallGrant, tokenSet } from "../../kernel/domain/Credentials.ts"
import { InstallError } from "../../kernel/domain/Errors.ts"
import type { CredentialsInstall } from "../../kernel/provider/Install.ts"
import { whoAmI } from "./JiraAccount.ts"
import type { JiraClient } from "./JiraClient.ts"
import type { JiraSettings } from "./JiraConfig.ts"
import { hostOf, META, siteOrigin } from "./JiraSite.ts"

export const FIELDS = {
  siteUrl: "siteUrl",
  email: "email",
  apiToken: "apiToken"
} as const

const invalid = (message: string) => new InstallError({ reason: "InvalidCredentials", message })

const field = (fields: Readonly<Record<string, Redacted.Redacted<string>>>, name: string): string =>
  Redacted.value(fields[name] ?? Redacted.make("")).trim()

export const make = (settings: JiraSettings, client: JiraClient): CredentialsInstall => ({
  _tag: "Credentials",
  fields: [
    { name: FIELDS.siteUrl, label: "Site URL", secret: false, description: "Your Jira Cloud site, such as https://acme.atlassian.net" },
    { name: FIELDS.email, label: "Account e-mail", secret: false, description: "The e-mail address of the Jira account the agent acts as" },
    { name: FIELDS.apiToken, label: "API token", secret: true, description: "An API token of that account (id.atlassian.com → Security → API tokens)" }
  ],
  validate: Effect.fn("JiraCredentials.validate")(function*(fields) {
    const origin = siteOrigin(field(fields, FIELDS.siteUrl), settings.siteHosts)
    if (Option.isNone(origin)) {
      return yield* invalid(`The site URL must be an https URL on ${settings.siteHosts.join(", ")}, such as https://acme.atlassian.net`)
    }
    const email = field(fields, FIELDS.email)
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) return yield* invalid("The account e-mail is not an e-mail address")
    const apiToken = Redacted.make(field(fields, FIELDS.apiToken))
    const account = yield* whoAmI(
      client,
      { baseUrl: origin.value, auth: { _tag: "Basic", email: Redacted.make(email), token: apiToken } },
      "InvalidCredentials"
    )
    const host = Option.getOrElse(hostOf(origin.value), () => origin.value)
    const grant: InstallGrant = {
      externalAccountId: host,
      displayName: host,
      tokens: tokenSet({ accessToken: Redacted.value(apiToken), now: yield* Clock.currentTimeMillis, scopes: [], extra: { email } }),
      metadata: {
        [META.authType]: "basic",
        [META.siteUrl]: origin.value,
        [META.accountId]: account.accountId,
        [META.accountName]: account.displayName ?? "Jira agent"
      }
    }
    return grant
  })
})
