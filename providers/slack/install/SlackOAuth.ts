/**
 * Installing a Slack app with OAuth v2: the consent page `/oauth/v2/authorize` with the bot
 * scopes, `oauth.v2.access` for the code (client id and secret in HTTP Basic, as Slack
 * recommends), `auth.test` to learn the workspace URL and bot id, `oauth.v2.access` with
 * `grant_type=refresh_token` when the app rotates tokens, and `auth.revoke` on uninstall.
 *
 * The app is the tenant's own when the kernel passes an `AppContext`, else the deployment's.
 * No PKCE: on Slack, enabling it turns the app into a public client for good.
 *
 * An org-wide install (Enterprise Grid) is keyed by its enterprise id, as Slack's events route
 * it; a workspace install by its team id. Token rotation is the app's choice: with it Slack
 * returns `refresh_token` and `expires_in` (12 hours), and each refresh token works once, which
 * is why the kernel refreshes one at a time. Without it the bot token never expires.
 */
import { Effect, Option, Redacted, Schema } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"
import type { InstallGrant, TokenSet } from "../../../kernel/domain/Credentials.ts"
import { InstallError } from "../../../kernel/domain/Errors.ts"
import { type OAuthInstall, setupFrom } from "../../../kernel/provider/Install.ts"
import { consentUrl, tokensFrom } from "../../../kernel/provider/OAuth2.ts"
import type { AppContext } from "../../../kernel/provider/Registration.ts"
import * as SlackClient from "../SlackClient.ts"
import { credentialsFor, type SlackAppCredentials, type SlackSettings } from "../SlackConfig.ts"
import { BOT_SCOPES } from "./SlackManifest.ts"
import { decodeJsonText, nullable } from "../../../kernel/provider/Vendor.ts"

const Named = Schema.Struct({ id: Schema.String, name: nullable(Schema.String) })

export const AccessGranted = Schema.Struct({
  ok: Schema.Literal(true),
  access_token: nullable(Schema.String),
  token_type: nullable(Schema.String),
  scope: nullable(Schema.String),
  bot_user_id: nullable(Schema.String),
  app_id: nullable(Schema.String),
  team: nullable(Named),
  enterprise: nullable(Named),
  is_enterprise_install: nullable(Schema.Boolean),
  authed_user: nullable(Schema.Struct({ id: nullable(Schema.String) })),
  refresh_token: nullable(Schema.String),
  expires_in: nullable(Schema.Number)
})
export type AccessGranted = typeof AccessGranted.Type
export const AccessRefused = Schema.Struct({ ok: Schema.Literal(false), error: Schema.String })
const decodeAccess = decodeJsonText(Schema.Union([AccessGranted, AccessRefused]))

export const AuthTest = SlackClient.method(
  "auth.test",
  "form",
  Schema.Struct({
    url: nullable(Schema.String),
    team: nullable(Schema.String),
    team_id: nullable(Schema.String),
    user_id: nullable(Schema.String),
    bot_id: nullable(Schema.String)
  })
)
const Revoke = SlackClient.method("auth.revoke", "form", Schema.Struct({ revoked: nullable(Schema.Boolean) }))

const installError = (reason: InstallError["reason"], message: string) => new InstallError({ reason, message })

export const requireCredentials = (settings: SlackSettings, app: Option.Option<AppContext> | undefined) =>
  Option.match(credentialsFor(settings, app), {
    onNone: () =>
      Effect.fail(installError(
        "NotConfigured",
        Option.isSome(app ?? Option.none())
          ? "This Slack app registration has no client credentials; paste them again"
          : "Slack OAuth is not configured: set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET"
      )),
    onSome: (credentials) => Effect.succeed(credentials)
  })

/** One `oauth.v2.access` request: Slack's answer, `ok: false` included; only transport fails. */
export const oauthAccess = Effect.fnUntraced(function*(
  settings: SlackSettings,
  credentials: SlackAppCredentials,
  what: string,
  form: Readonly<Record<string, string>>
) {
  const response = yield* HttpClientRequest.post(`${settings.apiUrl}/oauth.v2.access`).pipe(
    HttpClientRequest.basicAuth(credentials.clientId, credentials.clientSecret),
    HttpClientRequest.acceptJson,
    HttpClientRequest.bodyUrlParams(form),
    HttpClient.execute,
    Effect.mapError((error) => installError("VendorUnavailable", `Could not reach Slack to ${what}: ${error.message}`))
  )
  const text = yield* response.text.pipe(
    Effect.mapError((error) => installError("VendorUnavailable", `Could not read Slack's answer to ${what}: ${error.message}`))
  )
  if (response.status === 429 || response.status >= 500) {
    return yield* installError("VendorUnavailable", `Slack could not ${what} right now (HTTP ${response.status})`)
  }
  return yield* decodeAccess(text).pipe(
    Effect.mapError(() => installError("VendorUnavailable", `Slack's oauth.v2.access gave an unexpected answer to ${what}`))
  )
})

