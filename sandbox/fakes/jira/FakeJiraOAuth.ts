/**
 * The fake's Atlassian OAuth 2.0 (3LO) endpoints:
 *
 * - `GET /authorize`: checks `audience=api.atlassian.com`, client_id, redirect_uri (a bad one gets
 *   an error page, never a redirect), `response_type=code` and known scopes; renders a consent
 *   page (the agent's account consents for the fake's one site), or with auto-approval redirects
 *   straight back with a code;
 * - `GET|POST /authorize/approve`: the consent form's target; `decision=deny` answers
 *   `error=access_denied`;
 * - `POST /oauth/token`: JSON body; `authorization_code` (single use, exact redirect_uri) and
 *   `refresh_token` with rotation (each refresh token works once; a used or revoked one is 403
 *   `unauthorized_client` "refresh_token is invalid", as Atlassian answers); every request logged;
 * - `GET /oauth/token/accessible-resources`: the site the bearer's grant reaches.
 */
import { Option, Schema } from "effect"
import { escapeHtml, html, json, readJsonBody, redirect } from "../../kit/FakeVendor.ts"
import { siteOf } from "./FakeJiraData.ts"
import { AGENT, type FakeJiraState, randomToken, SCOPES } from "./FakeJiraState.ts"
import { bearerAccount, issueTokens } from "./FakeJiraTokens.ts"

const CODE_TTL_MS = 10 * 60_000

interface AuthorizeRequest {
  readonly redirectUri: string
  readonly state: string | null
  readonly scopes: ReadonlyArray<string>
}

type Check =
  | { readonly _tag: "Ok"; readonly request: AuthorizeRequest }
  | { readonly _tag: "ErrorPage"; readonly message: string }
  | { readonly _tag: "ErrorRedirect"; readonly response: Response }

const redirectAllowed = (state: FakeJiraState, uri: string): boolean =>
  state.redirectUris !== null ? state.redirectUris.includes(uri) : /^https?:\/\//.test(uri) && URL.canParse(uri)

const check = (state: FakeJiraState, params: URLSearchParams): Check => {
  if (params.get("client_id") !== state.clientId) return { _tag: "ErrorPage", message: "Unknown client_id" }
  const redirectUri = params.get("redirect_uri") ?? ""
  if (!redirectAllowed(state, redirectUri)) return { _tag: "ErrorPage", message: "redirect_uri does not match the app's callback URL" }
  const stateParam = params.get("state")
  const fail = (error: string, description: string): Check => ({
    _tag: "ErrorRedirect",
    response: redirect(redirectUri, { error, error_description: description, state: stateParam })
  })
  if (params.get("audience") !== "api.atlassian.com") return fail("invalid_request", "audience must be api.atlassian.com")
  if (params.get("response_type") !== "code") return fail("unsupported_response_type", "response_type must be code")
  const scopes = (params.get("scope") ?? "").split(/\s+/).filter((scope) => scope.length > 0)
  if (scopes.length === 0 || scopes.some((scope) => !SCOPES.includes(scope))) {
    return fail("invalid_scope", `scope must be space-separated among ${SCOPES.join(", ")}`)
  }
  return { _tag: "Ok", request: { redirectUri, state: stateParam, scopes } }
}

const approve = (state: FakeJiraState, request: AuthorizeRequest): Response => {
  const code = randomToken("code_")
  state.codes.set(code, { redirectUri: request.redirectUri, scopes: request.scopes, accountId: AGENT.accountId, expiresAt: state.now() + CODE_TTL_MS, used: false })
  return redirect(request.redirectUri, { code, state: request.state })
}

const answer = (state: FakeJiraState, params: URLSearchParams, decided: (request: AuthorizeRequest) => Response): Response => {
  const checked = check(state, params)
  switch (checked._tag) {
    case "ErrorPage":
      return html(400, "Fake Jira", `<main><h1>Something went wrong</h1><p>${escapeHtml(checked.message)}</p></main>`)
    case "ErrorRedirect":
      return checked.response
    case "Ok":
      return decided(checked.request)
  }
}

