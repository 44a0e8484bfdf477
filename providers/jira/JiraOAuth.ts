/**
 * Installing Jira with OAuth 2.0 (3LO). The admin consents as the Jira account the agent will act
 * as (a dedicated account is best: assignments and mentions are matched against it) and picks a
 * site on Atlassian's consent page; the callback's code is traded for tokens at
 * `<auth>/oauth/token` (JSON body), the granted site is read from
 * `<api>/oauth/token/accessible-resources` (its `id` is the cloud id every call goes through:
 * `<api>/ex/jira/<cloud id>/rest/api/3/...`), and `/myself` names the account.
 *
 * `offline_access` brings a refresh token. Atlassian rotates it: each refresh answers a new one
 * and the old one stops working, so refreshes must happen one at a time per installation, which
 * the kernel guarantees (single flight, then a re-read of the stored tokens). A refresh token
 * Atlassian no longer honours (`invalid_grant`, or 403 `unauthorized_client` "refresh_token is
 * invalid") is `GrantRevoked`. Atlassian has no token revocation endpoint for 3LO apps, so
 * uninstalling only forgets the tokens here; the user removes the app under their Atlassian
 * account's connected apps. Atlassian does not support PKCE for 3LO apps.
 *
 * When the grant reaches several sites (the same user consented for more than one before), the
 * first site that carries Jira scopes is installed: the callback has nothing to choose with.
 */
import { Clock, Effect, Option, Redacted, Schema } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"
import { type InstallGrant, tokenSet, type TokenSet } from "../../kernel/domain/Credentials.ts"
import { InstallError } from "../../kernel/domain/Errors.ts"
import type { OAuthInstall } from "../../kernel/provider/Install.ts"
import { whoAmI } from "./JiraAccount.ts"
import type { JiraClient } from "./JiraClient.ts"
import type { JiraOAuthCredentials, JiraSettings } from "./JiraConfig.ts"
import { nullable } from "./JiraSchema.ts"
import { hostOf, META } from "./JiraSite.ts"

export const SCOPES: ReadonlyArray<string> = ["read:jira-work", "write:jira-work", "read:jira-user", "offline_access"]
export const AUDIENCE = "api.atlassian.com"

export const TokenResponse = Schema.Struct({
  access_token: Schema.String,
  expires_in: nullable(Schema.Number),
  scope: nullable(Schema.String),
  refresh_token: nullable(Schema.String)
})

export const AccessibleResource = Schema.Struct({
  id: Schema.String,
  url: Schema.String,
  name: nullable(Schema.String),
  scopes: nullable(Schema.Array(Schema.String))
})
export const AccessibleResources = Schema.Array(AccessibleResource)

const OAuthErrorBody = Schema.Struct({ error: Schema.String, error_description: nullable(Schema.String) })

const installError = (reason: InstallError["reason"], message: string) => new InstallError({ reason, message })

const requireCredentials = (settings: JiraSettings) =>
  Option.match(settings.oauth, {
    onNone: () => Effect.fail(installError("NotConfigured", "Jira OAuth is not configured: set JIRA_CLIENT_ID and JIRA_CLIENT_SECRET")),
    onSome: Effect.succeed
  })

const parseScopes = (scope: string | null | undefined): ReadonlyArray<string> =>
  (scope ?? "").split(/\s+/).filter((entry) => entry.length > 0)

/** The caller's fault is `VendorRejected`; Atlassian's is `VendorUnavailable`; a dead refresh token is `GrantRevoked`. */
const tokenEndpointError = (what: string, status: number, body: string, refreshing: boolean): InstallError => {
  const decoded = Schema.decodeUnknownOption(Schema.fromJsonString(OAuthErrorBody))(body)
  const code = Option.match(decoded, { onNone: () => "", onSome: (error) => error.error })
  const detail = Option.match(decoded, {
    onNone: () => `HTTP ${status}`,
    onSome: (error) => `${error.error}${error.error_description ? `: ${error.error_description}` : ""}`
  })
  if (status === 429 || status >= 500) return installError("VendorUnavailable", `Atlassian could not ${what} right now (${detail})`)
  if (refreshing && (code === "invalid_grant" || (code === "unauthorized_client" && /refresh.?token/i.test(detail)))) {
    return installError("GrantRevoked", `Atlassian no longer honours this installation's grant (${detail}); reconnect Jira`)
  }
  if (status === 401 || code === "invalid_client" || code === "access_denied") {
    return installError("VendorRejected", `Atlassian rejected the client credentials (${detail}); check JIRA_CLIENT_ID and JIRA_CLIENT_SECRET`)
  }
  return installError("VendorRejected", `Atlassian refused to ${what} (${detail})`)
}

const postJson = (url: string, what: string, body: Readonly<Record<string, string>>) =>
  HttpClientRequest.post(url).pipe(
    HttpClientRequest.acceptJson,
    HttpClientRequest.bodyJsonUnsafe(body),
    HttpClient.execute,
    Effect.flatMap((response) => Effect.map(response.text, (text) => ({ status: response.status, text }))),
    Effect.mapError((error) => installError("VendorUnavailable", `Could not reach Atlassian to ${what}: ${error.message}`))
  )

