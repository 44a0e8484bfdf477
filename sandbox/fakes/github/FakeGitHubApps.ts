/**
 * The fake's App endpoints: `POST /app-manifests/{code}/conversions` (creates the App with a
 * fresh RSA key pair and hands out the PKCS#1 PEM, the webhook secret and OAuth client
 * credentials, once per code, within the hour), `GET /app`, `GET /app/installations/{id}` and
 * `POST /app/installations/{id}/access_tokens` (app JWT only), `DELETE /installation/token`
 * (installation token) and `GET /user/installations` (user token).
 */
import type { Caller } from "./FakeGitHubAuth.ts"
import { failure, json, notFound } from "./FakeGitHubHttp.ts"
import { generateAppKeys } from "./FakeGitHubKeys.ts"
import {
  type FakeApp,
  type FakeGitHubState,
  type FakeInstallation,
  type FakeUser,
  iso,
  nextId,
  randomToken,
  userOf
} from "./FakeGitHubState.ts"
import { appView, installationView } from "./FakeGitHubViews.ts"

const text = (value: unknown): string | null => typeof value === "string" && value.length > 0 ? value : null

const record = (value: unknown): Record<string, string> =>
  typeof value === "object" && value !== null
    ? Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"))
    : {}

const slugOf = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "app"

/** Creates an App from a manifest, as GitHub does when the owner confirms it. */
export const createApp = async (state: FakeGitHubState, manifest: Record<string, unknown>, owner: FakeUser): Promise<FakeApp> => {
  const keys = await generateAppKeys()
  const id = nextId(state)
  const name = text(manifest["name"]) ?? `app-${id}`
  const taken = [...state.apps.values()].some((app) => app.slug === slugOf(name))
  const slug = taken ? `${slugOf(name)}-${id}` : slugOf(name)
  const hook = typeof manifest["hook_attributes"] === "object" && manifest["hook_attributes"] !== null
    ? text(Object.fromEntries(Object.entries(manifest["hook_attributes"]))["url"])
    : null
  const events = Array.isArray(manifest["default_events"])
    ? manifest["default_events"].filter((event): event is string => typeof event === "string")
    : []
  const app: FakeApp = {
    id,
    slug,
    name,
    owner,
    clientId: `Iv23${randomToken("").slice(0, 16)}`,
    clientSecret: randomToken(""),
    webhookSecret: randomToken("whsec_"),
    pem: keys.privateKeyPem,
    publicKey: keys.publicKey,
    hookUrl: hook,
    setupUrl: text(manifest["setup_url"]),
    redirectUrl: text(manifest["redirect_url"]),
    requestOAuthOnInstall: manifest["request_oauth_on_install"] === true,
    permissions: { metadata: "read", ...record(manifest["default_permissions"]) },
    events,
    bot: userOf(state, `${slug}[bot]`, "Bot")
  }
  state.apps.set(id, app)
  return app
}

export const createInstallation = (state: FakeGitHubState, app: FakeApp, account: string, installer: string): FakeInstallation => {
  const existing = [...state.installations.values()].find((candidate) =>
    candidate.appId === app.id && !candidate.deleted && candidate.account.login.toLowerCase() === account.toLowerCase()
  )
  if (existing !== undefined) return existing
  const installation: FakeInstallation = {
    id: nextId(state),
    appId: app.id,
    account: userOf(state, account, account === installer ? "User" : "Organization"),
    installer,
    permissions: { ...app.permissions },
    suspended: false,
    deleted: false
  }
  state.installations.set(installation.id, installation)
  return installation
}

export const convertManifest = async (state: FakeGitHubState, code: string): Promise<Response> => {
  const pending = state.manifestCodes.get(code)
  state.manifestCodes.delete(code)
  if (pending === undefined || pending.expiresAt <= state.now()) return notFound()
  const app = await createApp(state, pending.manifest, pending.owner)
  return json(201, {
    ...appView(app),
    client_secret: app.clientSecret,
    webhook_secret: app.webhookSecret,
    pem: app.pem
  })
}

const asApp = (caller: Caller): FakeApp | Response =>
  caller._tag === "App" ? caller.app : failure(401, "A JSON web token could not be decoded")

export const getApp = (caller: Caller): Response => {
  const app = asApp(caller)
  return app instanceof Response ? app : json(200, appView(app))
}

const installationOf = (state: FakeGitHubState, app: FakeApp, id: string): FakeInstallation | undefined => {
  const installation = state.installations.get(Number(id))
  return installation === undefined || installation.appId !== app.id || installation.deleted ? undefined : installation
}

export const getInstallation = (state: FakeGitHubState, caller: Caller, id: string): Response => {
  const app = asApp(caller)
  if (app instanceof Response) return app
  const installation = installationOf(state, app, id)
  return installation === undefined ? notFound() : json(200, installationView(state, installation))
}

export const mintInstallationToken = (state: FakeGitHubState, installation: FakeInstallation) => {
  const token = { token: randomToken("ghs_"), kind: "installation" as const, installationId: installation.id, login: null, expiresAt: state.now() + state.tokenTtlSeconds * 1000, revoked: false }
  state.tokens.set(token.token, token)
  return token
}

export const createAccessToken = (state: FakeGitHubState, caller: Caller, id: string): Response => {
  const app = asApp(caller)
  if (app instanceof Response) return app
  const installation = installationOf(state, app, id)
  if (installation === undefined) return notFound()
  if (installation.suspended) return failure(403, "This installation has been suspended")
  const token = mintInstallationToken(state, installation)
  return json(201, {
    token: token.token,
    expires_at: iso(token.expiresAt),
    permissions: installation.permissions,
    repository_selection: "all"
  })
}

export const revokeToken = (state: FakeGitHubState, caller: Caller): Response => {
  if (caller._tag !== "Installation") return failure(401, "Bad credentials")
  const token = state.tokens.get(caller.token)
  if (token !== undefined) token.revoked = true
  return json(204, null)
}

export const userInstallations = (state: FakeGitHubState, caller: Caller): Response => {
  if (caller._tag !== "User") return failure(401, "Bad credentials")
  const visible = [...state.installations.values()].filter((installation) =>
    !installation.deleted && (installation.installer === caller.login || installation.account.login === caller.login)
  )
  return json(200, { total_count: visible.length, installations: visible.map((installation) => installationView(state, installation)) })
}
