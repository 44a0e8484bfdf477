/**
 * The fake's OAuth endpoints, shaped like Linear's:
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
import type { FakeLinearState } from "./FakeLinearState.ts"
import { randomToken } from "./FakeLinearState.ts"
import { issueTokens, revokeGrant, revokeGrantOf } from "./FakeLinearTokens.ts"

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
const CODE_TTL_MS = 10 * 60 * 1000

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } })

const html = (status: number, body: string): Response =>
  new Response(`<!doctype html><html><head><meta charset="utf-8"><title>Fake Linear</title></head><body>${body}</body></html>`, {
    status,
    headers: { "content-type": "text/html; charset=utf-8" }
  })

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)

const redirect = (base: string, params: Record<string, string | null>): Response => {
  const url = new URL(base)
  for (const [key, value] of Object.entries(params)) if (value !== null) url.searchParams.set(key, value)
  return new Response(null, { status: 302, headers: { location: url.toString() } })
}

const oauthError = (status: number, error: string, description: string) =>
  json(status, { error, error_description: description })

interface AuthorizeRequest {
  readonly redirectUri: string
  readonly state: string | null
  readonly scopes: ReadonlyArray<string>
  readonly actor: string
  readonly codeChallenge: string | null
  readonly codeChallengeMethod: string
}

type AuthorizeCheck =
  | { readonly _tag: "Ok"; readonly request: AuthorizeRequest }
  | { readonly _tag: "ErrorPage"; readonly message: string }
  | { readonly _tag: "ErrorRedirect"; readonly response: Response }

const redirectAllowed = (state: FakeLinearState, uri: string): boolean => {
  if (state.redirectUris !== null) return state.redirectUris.includes(uri)
  try {
    const protocol = new URL(uri).protocol
    return protocol === "http:" || protocol === "https:"
  } catch {
    return false
  }
}

const checkAuthorize = (state: FakeLinearState, params: URLSearchParams): AuthorizeCheck => {
  if (params.get("client_id") !== state.clientId) return { _tag: "ErrorPage", message: "Unknown client_id" }
  const redirectUri = params.get("redirect_uri") ?? ""
  if (!redirectAllowed(state, redirectUri)) {
    return { _tag: "ErrorPage", message: "redirect_uri is not registered for this application" }
  }
  const stateParam = params.get("state")
  const fail = (error: string, description: string): AuthorizeCheck => ({
    _tag: "ErrorRedirect",
    response: redirect(redirectUri, { error, error_description: description, state: stateParam })
  })
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
  return {
    _tag: "Ok",
    request: { redirectUri, state: stateParam, scopes, actor, codeChallenge, codeChallengeMethod }
  }
}

const approve = (state: FakeLinearState, request: AuthorizeRequest): Response => {
  const code = randomToken("code_")
  const challenge = request.codeChallenge === null
    ? null
    : request.codeChallengeMethod === "plain"
    ? `plain:${request.codeChallenge}`
    : request.codeChallenge
  state.codes.set(code, {
    code,
    clientId: state.clientId,
    redirectUri: request.redirectUri,
    scopes: request.scopes,
    actor: request.actor,
    codeChallenge: challenge,
    expiresAt: state.now() + CODE_TTL_MS,
    used: false,
    grantId: null
  })
  return redirect(request.redirectUri, { code, state: request.state })
}

const consentPage = (state: FakeLinearState, params: URLSearchParams, request: AuthorizeRequest): Response => {
  const hidden = Array.from(params.entries()).map(([name, value]) =>
    `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`
  ).join("")
  return html(
    200,
    `<main><h1>Authorize access to ${escapeHtml(state.organization.name)}</h1>` +
      `<p>An application wants to join this workspace as <strong>${
        request.actor === "app" ? "its own app user" : "you"
      }</strong> with the scopes: ${escapeHtml(request.scopes.join(", "))}.</p>` +
      `<form method="post" action="/oauth/authorize/approve">${hidden}` +
      `<button type="submit" name="decision" value="approve">Authorize</button> ` +
      `<button type="submit" name="decision" value="deny">Cancel</button></form></main>`
  )
}

const paramsOf = async (request: Request): Promise<URLSearchParams> =>
  request.method === "POST" ? new URLSearchParams(await request.text()) : new URL(request.url).searchParams

export const authorize = (state: FakeLinearState, request: Request): Response => {
  const params = new URL(request.url).searchParams
  const check = checkAuthorize(state, params)
  switch (check._tag) {
    case "ErrorPage":
      return html(400, `<main><h1>Authorization error</h1><p>${escapeHtml(check.message)}</p></main>`)
    case "ErrorRedirect":
      return check.response
    case "Ok":
      return state.autoApprove ? approve(state, check.request) : consentPage(state, params, check.request)
  }
}

export const decide = async (state: FakeLinearState, request: Request): Promise<Response> => {
  const params = await paramsOf(request)
  const check = checkAuthorize(state, params)
  switch (check._tag) {
    case "ErrorPage":
      return html(400, `<main><h1>Authorization error</h1><p>${escapeHtml(check.message)}</p></main>`)
    case "ErrorRedirect":
      return check.response
    case "Ok":
      return params.get("decision") === "deny"
        ? redirect(check.request.redirectUri, {
          error: "access_denied",
          error_description: "The user denied the request",
          state: check.request.state
        })
        : approve(state, check.request)
  }
}

const base64Url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")

const pkceMatches = async (challenge: string, verifier: string): Promise<boolean> => {
  if (challenge.startsWith("plain:")) return challenge.slice("plain:".length) === verifier
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))
  return base64Url(new Uint8Array(digest)) === challenge
}

/** Client authentication: form fields, or HTTP Basic as RFC 6749 §2.3.1 also allows. */
const clientAuthenticated = (state: FakeLinearState, request: Request, form: URLSearchParams): boolean => {
  const basic = request.headers.get("authorization")
  if (basic !== null && basic.toLowerCase().startsWith("basic ")) {
    const decoded = atob(basic.slice(6).trim())
    const separator = decoded.indexOf(":")
    return decodeURIComponent(decoded.slice(0, separator)) === state.clientId &&
      decodeURIComponent(decoded.slice(separator + 1)) === state.clientSecret
  }
  return form.get("client_id") === state.clientId && form.get("client_secret") === state.clientSecret
}

