/**
 * Installing a GitHub App on an account, and its installation tokens.
 *
 * The "authorization" page is `<web>/apps/<slug>/installations/new?state=...`; GitHub sends the
 * admin back to the app's setup URL (the kernel's `/install/github/callback`) with
 * `installation_id`, `setup_action` and our `state`. `setup_action=request` means a member
 * asked an organization owner to approve the install: there is no installation yet, so the
 * callback fails with a message saying so.
 *
 * `installation_id` comes from the browser, so it is checked, as the app, with
 * `GET /app/installations/{id}`: only this app's installations are visible to its JWT. For a
 * tenant's own app that is enough (whoever installs it, the app is the tenant's). The
 * deployment's app is shared by every tenant, so one tenant could name another's installation:
 * it must be created with "Request user authorization (OAuth) during installation", and the
 * installer's `code` must show that they can see the installation (`GET /user/installations`).
 *
 * The installation's token set is an installation token (one hour). "Refreshing" it mints a new
 * one with the app JWT; the kernel does that ahead of expiry and after a 401, one at a time per
 * installation. The GitHub installation id travels in the token set's `extra`. A mint answered
 * 404 means the app was uninstalled: `GrantRevoked`, and the kernel revokes the installation.
 */
import { Clock, Effect, Option, Redacted } from "effect"
import type { HttpClient } from "effect/http"
import type { InstallGrant, TokenSet } from "../../../kernel/domain/Credentials.ts"
import { InstallError } from "../../../kernel/domain/Errors.ts"
import { type MethodSetup, type OAuthInstall, setupFrom } from "../../../kernel/provider/Install.ts"
import type { AppContext } from "../../../kernel/provider/Registration.ts"
import type { GitHubSettings } from "../GitHubSettings.ts"
import * as AppApi from "./AppApi.ts"
import { type AppCredentials, appJwt, credentialsOf } from "./AppAuth.ts"

const installError = (reason: InstallError["reason"], message: string) => new InstallError({ reason, message })

export const AWAITING_APPROVAL = "The GitHub App install was requested and awaits approval by an owner of the organization; " +
  "once they approve it, open the install link again to connect it"

/** `issues: write` → `issues:write`, the granted scopes as the kernel records them. */
const scopesOf = (permissions: Readonly<Record<string, string>> | null | undefined): ReadonlyArray<string> =>
  Object.entries(permissions ?? {}).map(([permission, access]) => `${permission}:${access}`).sort()

const tokenSetOf = (token: AppApi.InstallationToken, installationId: string, now: number): TokenSet => {
  const expiresAt = Date.parse(token.expires_at)
  return {
    accessToken: Redacted.make(token.token),
    refreshToken: Option.none(),
    // GitHub documents one hour; a date it did not format is taken as that from now.
    expiresAt: Option.some(Number.isFinite(expiresAt) ? expiresAt : now + 60 * 60 * 1000),
    scopes: scopesOf(token.permissions),
    extra: { installationId: Redacted.make(installationId) }
  }
}

const mint = Effect.fnUntraced(function*(settings: GitHubSettings, credentials: AppCredentials, installationId: string) {
  const jwt = yield* appJwt(credentials.appId, credentials.privateKey)
  const token = yield* AppApi.createInstallationToken(settings.apiUrl, jwt, installationId)
  return tokenSetOf(token, installationId, yield* Clock.currentTimeMillis)
})

/** The shared app's installer must be able to see the installation they name. */
const proveInstaller = Effect.fnUntraced(function*(
  settings: GitHubSettings,
  credentials: AppCredentials,
  installationId: string,
  code: string
) {
  if (Option.isNone(credentials.shared)) return
  const oauth = credentials.shared.value.oauth
  if (Option.isNone(oauth)) {
    return yield* installError(
      "NotConfigured",
      "The deployment's GitHub App needs GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET (and \"Request user authorization " +
        "during installation\") so Switchboard can check who installs it"
    )
  }
  if (code.length === 0) {
    return yield* installError("InvalidState", "GitHub's install callback has no code; enable \"Request user authorization during installation\"")
  }
  const userToken = yield* AppApi.exchangeUserCode(settings.webUrl, oauth.value, code)
  const visible = yield* AppApi.userInstallationIds(settings.apiUrl, Redacted.make(userToken))
  if (!visible.includes(installationId)) {
    return yield* installError("VendorRejected", `Installation ${installationId} is not one the installer can access`)
  }
})

/**
 * The deployment's own App needs its id, slug and key, and its OAuth client to prove who installs
 * it (see `proveInstaller`); a tenant's own App (registration) installs without any of them.
 */
