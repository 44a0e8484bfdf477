/**
 * The fake's web pages, as an admin's browser meets them:
 *
 * - `POST /settings/apps/new?state=` (or `/organizations/<org>/settings/apps/new`) takes the
 *   `manifest` form field and, as if the owner clicked "Create GitHub App", redirects to the
 *   manifest's `redirect_url` with a one-hour `code` and the `state`;
 * - `GET /apps/<slug>/installations/new?state=` shows the install page; its `approve` path
 *   (`?account=` to pick the account, default the web user) installs the App and redirects to
 *   the setup URL with `installation_id`, `setup_action=install` and the `state` (and a user
 *   `code` when the App requests OAuth on install); its `request` path is a member asking an
 *   organization owner, and redirects with `setup_action=request` and no installation;
 * - `POST /login/oauth/access_token` trades such a user code for a user token.
 */
import { escapeHtml, html, jsonObject, redirect } from "../../kit/FakeResponses.ts"
import { createInstallation } from "./FakeGitHubApps.ts"
import { failure, json, notFound } from "./FakeGitHubHttp.ts"
import { type FakeApp, type FakeGitHubState, randomToken, userOf } from "./FakeGitHubState.ts"

/** A JSON object's string fields as params (the OAuth endpoint takes JSON as well as a form). */
const jsonParams = (text: string): URLSearchParams => {
  const parsed = jsonObject(text) ?? {}
  return new URLSearchParams(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === "string"))
}

const formOrQuery = async (request: Request): Promise<URLSearchParams> => {
  const merged = new URL(request.url).searchParams
  if (request.method === "POST") {
    const type = request.headers.get("content-type") ?? ""
    const text = await request.text()
    const body = type.includes("application/json") ? jsonParams(text) : new URLSearchParams(text)
    body.forEach((value, key) => merged.set(key, value))
  }
  return merged
}

const page = (body: string) => html(200, "Fake GitHub", body)

export const newAppFromManifest = async (state: FakeGitHubState, request: Request, organization: string | undefined) => {
  const params = await formOrQuery(request)
  const manifest = jsonObject(params.get("manifest") ?? "")
  if (manifest === undefined) return failure(422, "Invalid GitHub App configuration: manifest is not JSON")
  const redirectUrl = manifest["redirect_url"]
  if (typeof manifest["url"] !== "string" || typeof redirectUrl !== "string") {
    return failure(422, "Invalid GitHub App configuration: url and redirect_url are required")
  }
  const code = randomToken("")
  const owner = organization === undefined ? userOf(state, state.webUser) : userOf(state, organization, "Organization")
  state.manifestCodes.set(code, { manifest, owner, expiresAt: state.now() + 60 * 60 * 1000 })
  return redirect(redirectUrl, { code, state: params.get("state") })
}

const appBySlug = (state: FakeGitHubState, slug: string): FakeApp | undefined =>
  [...state.apps.values()].find((app) => app.slug === slug)

const setupRedirect = (app: FakeApp, params: Record<string, string | null>) => {
  if (app.setupUrl === null) return page("<p>Installed. This app has no setup URL.</p>")
  return redirect(app.setupUrl, params)
}

export const installPage = (state: FakeGitHubState, request: Request, slug: string, step: string) => {
  const app = appBySlug(state, slug)
  if (app === undefined) return notFound()
  const url = new URL(request.url)
  const stateParam = url.searchParams.get("state")
  const account = url.searchParams.get("account") ?? state.webUser
  if (step === "approve") {
    const installation = createInstallation(state, app, account, state.webUser)
    const code = app.requestOAuthOnInstall ? randomToken("") : null
    if (code !== null) state.userCodes.set(code, state.webUser)
    return setupRedirect(app, { code, installation_id: String(installation.id), setup_action: "install", state: stateParam })
  }
  if (step === "request") {
    state.installRequests.push({ appId: app.id, account, requester: state.webUser })
    return setupRedirect(app, { setup_action: "request", state: stateParam })
  }
  const query = (path: string) => `/apps/${escapeHtml(slug)}/installations/new/${path}?state=${encodeURIComponent(stateParam ?? "")}`
  return page(`<h1>Install ${escapeHtml(app.name)}</h1>
<p><a href="${query("approve")}">Install on ${escapeHtml(account)}</a></p>
<p><a href="${query("request")}">Request the install from an organization owner</a></p>`)
}

export const userAccessToken = async (state: FakeGitHubState, request: Request) => {
  const params = await formOrQuery(request)
  const app = [...state.apps.values()].find((candidate) => candidate.clientId === params.get("client_id"))
  if (app === undefined || app.clientSecret !== params.get("client_secret")) {
    return json(200, { error: "incorrect_client_credentials", error_description: "The client_id and/or client_secret passed are incorrect." })
  }
  const login = state.userCodes.get(params.get("code") ?? "")
  state.userCodes.delete(params.get("code") ?? "")
  if (login === undefined) {
    return json(200, { error: "bad_verification_code", error_description: "The code passed is incorrect or expired." })
  }
  const token = { token: randomToken("ghu_"), kind: "user" as const, installationId: null, login, expiresAt: state.now() + 8 * 3600_000, revoked: false }
  state.tokens.set(token.token, token)
  return json(200, { access_token: token.token, token_type: "bearer", scope: "" })
}
