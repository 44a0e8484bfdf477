/**
 * The fake's OAuth endpoints, shaped like Linear's, on the kit's consent screen and grants:
 *
 * - `GET /oauth/authorize`: validates client_id and redirect_uri (a bad one gets an error page,
 *   never a redirect), then renders a consent page whose form posts to `/oauth/authorize/approve`;
 *   with auto-approval on it redirects straight back with a code.
 * - `GET|POST /oauth/authorize/approve`: the non-interactive approval scripts can follow;
 *   `decision=deny` returns `error=access_denied`. `state` is passed through untouched.
 * - `POST /oauth/token`: `authorization_code` (single-use code, exact redirect_uri, PKCE S256 or
 *   plain verifier) and `refresh_token` (rotation: each refresh token works once; a used, revoked
 *   or unknown one is `invalid_grant`). Every request is logged in `state.tokenRequests`.
 * - `POST /oauth/revoke`: `token` in the form or a bearer header; ends the whole grant.
 */
import { type Consent, consentForm, makeConsent, trustRedirect } from "../../kit/FakeConsent.ts"
import { bearerOf, clientCredentials } from "../../kit/FakeCredentials.ts"
import { type IssuedTokens, makeCodes, pkceMatches } from "../../kit/FakeGrants.ts"
import { escapeHtml, html, json, redirect } from "../../kit/FakeResponses.ts"
import type { CodeOrigin, FakeLinearState } from "./FakeLinearState.ts"
import { grantsOf } from "./FakeLinearTokens.ts"

const KNOWN_SCOPES = new Set([
  "read",
  "write",
  "issues:create",
  "comments:create",
  "timeSchedule:write",
  "admin",
  "app:assignable",
  "app:mentionable"
])

const oauthError = (status: number, error: string, description: string) =>
  json(status, { error, error_description: description })

interface AuthorizeRequest {
  readonly scopes: ReadonlyArray<string>
  readonly actor: string
  readonly codeChallenge: string | null
  readonly codeChallengeMethod: string
}

const checkAuthorize = (state: FakeLinearState, params: URLSearchParams): Consent<AuthorizeRequest> => {
  const trusted = trustRedirect(params, {
    client: (clientId) => clientId === state.clientId ? state : undefined,
    redirectUris: () => state.redirectUris,
    errorPage: (message) => html(400, "Fake Linear", `<main><h1>Authorization error</h1><p>${escapeHtml(message)}</p></main>`),
    unknownClient: "Unknown client_id",
    unregisteredRedirect: "redirect_uri is not registered for this application"
  })
  if (trusted._tag === "Refused") return trusted
  const fail = trusted.fail
  if (params.get("response_type") !== "code") return fail("unsupported_response_type", "response_type must be code")
  const scopes = (params.get("scope") ?? "").split(/[\s,]+/).filter((scope) => scope.length > 0)
  if (scopes.length === 0 || scopes.some((scope) => !KNOWN_SCOPES.has(scope))) {
    return fail("invalid_scope", `scope must be a comma-separated list of ${Array.from(KNOWN_SCOPES).join(", ")}`)
  }
  const actor = params.get("actor") ?? "user"
  if (actor !== "user" && actor !== "app") return fail("invalid_request", "actor must be user or app")
  if (actor !== "app" && scopes.some((scope) => scope.startsWith("app:"))) {
    return fail("invalid_scope", "app:assignable and app:mentionable need actor=app")
  }
  const codeChallenge = params.get("code_challenge")
  const codeChallengeMethod = params.get("code_challenge_method") ?? (codeChallenge === null ? "" : "plain")
  if (codeChallenge === null && codeChallengeMethod !== "") {
    return fail("invalid_request", "code_challenge_method without code_challenge")
  }
  if (codeChallenge !== null && codeChallengeMethod !== "S256" && codeChallengeMethod !== "plain") {
    return fail("invalid_request", "code_challenge_method must be S256 or plain")
  }
  return { _tag: "Ok", redirectUri: trusted.redirectUri, state: trusted.state, request: { scopes, actor, codeChallenge, codeChallengeMethod } }
}

