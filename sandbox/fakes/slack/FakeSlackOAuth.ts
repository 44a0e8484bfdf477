/**
 * The fake's OAuth v2, shaped like Slack's:
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
import { type Answer, fail, ok } from "./FakeSlackWeb.ts"
import { type FakeApp, type FakeSlackState, randomSecret } from "./FakeSlackState.ts"

/** Bot scopes the fake knows (Slack's documented bot scopes the provider may ask for, and a few more). */
export const KNOWN_BOT_SCOPES: ReadonlySet<string> = new Set([
  "app_mentions:read", "assistant:write", "channels:history", "channels:join", "channels:read", "chat:write",
  "chat:write.public", "files:read", "files:write", "groups:history", "groups:read", "im:history", "im:read", "im:write",
  "mpim:history", "mpim:read", "reactions:read", "reactions:write", "team:read", "users:read", "users:read.email"
])
const CODE_TTL_MS = 10 * 60 * 1000

const html = (status: number, body: string): Response =>
  new Response(`<!doctype html><html><head><meta charset="utf-8"><title>Fake Slack</title></head><body>${body}</body></html>`, {
    status,
    headers: { "content-type": "text/html; charset=utf-8" }
  })

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)

const redirect = (base: string, params: Record<string, string | null>): Response => {
  const url = new URL(base)
  for (const [key, value] of Object.entries(params)) if (value !== null) url.searchParams.set(key, value)
  return new Response(null, { status: 302, headers: { location: url.toString() } })
}

const appByClientId = (state: FakeSlackState, clientId: string | null): FakeApp | undefined =>
  [...state.apps.values()].find((app) => app.clientId === clientId)

const redirectAllowed = (app: FakeApp, uri: string): boolean =>
  app.redirectUris !== null ? app.redirectUris.includes(uri) : /^https?:\/\//.test(uri)

type Authorize = { readonly _tag: "Ok"; readonly app: FakeApp; readonly redirectUri: string; readonly scopes: ReadonlyArray<string> } | {
  readonly _tag: "Page"
  readonly response: Response
}

const checkAuthorize = (state: FakeSlackState, params: URLSearchParams): Authorize => {
  const app = appByClientId(state, params.get("client_id"))
  if (app === undefined) return { _tag: "Page", response: html(400, "<p>Invalid client_id parameter</p>") }
  const redirectUri = params.get("redirect_uri") ?? ""
  if (!redirectAllowed(app, redirectUri)) return { _tag: "Page", response: html(400, "<p>redirect_uri did not match any configured URIs</p>") }
  const scopes = (params.get("scope") ?? "").split(",").map((scope) => scope.trim()).filter((scope) => scope.length > 0)
  const unknown = scopes.filter((scope) => !KNOWN_BOT_SCOPES.has(scope))
  if (scopes.length === 0 || unknown.length > 0) {
    return { _tag: "Page", response: html(400, `<p>Invalid permissions requested: ${escapeHtml(unknown.join(", ") || "none")}</p>`) }
  }
  return { _tag: "Ok", app, redirectUri, scopes }
}

const issueCode = (state: FakeSlackState, app: FakeApp, redirectUri: string, scopes: ReadonlyArray<string>, stateParam: string | null) => {
  const code = `${state.team.id}.${randomSecret(12)}`
  state.codes.set(code, { code, appId: app.id, redirectUri, scopes, expiresAt: state.now() + CODE_TTL_MS, used: false })
  return redirect(redirectUri, { code, state: stateParam })
}

export const authorize = (state: FakeSlackState, request: Request): Response => {
  const params = new URL(request.url).searchParams
  const checked = checkAuthorize(state, params)
  if (checked._tag === "Page") return checked.response
  if (state.autoApprove) return issueCode(state, checked.app, checked.redirectUri, checked.scopes, params.get("state"))
  const hidden = [...params.entries()].map(([name, value]) =>
    `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`
  ).join("")
  return html(
    200,
    `<main><h1>${escapeHtml(checked.app.name)} is requesting permission to access the ${escapeHtml(state.team.name)} Slack workspace</h1>` +
      `<p>Scopes: ${escapeHtml(checked.scopes.join(", "))}</p>` +
      `<form method="post" action="/oauth/v2/authorize/approve">${hidden}` +
      `<button name="decision" value="allow">Allow</button> <button name="decision" value="deny">Cancel</button></form></main>`
  )
}

