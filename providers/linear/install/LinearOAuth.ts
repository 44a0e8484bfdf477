/**
 * Installing Linear as an agent: OAuth 2 authorization code with `actor=app` (the app acts as its
 * own Linear user, which is what makes it mentionable and assignable), PKCE S256, the token
 * endpoint for the code exchange and refreshes, and Linear's revoke endpoint on uninstall.
 *
 * After the exchange it asks GraphQL who the app user is (`viewer`) and which workspace was
 * connected (`organization`): the organization id is the installation's external account, and
 * the app user's id and handle are kept in metadata, to ignore the app's own webhook events and
 * to recognise comments that mention it.
 *
 * Access tokens expire (24 hours); the kernel refreshes ahead of expiry and after a rejection,
 * one refresh at a time per installation, because each refresh rotates the refresh token.
 */
import { Clock, Effect, Option, Redacted, Schema } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"
import { type InstallGrant, tokenSet, type TokenSet } from "../../../kernel/domain/Credentials.ts"
import { InstallError, type ToolError } from "../../../kernel/domain/Errors.ts"
import type { OAuthInstall } from "../../../kernel/provider/Install.ts"
import type { OAuthClient } from "../../../kernel/provider/Settings.ts"
import { decodeJsonText, nullable } from "../../../kernel/provider/Vendor.ts"
import * as LinearClient from "../LinearClient.ts"
import type { LinearSettings } from "../LinearConfig.ts"

export const SCOPES: ReadonlyArray<string> = ["read", "write", "app:assignable", "app:mentionable"]

export const TokenResponse = Schema.Struct({
  access_token: Schema.String,
  token_type: nullable(Schema.String),
  expires_in: nullable(Schema.Number),
  scope: nullable(Schema.String),
  refresh_token: nullable(Schema.String)
})

const OAuthErrorBody = Schema.Struct({
  error: Schema.String,
  error_description: nullable(Schema.String)
})

export const Identity = LinearClient.operation(
  "SwitchboardInstallation",
  "query SwitchboardInstallation { viewer { id name displayName } organization { id name urlKey } }",
  Schema.Struct({
    viewer: Schema.Struct({ id: Schema.String, name: Schema.String, displayName: nullable(Schema.String) }),
    organization: Schema.Struct({ id: Schema.String, name: Schema.String, urlKey: Schema.String })
  })
)

const installError = (reason: InstallError["reason"], message: string) => new InstallError({ reason, message })

/** Linear has answered with both `"read write"` and `"read,write"`. */
export const parseScopes = (scope: string | null | undefined): ReadonlyArray<string> =>
  (scope ?? "").split(/[\s,]+/).filter((entry) => entry.length > 0)

const requireCredentials = (settings: LinearSettings) =>
  Option.match(settings.oauth, {
    onNone: () =>
      Effect.fail(installError("NotConfigured", "Linear OAuth is not configured: set LINEAR_CLIENT_ID and LINEAR_CLIENT_SECRET")),
    onSome: (credentials) => Effect.succeed(credentials)
  })

const decodeTokens = decodeJsonText(TokenResponse)
const decodeOAuthError = decodeJsonText(OAuthErrorBody)

/**
 * Maps a failed token-endpoint answer: the caller's fault is `VendorRejected`, Linear's is
 * `VendorUnavailable`. On a refresh, `invalid_grant` means the refresh token is revoked, used or
 * expired: the grant is gone for good (the app was removed, or access revoked), `GrantRevoked`.
 */
const tokenEndpointError = (
  what: string,
  status: number,
  body: string,
  refreshing = false
): Effect.Effect<never, InstallError> =>
  decodeOAuthError(body).pipe(
    Effect.map((error) => ({
      code: error.error,
      detail: `${error.error}${error.error_description ? `: ${error.error_description}` : ""}`
    })),
    Effect.orElseSucceed(() => ({ code: "", detail: `HTTP ${status}` })),
    Effect.flatMap(({ code, detail }) => {
      if (status === 429 || status >= 500) {
        return Effect.fail(installError("VendorUnavailable", `Linear could not ${what} right now (${detail})`))
      }
      if (status === 401 || code === "invalid_client") {
        return Effect.fail(installError(
          "VendorRejected",
          `Linear rejected the client credentials (${detail}); check LINEAR_CLIENT_ID and LINEAR_CLIENT_SECRET`
        ))
      }
      if (refreshing && code === "invalid_grant") {
        return Effect.fail(installError(
          "GrantRevoked",
          `Linear no longer honours this installation's grant (${detail}); reinstall the app in the workspace`
        ))
      }
      return Effect.fail(installError("VendorRejected", `Linear refused to ${what} (${detail})`))
    })
  )

const postForm = (url: string, what: string, form: Readonly<Record<string, string>>, bearer?: Redacted.Redacted<string>) =>
  HttpClientRequest.post(url).pipe(
    HttpClientRequest.acceptJson,
    (request) => bearer === undefined ? request : HttpClientRequest.bearerToken(request, bearer),
    HttpClientRequest.bodyUrlParams(form),
    HttpClient.execute,
    Effect.flatMap((response) => Effect.map(response.text, (text) => ({ status: response.status, text }))),
    Effect.mapError((error) => installError("VendorUnavailable", `Could not reach Linear to ${what}: ${error.message}`))
  )