/** `GET /oauth/authorize` and its approve step. */
export const consent = (state: FakeLinearState) =>
  makeConsent({
    check: (params) => checkAuthorize(state, params),
    autoApprove: () => state.autoApprove,
    page: (request, params) =>
      html(
        200,
        "Fake Linear",
        `<main><h1>Authorize access to ${escapeHtml(state.organization.name)}</h1>` +
          `<p>An application wants to join this workspace as <strong>${
            request.actor === "app" ? "its own app user" : "you"
          }</strong> with the scopes: ${escapeHtml(request.scopes.join(", "))}.</p>` +
          consentForm({ action: "/oauth/authorize/approve", params, approve: "Authorize", deny: "Cancel" }) + "</main>"
      ),
    approve: (request, redirectUri, stateParam) => {
      const code = makeCodes<CodeOrigin>(state).issue({ redirectUri, ...request }, { clientId: state.clientId, actor: request.actor })
      return redirect(redirectUri, { code, state: stateParam })
    },
    denied: { error_description: "The user denied the request" }
  })

const tokenResponse = (tokens: IssuedTokens) =>
  json(200, {
    access_token: tokens.accessToken,
    token_type: "Bearer",
    expires_in: tokens.expiresIn,
    scope: tokens.scopes.join(" "),
    refresh_token: tokens.refreshToken
  })

const CODE_ERRORS = {
  unknown: "Unknown authorization code",
  used: "Authorization code was already used",
  expired: "Authorization code expired"
} as const

const exchangeCode = async (state: FakeLinearState, form: URLSearchParams): Promise<Response> => {
  const checked = makeCodes<CodeOrigin>(state).check(form.get("code"), (entry) => entry.clientId === state.clientId)
  if (checked._tag === "Invalid") {
    // A replayed code means it leaked: end whatever was issued with it.
    const replayed = state.codes.get(form.get("code") ?? "")
    if (checked.reason === "used" && replayed !== undefined && replayed.grantId !== null) grantsOf(state).revokeGrant(replayed.grantId)
    return oauthError(400, "invalid_grant", checked.reason === "used" ? CODE_ERRORS.used : checked.reason === "expired" ? CODE_ERRORS.expired : CODE_ERRORS.unknown)
  }
  const entry = checked.entry
  if (form.get("redirect_uri") !== entry.redirectUri) {
    return oauthError(400, "invalid_grant", "redirect_uri does not match the authorization request")
  }
  if (entry.codeChallenge !== null) {
    const verifier = form.get("code_verifier")
    if (verifier === null || !(await pkceMatches(entry.codeChallenge, verifier))) {
      return oauthError(400, "invalid_grant", "code_verifier does not match the code_challenge")
    }
  }
  entry.used = true
  const grantId = crypto.randomUUID()
  entry.grantId = grantId
  return tokenResponse(grantsOf(state).issue({ grantId, scopes: entry.scopes, extra: {} }))
}

const refresh = (state: FakeLinearState, form: URLSearchParams): Response => {
  const grants = grantsOf(state)
  const checked = grants.redeem(form.get("refresh_token"))
  if (checked._tag === "Invalid") {
    return oauthError(400, "invalid_grant", checked.reason === "used" ? "Refresh token was already used" : "Unknown or revoked refresh token")
  }
  return tokenResponse(grants.issue({ grantId: checked.entry.grantId, scopes: checked.entry.scopes, extra: {} }))
}

export const token = async (state: FakeLinearState, request: Request): Promise<Response> => {
  if (!(request.headers.get("content-type") ?? "").includes("application/x-www-form-urlencoded")) {
    return oauthError(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded")
  }
  const form = new URLSearchParams(await request.text())
  const grantType = form.get("grant_type") ?? ""
  const response = await grant(state, request, form, grantType)
  state.tokenRequests.push({ grantType, status: response.status, at: Date.now() })
  return response
}

const grant = async (state: FakeLinearState, request: Request, form: URLSearchParams, grantType: string) => {
  const client = clientCredentials(request, form)
  if (client.id !== state.clientId || client.secret !== state.clientSecret) return oauthError(401, "invalid_client", "Client authentication failed")
  switch (grantType) {
    case "authorization_code":
      return exchangeCode(state, form)
    case "refresh_token":
      return refresh(state, form)
    default:
      return oauthError(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token")
  }
}

/** RFC 7009: an unknown token is not an error, the answer is 200 either way. */
export const revoke = async (state: FakeLinearState, request: Request): Promise<Response> => {
  const form = new URLSearchParams(await request.text())
  const tokenValue = form.get("token") ?? bearerOf(request)
  if (tokenValue === null || tokenValue.length === 0) return oauthError(400, "invalid_request", "token is required")
  grantsOf(state).revokeGrantOf(tokenValue)
  return new Response(null, { status: 200 })
}
