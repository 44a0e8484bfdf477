/**
 * The fake's OAuth v2, shaped like Slack's, on the kit's consent screen and grants:
 *
 * - `GET /oauth/v2/authorize`: checks client_id, redirect_uri and the bot scopes (a bad client or
 *   redirect gets an error page, never a redirect), then shows a consent page whose form goes to
 *   `/oauth/v2/authorize/approve`; with auto-approval it redirects straight back with a code;
 * - `GET|POST /oauth/v2/authorize/approve`: the approval scripts can follow; `decision=deny`
 *   returns `error=access_denied`; `state` passes through untouched;
 * - `POST /api/oauth.v2.access`: client credentials in HTTP Basic or the form; the code grant
 *   (single use, ten minutes, the same redirect_uri) and, for apps with token rotation, the
 *   refresh grant (each refresh token works once). Errors are `ok: false` with HTTP 200.
 */
import type { Schema } from "effect"
import { type Consent, consentForm, makeConsent, trustRedirect } from "../../kit/FakeConsent.ts"
import { clientCredentials } from "../../kit/FakeCredentials.ts"
import { makeCodes } from "../../kit/FakeGrants.ts"
import { escapeHtml, html, redirect } from "../../kit/FakeResponses.ts"
import { type Answer, fail, ok } from "./FakeSlackWeb.ts"
import { type AppOwned, type FakeApp, type FakeSlackState, grantsOf, randomSecret } from "./FakeSlackState.ts"

/** Bot scopes the fake knows (Slack's documented bot scopes the provider may ask for, and a few more). */
export const KNOWN_BOT_SCOPES: ReadonlySet<string> = new Set([
  "app_mentions:read", "assistant:write", "channels:history", "channels:join", "channels:read", "chat:write",
  "chat:write.public", "files:read", "files:write", "groups:history", "groups:read", "im:history", "im:read", "im:write",
  "mpim:history", "mpim:read", "reactions:read", "reactions:write", "team:read", "users:read", "users:read.email"
])
const page = (status: number, body: string) => html(status, "Fake Slack", body)

const appByClientId = (state: FakeSlackState, clientId: string | null): FakeApp | undefined =>
  [...state.apps.values()].find((app) => app.clientId === clientId)

const codesOf = (state: FakeSlackState) => makeCodes<AppOwned>(state, { code: () => `${state.team.id}.${randomSecret(12)}` })

interface Authorize {
  readonly app: FakeApp
  readonly scopes: ReadonlyArray<string>
}

const checkAuthorize = (state: FakeSlackState, params: URLSearchParams): Consent<Authorize> => {
  const trusted = trustRedirect(params, {
    client: (clientId) => appByClientId(state, clientId),
    redirectUris: (app) => app.redirectUris,
    errorPage: (message) => page(400, `<p>${escapeHtml(message)}</p>`),
    unknownClient: "Invalid client_id parameter",
    unregisteredRedirect: "redirect_uri did not match any configured URIs"
  })
  if (trusted._tag === "Refused") return trusted
  const scopes = (params.get("scope") ?? "").split(",").map((scope) => scope.trim()).filter((scope) => scope.length > 0)
  const unknown = scopes.filter((scope) => !KNOWN_BOT_SCOPES.has(scope))
  if (scopes.length === 0 || unknown.length > 0) {
    // Slack shows a page here rather than redirecting back.
    return { _tag: "Refused", response: page(400, `<p>Invalid permissions requested: ${escapeHtml(unknown.join(", ") || "none")}</p>`) }
  }
  return { _tag: "Ok", redirectUri: trusted.redirectUri, state: trusted.state, request: { app: trusted.client, scopes } }
}

/** `GET /oauth/v2/authorize` and its approve step; a denial carries no description, as Slack's. */
export const consent = (state: FakeSlackState) =>
  makeConsent({
    check: (params) => checkAuthorize(state, params),
    autoApprove: () => state.autoApprove,
    page: ({ app, scopes }, params) =>
      page(
        200,
        `<main><h1>${escapeHtml(app.name)} is requesting permission to access the ${escapeHtml(state.team.name)} Slack workspace</h1>` +
          `<p>Scopes: ${escapeHtml(scopes.join(", "))}</p>` +
          consentForm({ action: "/oauth/v2/authorize/approve", params, approve: "Allow", approveValue: "allow", deny: "Cancel" }) + "</main>"
      ),
    approve: ({ app, scopes }, redirectUri, stateParam) => {
      const code = codesOf(state).issue({ redirectUri, scopes }, { appId: app.id })
      return redirect(redirectUri, { code, state: stateParam })
    }
  })

/** A bot token (and, with rotation, its refresh token and expiry) in oauth.v2.access's shape. */
const grant = (state: FakeSlackState, app: FakeApp, scopes: ReadonlyArray<string>, grantId?: string): Record<string, Schema.Json> => {
  const rotating = app.tokenRotation
  const issued = grantsOf(state).issue({
    grantId,
    scopes,
    extra: { appId: app.id },
    refresh: rotating,
    ...(rotating ? { accessPrefix: "xoxe.xoxb-1-" } : { expiresInSeconds: null })
  })
  const org = state.orgInstall
  const body: Record<string, Schema.Json> = {
    access_token: issued.accessToken,
    token_type: "bot",
    scope: scopes.join(","),
    bot_user_id: app.botUserId,
    app_id: app.id,
    team: org ? null : { id: state.team.id, name: state.team.name },
    enterprise: org ? { id: state.enterprise.id, name: state.enterprise.name } : null,
    authed_user: { id: [...state.users.values()].find((user) => !user.isBot)?.id ?? "" },
    is_enterprise_install: org
  }
  return rotating ? { ...body, refresh_token: issued.refreshToken, expires_in: issued.expiresIn } : body
}

const exchange = (state: FakeSlackState, app: FakeApp, form: URLSearchParams): Answer => {
  const grantType = form.get("grant_type") ?? "authorization_code"
  if (grantType === "refresh_token") {
    const refresh = grantsOf(state).redeem(form.get("refresh_token"), (entry) => entry.appId === app.id)
    if (refresh._tag === "Invalid") return fail("invalid_refresh_token")
    return ok(grant(state, app, refresh.entry.scopes, refresh.entry.grantId))
  }
  if (grantType !== "authorization_code") return fail("invalid_grant_type")
  const code = codesOf(state).check(form.get("code"), (entry) => entry.appId === app.id)
  if (code._tag === "Invalid") return fail(code.reason === "used" ? "code_already_used" : "invalid_code")
  if ((form.get("redirect_uri") ?? code.entry.redirectUri) !== code.entry.redirectUri) return fail("bad_redirect_uri")
  code.entry.used = true
  return ok(grant(state, app, code.entry.scopes))
}

export const access = async (state: FakeSlackState, request: Request): Promise<Answer> => {
  const form = new URLSearchParams(await request.text())
  const client = clientCredentials(request, form)
  const app = appByClientId(state, client.id)
  const grantType = form.get("grant_type") ?? "authorization_code"
  const answer = app === undefined
    ? fail("invalid_client_id")
    : client.secret !== app.clientSecret
    ? fail("bad_client_secret")
    : exchange(state, app, form)
  state.tokenRequests.push({ grantType, appId: app?.id ?? null, error: answer._tag === "Error" ? answer.error : null })
  return answer
}