const refusal = (what: string, code: string, refreshing: boolean): InstallError => {
  if (code === "invalid_client_id" || code === "bad_client_secret") {
    return installError("VendorRejected", `Slack rejected the app's client credentials (${code}); check the Client ID and Client Secret`)
  }
  if (refreshing && (code === "invalid_refresh_token" || code === "invalid_grant" || code === "token_revoked")) {
    return installError("GrantRevoked", `Slack no longer honours this installation's refresh token (${code}); reinstall the app`)
  }
  if (code === "ratelimited" || code === "internal_error" || code === "fatal_error") {
    return installError("VendorUnavailable", `Slack could not ${what} right now (${code})`)
  }
  return installError("VendorRejected", `Slack refused to ${what} (${code})`)
}

const granted = Effect.fnUntraced(function*(
  settings: SlackSettings,
  app: Option.Option<AppContext> | undefined,
  what: string,
  form: Readonly<Record<string, string>>
) {
  const credentials = yield* requireCredentials(settings, app)
  const answer = yield* oauthAccess(settings, credentials, what, form)
  if (!answer.ok) return yield* refusal(what, answer.error, form["grant_type"] === "refresh_token")
  if (!answer.access_token || (answer.token_type && answer.token_type !== "bot")) {
    return yield* installError("VendorRejected", "Slack granted no bot token; the app needs a bot user and bot scopes")
  }
  return { ...answer, access_token: answer.access_token }
})

export const make = (settings: SlackSettings): OAuthInstall => {
  const client = SlackClient.make(settings.apiUrl)

  const authorizationUrl: OAuthInstall["authorizationUrl"] = ({ app, redirectUri, state }) =>
    Effect.map(requireCredentials(settings, app), (credentials) =>
      consentUrl(`${settings.oauthUrl}/oauth/v2/authorize`, {
        client_id: credentials.clientId,
        scope: BOT_SCOPES.join(","),
        redirect_uri: redirectUri,
        state
      }))

  const exchange: OAuthInstall["exchange"] = Effect.fn("SlackOAuth.exchange")(function*({ app, code, redirectUri }) {
    const answer = yield* granted(settings, app, "exchange the authorization code", {
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri
    })
    const tokens = yield* tokensFrom(answer, Option.none())
    const identity = yield* client.call(AuthTest, {}, tokens.accessToken).pipe(
      Effect.mapError((error) => installError("VendorUnavailable", `Could not check the new bot token: ${error.message}`))
    )
    const enterprise = answer.is_enterprise_install === true && answer.enterprise ? Option.some(answer.enterprise) : Option.none()
    const team = answer.team ?? undefined
    const account = Option.match(enterprise, { onNone: () => team, onSome: (found) => found })
    if (account === undefined) return yield* installError("VendorRejected", "Slack's answer names no workspace or organization")
    const metadata: Record<string, string> = {
      teamId: team?.id ?? identity.team_id ?? "",
      teamName: team?.name ?? identity.team ?? "",
      enterpriseId: answer.enterprise?.id ?? "",
      isEnterpriseInstall: String(Option.isSome(enterprise)),
      botUserId: answer.bot_user_id ?? identity.user_id ?? "",
      botId: identity.bot_id ?? "",
      appId: answer.app_id ?? "",
      workspaceUrl: identity.url ?? "",
      installerUserId: answer.authed_user?.id ?? "",
      tokenRotation: Option.isSome(tokens.refreshToken) ? "enabled" : "disabled"
    }
    const grant: InstallGrant = {
      externalAccountId: account.id,
      displayName: account.name ?? identity.team ?? account.id,
      tokens,
      metadata
    }
    return grant
  })

  // Tokens of an app without rotation never expire: there is nothing to refresh, so the same
  // set comes back and a rejected call fails with Slack's own reason.
  const refresh = Effect.fn("SlackOAuth.refresh")(function*(current: TokenSet, app?: Option.Option<AppContext>) {
    if (Option.isNone(current.refreshToken)) return current
    const answer = yield* granted(settings, app, "refresh the bot token", {
      grant_type: "refresh_token",
      refresh_token: Redacted.value(current.refreshToken.value)
    })
    return yield* tokensFrom(answer, Option.some(current))
  })

  // Revocation needs only the token, so an uninstall works even after the app's credentials
  // were removed. A token Slack no longer accepts has nothing left to revoke.
  const revoke = Effect.fn("SlackOAuth.revoke")(function*(current: TokenSet) {
    const result = yield* client.attempt(Revoke, {}, current.accessToken, ["invalid_auth", "token_revoked", "account_inactive"]).pipe(
      Effect.mapError((error) => installError("VendorUnavailable", `Could not revoke the bot token: ${error.message}`))
    )
    if (result._tag === "Refused") yield* Effect.logInfo("Slack token already unusable at revocation", result.code)
  })

  // The deployment's app; a tenant's own app (registration) installs without it.
  const configured = Option.isSome(settings.oauth)
  const setup = setupFrom({ SLACK_CLIENT_ID: configured, SLACK_CLIENT_SECRET: configured })
  return { _tag: "OAuth", pkce: false, setup, authorizationUrl, exchange, refresh: Option.some(refresh), revoke: Option.some(revoke) }
}
