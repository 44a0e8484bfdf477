/**
 * The fake's Atlassian OAuth 2.0 (3LO) endpoints, on the kit's consent screen and grants:
 *
 * - `GET /authorize`: checks client_id, redirect_uri (a bad one gets an error page, never a
 *   redirect), `audience=api.atlassian.com`, `response_type=code` and known scopes; renders a
 *   consent page (the agent's account consents for the fake's one site), or with auto-approval
 *   redirects straight back with a code;
 * - `GET|POST /authorize/approve`: the consent form's target; `decision=deny` answers
 *   `error=access_denied`;
 * - `POST /oauth/token`: JSON body; `authorization_code` (single use, exact redirect_uri) and
 *   `refresh_token` with rotation (each refresh token works once; a used or revoked one is 403
 *   `unauthorized_client` "refresh_token is invalid", as Atlassian answers); every request logged;
 * - `GET /oauth/token/accessible-resources`: the site the bearer's grant reaches.
 */
import { Option, Schema } from "effect"
import { type Consent, consentForm, makeConsent, trustRedirect } from "../../kit/FakeConsent.ts"
import { makeCodes } from "../../kit/FakeGrants.ts"
import { escapeHtml, html, json, readJsonBody, redirect } from "../../kit/FakeResponses.ts"
import { siteOf } from "./FakeJiraData.ts"
import { AGENT, type ConsentingAccount, type FakeJiraState, SCOPES } from "./FakeJiraState.ts"
import { bearerAccount, grantsOf, type IssuedTokens } from "./FakeJiraTokens.ts"

const page = (status: number, body: string) => html(status, "Fake Jira", body)

const check = (state: FakeJiraState, params: URLSearchParams): Consent<ReadonlyArray<string>> => {
  const trusted = trustRedirect(params, {
    client: (clientId) => clientId === state.clientId ? state : undefined,
    redirectUris: () => state.redirectUris,
    errorPage: (message) => page(400, `<main><h1>Something went wrong</h1><p>${escapeHtml(message)}</p></main>`),
    unknownClient: "Unknown client_id",
    unregisteredRedirect: "redirect_uri does not match the app's callback URL"
  })
  if (trusted._tag === "Refused") return trusted
  if (params.get("audience") !== "api.atlassian.com") return trusted.fail("invalid_request", "audience must be api.atlassian.com")
  if (params.get("response_type") !== "code") return trusted.fail("unsupported_response_type", "response_type must be code")
  const scopes = (params.get("scope") ?? "").split(/\s+/).filter((scope) => scope.length > 0)
  if (scopes.length === 0 || scopes.some((scope) => !SCOPES.includes(scope))) {
    return trusted.fail("invalid_scope", `scope must be space-separated among ${SCOPES.join(", ")}`)
  }
  return { _tag: "Ok", redirectUri: trusted.redirectUri, state: trusted.state, request: scopes }
}

export const consent = (state: FakeJiraState) =>
  makeConsent({
    check: (params) => check(state, params),
    autoApprove: () => state.autoApprove,
    page: (scopes, params) =>
      page(
        200,
        `<main><h1>An app wants to access your Atlassian account</h1><p>As <strong>${escapeHtml(AGENT.displayName)}</strong>, on the site ` +
          `<strong>${escapeHtml(state.siteName)}</strong>, with: ${escapeHtml(scopes.join(", "))}.</p>` +
          consentForm({ action: "/authorize/approve", params, approve: "Accept", deny: "Cancel" }) + "</main>"
      ),
    approve: (scopes, redirectUri, stateParam) => {
      const code = makeCodes<ConsentingAccount>(state).issue({ redirectUri, scopes }, { accountId: AGENT.accountId })
      return redirect(redirectUri, { code, state: stateParam })
    },
    denied: { error_description: "The user denied access" }
  })

const TokenBody = Schema.Struct({
  grant_type: Schema.String,
  client_id: Schema.String,
  client_secret: Schema.String,
  code: Schema.optional(Schema.String),
  redirect_uri: Schema.optional(Schema.String),
  refresh_token: Schema.optional(Schema.String)
})

const tokenAnswer = (tokens: IssuedTokens) =>
  json(200, { access_token: tokens.accessToken, expires_in: tokens.expiresIn, token_type: "Bearer", refresh_token: tokens.refreshToken, scope: tokens.scopes.join(" ") })

const grant = (state: FakeJiraState, body: typeof TokenBody.Type): Response => {
  if (body.client_id !== state.clientId || body.client_secret !== state.clientSecret) {
    return json(401, { error: "access_denied", error_description: "Unauthorized" })
  }
  const grants = grantsOf(state)
  if (body.grant_type === "authorization_code") {
    const code = makeCodes<ConsentingAccount>(state).check(body.code)
    if (code._tag === "Invalid") return json(403, { error: "invalid_grant", error_description: "Invalid authorization code" })
    if (code.entry.redirectUri !== body.redirect_uri) return json(403, { error: "invalid_grant", error_description: "redirect_uri does not match" })
    code.entry.used = true
    return tokenAnswer(grants.issue({ scopes: code.entry.scopes, extra: { accountId: code.entry.accountId } }))
  }
  if (body.grant_type === "refresh_token") {
    const refresh = grants.redeem(body.refresh_token)
    if (refresh._tag === "Invalid") return json(403, { error: "unauthorized_client", error_description: "refresh_token is invalid" })
    return tokenAnswer(grants.issue({ grantId: refresh.entry.grantId, scopes: refresh.entry.scopes, extra: { accountId: refresh.entry.accountId } }))
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