const requestTokens = Effect.fnUntraced(function*(
  settings: LinearSettings,
  credentials: OAuthClient,
  what: string,
  grant: Readonly<Record<string, string>>
) {
  const { status, text } = yield* postForm(`${settings.apiUrl}/oauth/token`, what, {
    ...grant,
    client_id: credentials.clientId,
    client_secret: Redacted.value(credentials.clientSecret)
  })
  if (status < 200 || status >= 300) return yield* tokenEndpointError(what, status, text, grant["grant_type"] === "refresh_token")
  return yield* decodeTokens(text).pipe(
    Effect.mapError(() => installError("VendorUnavailable", `Linear's token endpoint gave an unexpected answer to ${what}`))
  )
})

const identityError = (error: ToolError): InstallError =>
  installError(
    error.reason === "Unauthorized" || error.reason === "Forbidden" ? "VendorRejected" : "VendorUnavailable",
    `Could not read the connected Linear workspace: ${error.message}`
  )

export const make = (settings: LinearSettings): OAuthInstall => {
  const client = LinearClient.make(settings.apiUrl)

  const authorizationUrl: OAuthInstall["authorizationUrl"] = ({ codeChallenge, redirectUri, state }) =>
    Effect.map(requireCredentials(settings), (credentials) => {
      const url = new URL(`${settings.oauthUrl}/oauth/authorize`)
      url.searchParams.set("client_id", credentials.clientId)
      url.searchParams.set("redirect_uri", redirectUri)
      url.searchParams.set("response_type", "code")
      url.searchParams.set("scope", SCOPES.join(","))
      url.searchParams.set("state", state)
      url.searchParams.set("actor", "app")
      Option.map(codeChallenge, (challenge) => {
        url.searchParams.set("code_challenge", challenge)
        url.searchParams.set("code_challenge_method", "S256")
      })
      return url.toString()
    })

  const exchange: OAuthInstall["exchange"] = Effect.fn("LinearOAuth.exchange")(function*({ code, codeVerifier, redirectUri }) {
    const credentials = yield* requireCredentials(settings)
    const response = yield* requestTokens(settings, credentials, "exchange the authorization code", {
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      ...Option.match(codeVerifier, { onNone: () => ({}), onSome: (verifier) => ({ code_verifier: verifier }) })
    })
    const now = yield* Clock.currentTimeMillis
    const tokens = tokenSet({
      accessToken: response.access_token,
      refreshToken: response.refresh_token ?? undefined,
      expiresInSeconds: response.expires_in ?? undefined,
      now,
      scopes: parseScopes(response.scope)
    })
    const identity = yield* client.execute(Identity, {}, tokens.accessToken).pipe(Effect.mapError(identityError))
    const grant: InstallGrant = {
      externalAccountId: identity.organization.id,
      displayName: identity.organization.name,
      tokens,
      metadata: {
        appUserId: identity.viewer.id,
        appUserName: identity.viewer.name,
        // The handle people type to @-mention the agent, for the comment path.
        appUserDisplayName: identity.viewer.displayName ?? identity.viewer.name,
        urlKey: identity.organization.urlKey
      }
    }
    return grant
  })

  const refresh = Effect.fn("LinearOAuth.refresh")(function*(current: TokenSet) {
    const credentials = yield* requireCredentials(settings)
    const refreshToken = yield* Option.match(current.refreshToken, {
      onNone: () => Effect.fail(installError("VendorRejected", "This Linear grant has no refresh token; reconnect it")),
      onSome: (token) => Effect.succeed(token)
    })
    const response = yield* requestTokens(settings, credentials, "refresh the access token", {
      grant_type: "refresh_token",
      refresh_token: Redacted.value(refreshToken)
    })
    const now = yield* Clock.currentTimeMillis
    const next = tokenSet({
      accessToken: response.access_token,
      refreshToken: response.refresh_token ?? undefined,
      expiresInSeconds: response.expires_in ?? undefined,
      now,
      scopes: response.scope ? parseScopes(response.scope) : current.scopes
    })
    // Linear rotates refresh tokens, but if an answer omits one the old one is still the grant.
    return { ...next, refreshToken: Option.orElse(next.refreshToken, () => current.refreshToken), extra: current.extra }
  })

  // Revocation needs only the token itself, so an uninstall still works after the app's
  // credentials were removed from the deployment.
  const revoke = Effect.fn("LinearOAuth.revoke")(function*(current: TokenSet) {
    const { status, text } = yield* postForm(
      `${settings.apiUrl}/oauth/revoke`,
      "revoke the grant",
      { token: Redacted.value(current.accessToken), token_type_hint: "access_token" },
      current.accessToken
    )
    // 401: the token no longer authenticates, so there is nothing left to revoke.
    if ((status >= 200 && status < 300) || status === 401) return
    return yield* tokenEndpointError("revoke the grant", status, text)
  })

  return {
    _tag: "OAuth",
    pkce: true,
    authorizationUrl,
    exchange,
    refresh: Option.some(refresh),
    revoke: Option.some(revoke)
  }
}
