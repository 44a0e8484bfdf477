/**
 * An OAuth 2.0 authorization-code install for vendors with a standard token endpoint (RFC 6749:
 * `grant_type` posted as a form or as JSON, errors as `{ error, error_description }`), declared
 * rather than written: the consent URL, the code exchange, rotating refreshes and their error
 * mapping are the kernel's; the provider says where its endpoints are and how a grant names the
 * workspace it connected (`connect`), and optionally where its RFC 7009 revocation endpoint is.
 *
 * Not covered: vendors whose token endpoint answers errors with 200 (Slack's `ok: false`), or
 * whose "install" is not a code exchange (GitHub Apps); they write their `OAuthInstall` by hand,
 * and can still build their token sets with `tokensFrom` and `grantedScopes`.
 */
import { Clock, Effect, Option, Redacted, Schema } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"
import { type InstallGrant, tokenSet, type TokenSet } from "../domain/Credentials.ts"
import { InstallError, type ToolError } from "../domain/Errors.ts"
import { configured, type MethodSetup, type OAuthInstall } from "./Install.ts"
import type { OAuthClient } from "./Settings.ts"
import { nullable } from "./Vendor.ts"

/** A token endpoint's refusal, as `revokedWhen` sees it. */
export interface TokenEndpointFailure {
  readonly status: number
  /** The OAuth `error` code (`invalid_grant`), empty when the body had none. */
  readonly code: string
  readonly detail: string
}

export interface AuthorizationCodeSpec {
  /** Who answers, for messages: "Atlassian". */
  readonly vendor: string
  /** None until the deployment sets it; the install then fails `NotConfigured`. */
  readonly client: Option.Option<OAuthClient>
  /** The settings that hold the client, for messages: "JIRA_CLIENT_ID and JIRA_CLIENT_SECRET". */
  readonly clientSettings: string
  readonly authorizeUrl: string
  /** Vendor-specific consent parameters (`audience`, `prompt`, `actor` ...). */
  readonly authorizeParams?: Readonly<Record<string, string>> | undefined
  readonly tokenUrl: string
  /** How the token endpoint takes its parameters; default `form`. */
  readonly tokenBody?: "form" | "json" | undefined
  readonly scopes: ReadonlyArray<string>
  /** Default one space. */
  readonly scopeSeparator?: string | undefined
  readonly pkce: boolean
  /** Refusals of a refresh that mean the grant is gone, besides `invalid_grant`. */
  readonly revokedWhen?: ((failure: TokenEndpointFailure) => boolean) | undefined
  /** What the `GrantRevoked` message tells the admin to do; default "reconnect it". */
  readonly revokedAdvice?: string | undefined
  /**
   * A refresh of a token set without a refresh token: `keep` (default) returns it unchanged, as
   * for pasted credentials and grants without offline access; `fail` is `VendorRejected`, for
   * vendors whose every grant has one.
   */
  readonly missingRefreshToken?: "keep" | "fail" | undefined
  /** Which workspace the new tokens reach, and what to remember of it. */
  readonly connect: (tokens: TokenSet) => Effect.Effect<Omit<InstallGrant, "tokens">, InstallError, HttpClient.HttpClient>
  /**
   * The revocation endpoint (RFC 7009): the access token is posted as `token` with
   * `token_type_hint=access_token`, authenticated by itself as a bearer token, so an uninstall
   * still works after the client credentials left the deployment. A 401 means nothing is left to
   * revoke. `revoke` wins when both are given.
   */
  readonly revokeUrl?: string | undefined
  readonly revoke?: OAuthInstall["revoke"] | undefined
}

/** The token fields of a token endpoint's answer (RFC 6749 section 5.1). */
export interface TokenAnswer {
  readonly access_token: string
  readonly expires_in?: number | null | undefined
  readonly scope?: string | null | undefined
  readonly refresh_token?: string | null | undefined
}

const TokenResponse = Schema.Struct({
  access_token: Schema.String,
  expires_in: nullable(Schema.Number),
  scope: nullable(Schema.String),
  refresh_token: nullable(Schema.String)
})
const OAuthErrorBody = Schema.Struct({ error: Schema.String, error_description: nullable(Schema.String) })
const decodeTokens = Schema.decodeUnknownOption(Schema.fromJsonString(TokenResponse))
const decodeError = Schema.decodeUnknownOption(Schema.fromJsonString(OAuthErrorBody))