export const authorize = (state: FakeJiraState, request: Request): Response => {
  const params = new URL(request.url).searchParams
  return answer(state, params, (checked) => {
    if (state.autoApprove) return approve(state, checked)
    const hidden = [...params.entries()].map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join("")
    return html(
      200,
      "Fake Jira",
      `<main><h1>An app wants to access your Atlassian account</h1><p>As <strong>${escapeHtml(AGENT.displayName)}</strong>, on the site ` +
        `<strong>${escapeHtml(state.siteName)}</strong>, with: ${escapeHtml(checked.scopes.join(", "))}.</p>` +
        `<form method="post" action="/authorize/approve">${hidden}` +
        `<button type="submit" name="decision" value="approve">Accept</button> ` +
        `<button type="submit" name="decision" value="deny">Cancel</button></form></main>`
    )
  })
}

export const decide = async (state: FakeJiraState, request: Request): Promise<Response> => {
  const params = request.method === "POST" ? new URLSearchParams(await request.text()) : new URL(request.url).searchParams
  return answer(state, params, (checked) =>
    params.get("decision") === "deny"
      ? redirect(checked.redirectUri, { error: "access_denied", error_description: "The user denied access", state: checked.state })
      : approve(state, checked))
}

const TokenBody = Schema.Struct({
  grant_type: Schema.String,
  client_id: Schema.String,
  client_secret: Schema.String,
  code: Schema.optional(Schema.String),
  redirect_uri: Schema.optional(Schema.String),
  refresh_token: Schema.optional(Schema.String)
})

const tokenAnswer = (tokens: ReturnType<typeof issueTokens>) =>
  json(200, { access_token: tokens.accessToken, expires_in: tokens.expiresIn, token_type: "Bearer", refresh_token: tokens.refreshToken, scope: tokens.scopes.join(" ") })

const grant = (state: FakeJiraState, body: typeof TokenBody.Type): Response => {
  if (body.client_id !== state.clientId || body.client_secret !== state.clientSecret) {
    return json(401, { error: "access_denied", error_description: "Unauthorized" })
  }
  if (body.grant_type === "authorization_code") {
    const code = state.codes.get(body.code ?? "")
    if (code === undefined || code.used || code.expiresAt <= state.now()) return json(403, { error: "invalid_grant", error_description: "Invalid authorization code" })
    if (code.redirectUri !== body.redirect_uri) return json(403, { error: "invalid_grant", error_description: "redirect_uri does not match" })
    code.used = true
    return tokenAnswer(issueTokens(state, crypto.randomUUID(), code.accountId, code.scopes))
  }
  if (body.grant_type === "refresh_token") {
    const refresh = state.refreshTokens.get(body.refresh_token ?? "")
    if (refresh === undefined || refresh.used || refresh.revoked) {
      return json(403, { error: "unauthorized_client", error_description: "refresh_token is invalid" })
    }
    refresh.used = true
    return tokenAnswer(issueTokens(state, refresh.grantId, refresh.accountId, refresh.scopes))
  }
  return json(400, { error: "unsupported_grant_type", error_description: "grant_type must be authorization_code or refresh_token" })
}

export const token = async (state: FakeJiraState, request: Request): Promise<Response> => {
  const body = (request.headers.get("content-type") ?? "").includes("application/json")
    ? await readJsonBody(request, TokenBody)
    : Option.none()
  const response = Option.match(body, {
    onNone: () => json(400, { error: "invalid_request", error_description: "The body must be JSON with grant_type, client_id and client_secret" }),
    onSome: (parsed) => grant(state, parsed)
  })
  state.tokenRequests.push({ grantType: Option.match(body, { onNone: () => "", onSome: (parsed) => parsed.grant_type }), status: response.status })
  return response
}

export const accessibleResources = (state: FakeJiraState, request: Request): Response => {
  const account = bearerAccount(state, request)
  if (account._tag === "Invalid") return json(401, { code: 401, message: "Unauthorized" })
  return json(200, [{
    id: state.cloudId,
    url: siteOf(state, new URL(request.url).origin),
    name: state.siteName,
    scopes: account.token.scopes.filter((scope) => scope !== "offline_access"),
    avatarUrl: "https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/site.png"
  }])
}
