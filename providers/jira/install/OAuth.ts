/**
 * Jira by OAuth 2.0 (3LO), on the kernel's authorization-code install. The admin consents as the
 * account the agent will act as and picks a site; accessible-resources names the site (its id is
 * the cloud id every call goes through) and `/myself` the account. Atlassian rotates refresh
 * tokens, and has neither PKCE nor a revocation endpoint for 3LO apps.
 */
import { Effect, Option } from "effect"
import { InstallError } from "../../../kernel/domain/Errors.ts"
import * as OAuth2 from "../../../kernel/provider/OAuth2.ts"
import { grantedSites, whoAmI } from "../client/JiraAccount.ts"
import type { JiraAuth, JiraClient } from "../client/JiraClient.ts"
import { hostOf, META } from "../client/JiraSite.ts"
import type { JiraSettings } from "../JiraSettings.ts"

export const make = (settings: JiraSettings, client: JiraClient) =>
  OAuth2.authorizationCode({
    vendor: "Atlassian",
    client: settings.oauth,
    clientSettings: "JIRA_CLIENT_ID and JIRA_CLIENT_SECRET",
    authorizeUrl: `${settings.authUrl}/authorize`,
    authorizeParams: { audience: "api.atlassian.com", prompt: "consent" },
    tokenUrl: `${settings.authUrl}/oauth/token`,
    tokenBody: "json",
    scopes: ["read:jira-work", "write:jira-work", "read:jira-user", "offline_access"],
    pkce: false,
    // A spent rotating refresh token is also answered 403 unauthorized_client "refresh_token is invalid".
    revokedWhen: ({ code, detail }) => code === "unauthorized_client" && /refresh.?token/i.test(detail),
    connect: Effect.fnUntraced(function*(tokens) {
      const auth: JiraAuth = { _tag: "Bearer", token: tokens.accessToken }
      const sites = yield* grantedSites(client, settings.apiUrl, auth)
      // A grant may reach several sites; the callback has nothing to choose with, so the first Jira one.
      const site = sites.find((found) => (found.scopes ?? []).some((scope) => scope.includes("jira")) && Option.isSome(hostOf(found.url)))
      if (site === undefined) {
        return yield* new InstallError({ reason: "VendorRejected", message: "The grant reaches no Jira site; pick a Jira site on the consent page" })
      }
      const account = yield* whoAmI(client, { baseUrl: `${settings.apiUrl}/ex/jira/${encodeURIComponent(site.id)}`, auth }, "VendorRejected")
      const host = Option.getOrElse(hostOf(site.url), () => site.url)
      const metadata = { [META.authType]: "oauth", [META.cloudId]: site.id, [META.siteUrl]: new URL(site.url).origin, ...account }
      return { externalAccountId: host, displayName: site.name ?? host, metadata }
    })
  })