const installError = (reason: InstallError["reason"], message: string) => new InstallError({ reason, message })

/**
 * Maps a vendor call made while installing (reading the connected account, listing sites): what
 * the vendor refuses is `rejectedAs` (`VendorRejected` after OAuth, `InvalidCredentials` for a
 * paste), anything else means the vendor is unavailable.
 */
export const installFailure = (rejectedAs: InstallError["reason"], what: string) => (error: ToolError): InstallError =>
  installError(
    error.reason === "VendorError" || error.reason === "RateLimited" ? "VendorUnavailable" : rejectedAs,
    `Could not ${what}: ${error.message}`
  )

/** The caller's fault is `VendorRejected`, the vendor's `VendorUnavailable`, a dead grant on refresh `GrantRevoked`. */
const endpointError = (spec: AuthorizationCodeSpec, what: string, status: number, body: string, refreshing: boolean) => {
  const error = decodeError(body)
  const code = Option.match(error, { onNone: () => "", onSome: (found) => found.error })
  const detail = Option.match(error, {
    onNone: () => `HTTP ${status}`,
    onSome: (found) => `${found.error}${found.error_description ? `: ${found.error_description}` : ""}`
  })
  const failure = { status, code, detail }
  if (status === 429 || status >= 500) return installError("VendorUnavailable", `${spec.vendor} could not ${what} right now (${detail})`)
  if (refreshing && (code === "invalid_grant" || spec.revokedWhen?.(failure) === true)) {
    const advice = spec.revokedAdvice ?? "reconnect it"
    return installError("GrantRevoked", `${spec.vendor} no longer honours this installation's grant (${detail}); ${advice}`)
  }
  if (status === 401 || code === "invalid_client" || code === "access_denied") {
    return installError("VendorRejected", `${spec.vendor} rejected the client credentials (${detail}); check ${spec.clientSettings}`)
  }
  return installError("VendorRejected", `${spec.vendor} refused to ${what} (${detail})`)
}

const requireClient = (spec: AuthorizationCodeSpec) =>
  Option.match(spec.client, {
    onNone: () => Effect.fail(installError("NotConfigured", `${spec.vendor} OAuth is not configured: set ${spec.clientSettings}`)),
    onSome: Effect.succeed
  })

const send = (spec: AuthorizationCodeSpec, what: string, request: HttpClientRequest.HttpClientRequest) =>
  HttpClient.execute(HttpClientRequest.acceptJson(request)).pipe(
    Effect.flatMap((response) => Effect.map(response.text, (body) => ({ status: response.status, text: body }))),
    Effect.mapError((error) => installError("VendorUnavailable", `Could not reach ${spec.vendor} to ${what}: ${error.message}`))
  )

const requestTokens = Effect.fnUntraced(function*(spec: AuthorizationCodeSpec, what: string, grant: Readonly<Record<string, string>>) {
  const client = yield* requireClient(spec)
  const params = { ...grant, client_id: client.clientId, client_secret: Redacted.value(client.clientSecret) }
  const request = HttpClientRequest.post(spec.tokenUrl).pipe(
    spec.tokenBody === "json" ? HttpClientRequest.bodyJsonUnsafe(params) : HttpClientRequest.bodyUrlParams(params)
  )
  const { status, text } = yield* send(spec, what, request)
  if (status < 200 || status >= 300) return yield* endpointError(spec, what, status, text, grant["grant_type"] === "refresh_token")
  return yield* Option.match(decodeTokens(text), {
    onNone: () => Effect.fail(installError("VendorUnavailable", `${spec.vendor}'s token endpoint gave an unexpected answer to ${what}`)),
    onSome: Effect.succeed
  })
})

/** The vendor's consent page with these query parameters (set, so they replace any already in the URL). */
export const consentUrl = (authorizeUrl: string, params: Readonly<Record<string, string>>): string => {
  const url = new URL(authorizeUrl)
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
  return url.toString()
}

/** A granted scope list: vendors separate it with spaces (RFC 6749) or commas (Linear, Slack). */
export const grantedScopes = (scope: string | null | undefined): ReadonlyArray<string> =>
  (scope ?? "").split(/[\s,]+/).filter((entry) => entry.length > 0)