export const approve = async (state: FakeSlackState, request: Request): Promise<Response> => {
  const params = request.method === "POST" ? new URLSearchParams(await request.text()) : new URL(request.url).searchParams
  const checked = checkAuthorize(state, params)
  if (checked._tag === "Page") return checked.response
  if (params.get("decision") === "deny") return redirect(checked.redirectUri, { error: "access_denied", state: params.get("state") })
  return issueCode(state, checked.app, checked.redirectUri, checked.scopes, params.get("state"))
}

/** A bot token (and, with rotation, its refresh token and expiry) in oauth.v2.access's shape. */
const grant = (state: FakeSlackState, app: FakeApp, scopes: ReadonlyArray<string>): Record<string, Schema.Json> => {
  const rotating = app.tokenRotation
  const token = rotating ? `xoxe.xoxb-1-${randomSecret(24)}` : `xoxb-${state.team.id}-${randomSecret(24)}`
  const expiresIn = state.accessTokenTtlSeconds
  state.accessTokens.set(token, {
    token,
    appId: app.id,
    scopes,
    expiresAt: rotating ? state.now() + expiresIn * 1000 : null,
    revoked: false
  })
  const org = state.orgInstall
  const body: Record<string, Schema.Json> = {
    access_token: token,
    token_type: "bot",
    scope: scopes.join(","),
    bot_user_id: app.botUserId,
    app_id: app.id,
    team: org ? null : { id: state.team.id, name: state.team.name },
    enterprise: org ? { id: state.enterprise.id, name: state.enterprise.name } : null,
    authed_user: { id: [...state.users.values()].find((user) => !user.isBot)?.id ?? "" },
    is_enterprise_install: org
  }
  if (!rotating) return body
  const refresh = `xoxe-1-${randomSecret(24)}`
  state.refreshTokens.set(refresh, { token: refresh, appId: app.id, scopes, used: false, revoked: false })
  return { ...body, refresh_token: refresh, expires_in: expiresIn }
}

const clientOf = (request: Request, form: URLSearchParams): { readonly id: string | null; readonly secret: string | null } => {
  const basic = /^Basic\s+(.+)$/i.exec(request.headers.get("authorization") ?? "")?.[1]
  if (basic !== undefined) {
    const decoded = atob(basic.trim())
    const separator = decoded.indexOf(":")
    return separator < 0 ? { id: decoded, secret: null } : { id: decoded.slice(0, separator), secret: decoded.slice(separator + 1) }
  }
  return { id: form.get("client_id"), secret: form.get("client_secret") }
}

const exchange = (state: FakeSlackState, app: FakeApp, form: URLSearchParams): Answer => {
  const grantType = form.get("grant_type") ?? "authorization_code"
  if (grantType === "refresh_token") {
    const refresh = state.refreshTokens.get(form.get("refresh_token") ?? "")
    if (refresh === undefined || refresh.appId !== app.id || refresh.used || refresh.revoked) return fail("invalid_refresh_token")
    refresh.used = true
    return ok(grant(state, app, refresh.scopes))
  }
  if (grantType !== "authorization_code") return fail("invalid_grant_type")
  const code = state.codes.get(form.get("code") ?? "")
  if (code === undefined || code.appId !== app.id || code.expiresAt <= state.now()) return fail("invalid_code")
  if (code.used) return fail("code_already_used")
  if ((form.get("redirect_uri") ?? code.redirectUri) !== code.redirectUri) return fail("bad_redirect_uri")
  code.used = true
  return ok(grant(state, app, code.scopes))
}

export const access = async (state: FakeSlackState, request: Request): Promise<Answer> => {
  const form = new URLSearchParams(await request.text())
  const client = clientOf(request, form)
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