const tokenResponse = (tokens: ReturnType<typeof issueTokens>) =>
  json(200, {
    access_token: tokens.accessToken,
    token_type: "Bearer",
    expires_in: tokens.expiresIn,
    scope: tokens.scopes.join(" "),
    refresh_token: tokens.refreshToken
  })

const exchangeCode = async (state: FakeLinearState, form: URLSearchParams): Promise<Response> => {
  const entry = state.codes.get(form.get("code") ?? "")
  if (entry === undefined) return oauthError(400, "invalid_grant", "Unknown authorization code")
  if (entry.used) {
    // A replayed code means it leaked: end whatever was issued with it.
    if (entry.grantId !== null) revokeGrant(state, entry.grantId)
    return oauthError(400, "invalid_grant", "Authorization code was already used")
  }
  if (entry.expiresAt <= state.now()) return oauthError(400, "invalid_grant", "Authorization code expired")
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
  return tokenResponse(issueTokens(state, grantId, entry.scopes))
}

const refresh = (state: FakeLinearState, form: URLSearchParams): Response => {
  const entry = state.refreshTokens.get(form.get("refresh_token") ?? "")
  if (entry === undefined || entry.revoked) return oauthError(400, "invalid_grant", "Unknown or revoked refresh token")
  if (entry.used) return oauthError(400, "invalid_grant", "Refresh token was already used")
  entry.used = true
  return tokenResponse(issueTokens(state, entry.grantId, entry.scopes))
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
  if (!clientAuthenticated(state, request, form)) return oauthError(401, "invalid_client", "Client authentication failed")
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
  const bearer = request.headers.get("authorization")
  const fromHeader = bearer !== null && bearer.toLowerCase().startsWith("bearer ") ? bearer.slice(7).trim() : null
  const tokenValue = form.get("token") ?? fromHeader
  if (tokenValue === null || tokenValue.length === 0) return oauthError(400, "invalid_request", "token is required")
  revokeGrantOf(state, tokenValue)
  return new Response(null, { status: 200 })
}
