/**
 * Jira by credential paste, where an OAuth app is not an option: the site URL, the agent
 * account's e-mail and an API token of that account, checked with `/myself` before anything is
 * stored. The e-mail rides in the token set's sealed `extra`, beside the token.
 * The pasted site must be on JIRA_SITE_HOSTS (the kernel's `allowedOrigin`), port included.
 *
 * Until `/myself` answers, nothing says the pasted site is Jira, so every failure of that check
 * reads the same: one fixed message, whatever the site answered (its body could be anyone's
 * secret) and whether it answered at all (a closed port and an open one must look alike).
 */
import { Clock, Effect, Option, Redacted } from "effect"
import { tokenSet } from "../../../kernel/domain/Credentials.ts"
import { InstallError } from "../../../kernel/domain/Errors.ts"
import type { CredentialsInstall } from "../../../kernel/provider/Install.ts"
import { allowedOrigin } from "../../../kernel/provider/PastedUrl.ts"
import { whoAmI } from "../client/JiraAccount.ts"
import type { JiraClient } from "../client/JiraClient.ts"
import { hostOf, META } from "../client/JiraSite.ts"
import type { JiraSettings } from "../JiraSettings.ts"

const invalid = (message: string) => new InstallError({ reason: "InvalidCredentials", message })

export const NOT_CONFIRMED = "Jira did not confirm these credentials: check the site URL, the account e-mail and the API token, then try again"

export const make = (settings: JiraSettings, client: JiraClient): CredentialsInstall => ({
  _tag: "Credentials",
  fields: [
    { name: "siteUrl", label: "Site URL", secret: false, description: "Your Jira Cloud site, such as https://acme.atlassian.net" },
    { name: "email", label: "Account e-mail", secret: false, description: "The e-mail address of the Jira account the agent acts as" },
    { name: "apiToken", label: "API token", secret: true, description: "An API token of that account (id.atlassian.com → Security → API tokens)" }
  ],
  validate: Effect.fn("JiraCredentials.validate")(function*(fields) {
    const [siteUrl = "", email = "", apiToken = ""] = ["siteUrl", "email", "apiToken"].map((name) => Redacted.value(fields[name] ?? Redacted.make("")).trim())
    const origin = allowedOrigin(siteUrl, settings.siteHosts)
    if (Option.isNone(origin)) return yield* invalid(`The site URL must be an https URL on ${settings.siteHosts.join(", ")}, such as https://acme.atlassian.net`)
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) return yield* invalid("The account e-mail is not an e-mail address")
    const access = { baseUrl: origin.value, auth: { _tag: "Basic", email: Redacted.make(email), token: Redacted.make(apiToken) } } as const
    const account = yield* whoAmI(client, access, "InvalidCredentials").pipe(Effect.mapError(() => invalid(NOT_CONFIRMED)))
    const host = Option.getOrElse(hostOf(origin.value), () => origin.value)
    const tokens = tokenSet({ accessToken: apiToken, now: yield* Clock.currentTimeMillis, scopes: [], extra: { email } })
    return { externalAccountId: host, displayName: host, tokens, metadata: { [META.authType]: "basic", [META.siteUrl]: origin.value, ...account } }
  })
})