export const setupOf = (settings: GitHubSettings): MethodSetup => {
  const app = Option.isSome(settings.app)
  const client = Option.isSome(settings.app) && Option.isSome(settings.app.value.oauth)
  return setupFrom({
    GITHUB_APP_ID: app,
    GITHUB_APP_SLUG: app,
    GITHUB_APP_PRIVATE_KEY: app,
    GITHUB_CLIENT_ID: client,
    GITHUB_CLIENT_SECRET: client
  })
}

export const make = (settings: GitHubSettings): OAuthInstall => {
  const authorizationUrl: OAuthInstall["authorizationUrl"] = ({ app, state }) =>
    Effect.map(credentialsOf(settings, app), (credentials) => {
      const url = new URL(`${settings.webUrl}/apps/${encodeURIComponent(credentials.slug)}/installations/new`)
      url.searchParams.set("state", state)
      return url.toString()
    })

  /** Checks the installation belongs to the app and is usable, then mints its first token. */
  const grantFor = Effect.fnUntraced(function*(
    credentials: AppCredentials,
    installationId: string,
    prove: (credentials: AppCredentials) => Effect.Effect<void, InstallError, HttpClient.HttpClient>
  ) {
    const jwt = yield* appJwt(credentials.appId, credentials.privateKey)
    const installation = yield* AppApi.getInstallation(settings.apiUrl, jwt, installationId)
    if (String(installation.app_id) !== credentials.appId) {
      return yield* installError("VendorRejected", `Installation ${installationId} belongs to another GitHub App`)
    }
    if (installation.suspended_at !== undefined && installation.suspended_at !== null) {
      return yield* installError("VendorRejected", `Installation ${installationId} is suspended on GitHub; unsuspend it first`)
    }
    yield* prove(credentials)
    const tokens = yield* mint(settings, credentials, installationId)
    const account = installation.account
    const grant: InstallGrant = {
      externalAccountId: installationId,
      displayName: account?.login ?? `installation ${installationId}`,
      tokens,
      metadata: {
        installationId,
        appId: credentials.appId,
        appSlug: credentials.slug,
        // The bot's login: what webhooks name as sender, assignee or requested reviewer.
        botLogin: `${credentials.slug}[bot]`,
        ...(account === undefined || account === null ? {} : { accountLogin: account.login, accountType: account.type ?? "" }),
        repositorySelection: installation.repository_selection ?? ""
      }
    }
    return grant
  })

  const exchange: OAuthInstall["exchange"] = Effect.fn("GitHubInstall.exchange")(function*({ app, code, query }) {
    const setupAction = query.get("setup_action") ?? "install"
    if (setupAction === "request") return yield* installError("PendingApproval", AWAITING_APPROVAL)
    const installationId = query.get("installation_id") ?? ""
    if (!/^\d+$/.test(installationId)) {
      return yield* installError("InvalidState", "GitHub's install callback has no installation_id")
    }
    const credentials = yield* credentialsOf(settings, app)
    return yield* grantFor(credentials, installationId, (verified) => proveInstaller(settings, verified, installationId, code))
  })

  /** An installation announced by webhook on a tenant's own app (an owner approved a request). */
  const adopt: NonNullable<OAuthInstall["adopt"]> = Effect.fn("GitHubInstall.adopt")(function*({ app, externalAccountId }) {
    if (!/^\d+$/.test(externalAccountId)) {
      return yield* installError("InvalidState", `"${externalAccountId}" is not a GitHub installation id`)
    }
    const credentials = yield* credentialsOf(settings, Option.some(app))
    // The webhook was signed by the tenant's own app, so there is no installer to prove.
    return yield* grantFor(credentials, externalAccountId, () => Effect.void)
  })

  const refresh = Effect.fn("GitHubInstall.refresh")(function*(current: TokenSet, app?: Option.Option<AppContext>) {
    const installationId = Option.map(Option.fromNullishOr(current.extra["installationId"]), Redacted.value)
    if (Option.isNone(installationId)) {
      return yield* installError("InvalidCredentials", "The stored GitHub token set does not name its installation; reinstall")
    }
    const credentials = yield* credentialsOf(settings, app ?? Option.none())
    return yield* mint(settings, credentials, installationId.value)
  })

  // Uninstalling in Switchboard revokes the token it holds; the App stays installed on GitHub,
  // where only the account's owners decide to remove it.
  const revoke = (current: TokenSet) => AppApi.revokeInstallationToken(settings.apiUrl, current.accessToken)

  return {
    _tag: "OAuth",
    // GitHub takes PKCE on its user-authorization page (`/login/oauth/authorize`) only; the
    // installation page passes nothing back but `state`, and its code comes with no challenge.
    pkce: false,
    setup: setupOf(settings),
    authorizationUrl,
    exchange,
    adopt,
    refresh: Option.some(refresh),
    revoke: Option.some(revoke)
  }
}