/**
 * The token set a token endpoint's answer gives: for a new grant (`current` none), or for a
 * refresh of `current`, whose refresh token, scopes and extra stay when the answer omits them.
 */
export const tokensFrom = Effect.fnUntraced(function*(response: TokenAnswer, current: Option.Option<TokenSet>) {
  const next = tokenSet({
    accessToken: response.access_token,
    refreshToken: response.refresh_token ?? undefined,
    expiresInSeconds: response.expires_in ?? undefined,
    now: yield* Clock.currentTimeMillis,
    scopes: grantedScopes(response.scope)
  })
  return Option.match(current, {
    onNone: () => next,
    // An answer without a refresh token or scopes leaves the ones the grant already had.
    onSome: (previous): TokenSet => ({
      ...next,
      refreshToken: Option.orElse(next.refreshToken, () => previous.refreshToken),
      scopes: next.scopes.length > 0 ? next.scopes : previous.scopes,
      extra: previous.extra
    })
  })
})

const revokeAt = (spec: AuthorizationCodeSpec) => (url: string) =>
  Effect.fn("OAuth2.revoke")(function*(current: TokenSet) {
    const what = "revoke the grant"
    const { status, text } = yield* send(
      spec,
      what,
      HttpClientRequest.post(url).pipe(
        HttpClientRequest.bearerToken(current.accessToken),
        HttpClientRequest.bodyUrlParams({ token: Redacted.value(current.accessToken), token_type_hint: "access_token" })
      )
    )
    // 401: the token no longer authenticates, so there is nothing left to revoke.
    if ((status >= 200 && status < 300) || status === 401) return
    return yield* endpointError(spec, what, status, text, false)
  })

/** The setting names in `clientSettings` ("JIRA_CLIENT_ID and JIRA_CLIENT_SECRET"), which is prose for messages. */
const settingNames = (clientSettings: string): ReadonlyArray<string> => clientSettings.match(/\b[A-Z][A-Z0-9_]*_[A-Z0-9_]+\b/g) ?? []

/** Configured once the client is set; else it needs the settings that hold it. */
export const clientSetup = (spec: Pick<AuthorizationCodeSpec, "client" | "clientSettings">): MethodSetup =>
  Option.isSome(spec.client) ? configured : { configured: false, needs: settingNames(spec.clientSettings) }

export const authorizationCode = (spec: AuthorizationCodeSpec): OAuthInstall => ({
  _tag: "OAuth",
  pkce: spec.pkce,
  setup: clientSetup(spec),
  authorizationUrl: ({ codeChallenge, redirectUri, state }) =>
    Effect.map(requireClient(spec), (client) => {
      const challenge = Option.match(codeChallenge, {
        onNone: () => ({}),
        onSome: (value) => ({ code_challenge: value, code_challenge_method: "S256" })
      })
      return consentUrl(spec.authorizeUrl, {
        client_id: client.clientId,
        scope: spec.scopes.join(spec.scopeSeparator ?? " "),
        redirect_uri: redirectUri,
        state,
        response_type: "code",
        ...spec.authorizeParams,
        ...challenge
      })
    }),
  exchange: Effect.fn("OAuth2.exchange")(function*({ code, codeVerifier, redirectUri }) {
    const verifier = Option.match(codeVerifier, { onNone: () => ({}), onSome: (value) => ({ code_verifier: value }) })
    const answer = yield* requestTokens(spec, "exchange the authorization code", {
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      ...verifier
    })
    const tokens = yield* tokensFrom(answer, Option.none())
    return { ...(yield* spec.connect(tokens)), tokens }
  }),
  refresh: Option.some(Effect.fn("OAuth2.refresh")(function*(current: TokenSet) {
    if (Option.isNone(current.refreshToken)) {
      if (spec.missingRefreshToken !== "fail") return current
      yield* requireClient(spec)
      return yield* installError("VendorRejected", `This ${spec.vendor} grant has no refresh token; reconnect it`)
    }
    const answer = yield* requestTokens(spec, "refresh the access token", {
      grant_type: "refresh_token",
      refresh_token: Redacted.value(current.refreshToken.value)
    })
    return yield* tokensFrom(answer, Option.some(current))
  })),
  revoke: spec.revoke ?? Option.map(Option.fromNullishOr(spec.revokeUrl), revokeAt(spec))
})