const requestTokens = Effect.fnUntraced(function*(
  settings: JiraSettings,
  credentials: JiraOAuthCredentials,
  what: string,
  grant: Readonly<Record<string, string>>
) {
  const { status, text } = yield* postJson(`${settings.authUrl}/oauth/token`, what, {
    ...grant,
    client_id: credentials.clientId,
    client_secret: Redacted.value(credentials.clientSecret)
  })
  if (status < 200 || status >= 300) return yield* tokenEndpointError(what, status, text, grant["grant_type"] === "refresh_token")
  return yield* Schema.decodeUnknownEffect(Schema.fromJsonString(TokenResponse))(text).pipe(
    Effect.mapError(() => installError("VendorUnavailable", `Atlassian's token endpoint gave an unexpected answer to ${what}`))
  )
})

const accessibleSite = Effect.fnUntraced(function*(settings: JiraSettings, accessToken: Redacted.Redacted<string>) {
  const response = yield* HttpClientRequest.get(`${settings.apiUrl}/oauth/token/accessible-resources`).pipe(
    HttpClientRequest.bearerToken(accessToken),
    HttpClientRequest.acceptJson,
    HttpClient.execute,
    Effect.flatMap((answer) => Effect.map(answer.text, (text) => ({ status: answer.status, text }))),
    Effect.mapError((error) => installError("VendorUnavailable", `Could not reach Atlassian to list the granted sites: ${error.message}`))
  )
  if (response.status !== 200) return yield* installError("VendorRejected", `Atlassian would not list the granted sites (HTTP ${response.status})`)
  const resources = yield* Schema.decodeUnknownEffect(Schema.fromJsonString(AccessibleResources))(response.text).pipe(
    Effect.mapError(() => installError("VendorUnavailable", "Atlassian's accessible-resources answer has an unexpected shape"))
  )
  const jira = resources.find((resource) => (resource.scopes ?? []).some((scope) => scope.includes("jira")) && Option.isSome(hostOf(resource.url)))
  if (jira === undefined) return yield* installError("VendorRejected", "The grant reaches no Jira site; pick a Jira site on the consent page")
  return jira
})

const nextTokens = (response: typeof TokenResponse.Type, now: number, current: Option.Option<TokenSet>): TokenSet => {
  const next = tokenSet({
    accessToken: response.access_token,
    refreshToken: response.refresh_token ?? undefined,
    expiresInSeconds: response.expires_in ?? undefined,
    now,
    scopes: parseScopes(response.scope)
  })
  return Option.match(current, {
    onNone: () => next,
    // An answer without a refresh token or scopes leaves the ones the grant already had.
    onSome: (previous) => ({
      ...next,
      refreshToken: Option.orElse(next.refreshToken, () => previous.refreshToken),
      scopes: next.scopes.length > 0 ? next.scopes : previous.scopes,
      extra: previous.extra
    })
  })
}

export const make = (settings: JiraSettings, client: JiraClient): OAuthInstall => {
  const authorizationUrl: OAuthInstall["authorizationUrl"] = ({ redirectUri, state }) =>
    Effect.map(requireCredentials(settings), (credentials) => {
      const url = new URL(`${settings.authUrl}/authorize`)
      url.searchParams.set("audience", AUDIENCE)
      url.searchParams.set("client_id", credentials.clientId)
      url.searchParams.set("scope", SCOPES.join(" "))
      url.searchParams.set("redirect_uri", redirectUri)
      url.searchParams.set("state", state)
      url.searchParams.set("response_type", "code")
      url.searchParams.set("prompt", "consent")
      return url.toString()
    })

  const exchange: OAuthInstall["exchange"] = Effect.fn("JiraOAuth.exchange")(function*({ code, redirectUri }) {
    const credentials = yield* requireCredentials(settings)
    const response = yield* requestTokens(settings, credentials, "exchange the authorization code", {
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri
    })
    const tokens = nextTokens(response, yield* Clock.currentTimeMillis, Option.none())
    const site = yield* accessibleSite(settings, tokens.accessToken)
    const baseUrl = `${settings.apiUrl}/ex/jira/${encodeURIComponent(site.id)}`
    const account = yield* whoAmI(client, { baseUrl, auth: { _tag: "Bearer", token: tokens.accessToken } }, "VendorRejected")
    const host = Option.getOrElse(hostOf(site.url), () => site.url)
    const grant: InstallGrant = {
      externalAccountId: host,
      displayName: site.name ?? host,
      tokens,
      metadata: {
        [META.authType]: "oauth",
        [META.cloudId]: site.id,
        [META.siteUrl]: new URL(site.url).origin,
        [META.accountId]: account.accountId,
        [META.accountName]: account.displayName ?? "Jira agent"
      }
    }
    return grant
  })

  const refresh = Effect.fn("JiraOAuth.refresh")(function*(current: TokenSet) {
    // Pasted credentials (and grants without offline_access) have nothing to refresh.
    if (Option.isNone(current.refreshToken)) return current
    const credentials = yield* requireCredentials(settings)
    const response = yield* requestTokens(settings, credentials, "refresh the access token", {
      grant_type: "refresh_token",
      refresh_token: Redacted.value(current.refreshToken.value)
    })
    return nextTokens(response, yield* Clock.currentTimeMillis, Option.some(current))
  })

  return { _tag: "OAuth", pkce: false, authorizationUrl, exchange, refresh: Option.some(refresh), revoke: Option.none() }
}
