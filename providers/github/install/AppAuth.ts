/**
 * Which GitHub App an install, a token mint or a webhook belongs to, and authenticating as it.
 *
 * A tenant's own app (its registration: `externalAppId`, metadata `slug`, sealed `privateKey`
 * and `webhookSecret`) wins; otherwise the deployment's app from the settings. The app JWT is
 * RS256 (jose), issued 60 s in the past against clock drift and valid 9 minutes, inside the
 * 10 minutes GitHub allows, with the App id as issuer.
 */
import { Clock, Effect, Option, Redacted } from "effect"
import { SignJWT } from "jose"
import { InstallError } from "../../../kernel/domain/Errors.ts"
import type { AppContext } from "../../../kernel/provider/Registration.ts"
import type { DeploymentApp, GitHubSettings } from "../GitHubSettings.ts"
import { importAppKey } from "./AppKeys.ts"

export interface AppCredentials {
  readonly appId: string
  readonly slug: string
  readonly privateKey: Redacted.Redacted<string>
  /** The deployment's app, shared by tenants, must prove who installs it; a tenant's own need not. */
  readonly shared: Option.Option<DeploymentApp>
}

const JWT_BACKDATE_SECONDS = 60
const JWT_LIFETIME_SECONDS = 9 * 60

const installError = (reason: InstallError["reason"], message: string) => new InstallError({ reason, message })

const fromRegistration = (app: AppContext): Effect.Effect<AppCredentials, InstallError> => {
  const appId = app.registration.externalAppId
  const slug = app.registration.metadata["slug"]
  const privateKey = app.secrets["privateKey"]
  if (appId === null || slug === undefined || privateKey === undefined) {
    return Effect.fail(installError("InvalidState", `The GitHub App registration ${app.registration.id} is incomplete`))
  }
  return Effect.succeed({ appId, slug, privateKey, shared: Option.none() })
}

export const credentialsOf = (
  settings: GitHubSettings,
  app: Option.Option<AppContext>
): Effect.Effect<AppCredentials, InstallError> =>
  Option.match(app, {
    onSome: fromRegistration,
    onNone: () =>
      Option.match(settings.app, {
        onNone: () =>
          Effect.fail(installError(
            "NotConfigured",
            "No GitHub App: register one for the tenant (POST /v1/registrations, or GET /install/github/app), or set " +
              "GITHUB_APP_ID, GITHUB_APP_SLUG and GITHUB_APP_PRIVATE_KEY for the deployment's app"
          )),
        onSome: (shared) =>
          Effect.succeed({ appId: shared.appId, slug: shared.slug, privateKey: shared.privateKey, shared: Option.some(shared) })
      })
  })

/** A JWT that authenticates as the app itself (for `/app/...` endpoints). */
export const appJwt = Effect.fn("GitHubInstall.appJwt")(function*(appId: string, privateKey: Redacted.Redacted<string>) {
  const key = yield* importAppKey(privateKey).pipe(
    Effect.mapError((error) => installError("InvalidCredentials", error.message))
  )
  const now = Math.floor((yield* Clock.currentTimeMillis) / 1000)
  const token = yield* Effect.promise(() =>
    new SignJWT({})
      .setProtectedHeader({ alg: "RS256", typ: "JWT" })
      .setIssuer(appId)
      .setIssuedAt(now - JWT_BACKDATE_SECONDS)
      .setExpirationTime(now + JWT_LIFETIME_SECONDS)
      .sign(key)
  )
  return Redacted.make(token)
})
