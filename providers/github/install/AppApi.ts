/**
 * The App endpoints Switchboard uses, each failing with an `InstallError`
 * (`GitHubErrors.toInstallError`):
 *
 * - `POST /app-manifests/{code}/conversions` (no auth): the manifest flow's app credentials;
 * - `GET /app` (app JWT): which app a pasted key belongs to;
 * - `GET /app/installations/{id}` (app JWT): that an installation is this app's, and its account;
 * - `POST /app/installations/{id}/access_tokens` (app JWT): an installation token (1 hour);
 * - `DELETE /installation/token` (installation token): revokes it on uninstall;
 * - for the deployment's shared app, `POST <web>/login/oauth/access_token` and
 *   `GET /user/installations`, to check that whoever installs can see the installation.
 */
import { Effect, Option, Redacted, Schema } from "effect"
import type { HttpClient } from "effect/http"
import { InstallError } from "../../../kernel/domain/Errors.ts"
import { decodeJsonText, nullable } from "../../../kernel/provider/Vendor.ts"
import { toInstallError } from "../GitHubErrors.ts"
import { type RestAnswer, type RestCall, send } from "../GitHubHttp.ts"

const Account = Schema.Struct({ login: Schema.String, id: Schema.Number, type: nullable(Schema.String) })

export const AppInfo = Schema.Struct({
  id: Schema.Number,
  slug: Schema.String,
  name: Schema.String,
  owner: nullable(Account),
  client_id: nullable(Schema.String),
  html_url: nullable(Schema.String)
})
export type AppInfo = typeof AppInfo.Type

export const ManifestConversion = Schema.Struct({
  ...AppInfo.fields,
  client_secret: Schema.String,
  webhook_secret: nullable(Schema.String),
  pem: Schema.String
})
export type ManifestConversion = typeof ManifestConversion.Type

const Permissions = Schema.Record(Schema.String, Schema.String)

export const InstallationInfo = Schema.Struct({
  id: Schema.Number,
  app_id: Schema.Number,
  app_slug: nullable(Schema.String),
  account: nullable(Account),
  permissions: nullable(Permissions),
  repository_selection: nullable(Schema.String),
  suspended_at: nullable(Schema.String)
})
export type InstallationInfo = typeof InstallationInfo.Type

export const InstallationToken = Schema.Struct({
  token: Schema.String,
  expires_at: Schema.String,
  permissions: nullable(Permissions),
  repository_selection: nullable(Schema.String)
})
export type InstallationToken = typeof InstallationToken.Type

const UserToken = Schema.Struct({
  access_token: nullable(Schema.String),
  error: nullable(Schema.String),
  error_description: nullable(Schema.String)
})

const UserInstallations = Schema.Struct({ installations: Schema.Array(Schema.Struct({ id: Schema.Number })) })

const call = <A>(
  baseUrl: string,
  rest: RestCall,
  schema: Schema.Codec<A, unknown>,
  what: string,
  failure: (answer: RestAnswer) => InstallError = (answer) => toInstallError(answer, what)
) =>
  send(baseUrl, rest).pipe(
    Effect.mapError((error) => new InstallError({ reason: "VendorUnavailable", message: error.message })),
    Effect.flatMap((answer) =>
      answer.status >= 200 && answer.status < 300
        ? decodeJsonText(schema)(answer.text).pipe(
          Effect.mapError(() =>
            new InstallError({ reason: "VendorUnavailable", message: `GitHub's answer to ${what} has an unexpected shape` })
          )
        )
        : Effect.fail(failure(answer))
    )
  )

export const convertManifest = (apiUrl: string, code: string) =>
  call(
    apiUrl,
    { method: "POST", path: `/app-manifests/${encodeURIComponent(code)}/conversions`, bearer: Option.none() },
    ManifestConversion,
    "create the GitHub App from the manifest"
  )

export const getApp = (apiUrl: string, jwt: Redacted.Redacted<string>) =>
  call(apiUrl, { method: "GET", path: "/app", bearer: Option.some(jwt) }, AppInfo, "read the GitHub App")

export const getInstallation = (apiUrl: string, jwt: Redacted.Redacted<string>, installationId: string) =>
  call(
    apiUrl,
    { method: "GET", path: `/app/installations/${encodeURIComponent(installationId)}`, bearer: Option.some(jwt) },
    InstallationInfo,
    `read installation ${installationId}`
  )

/** 404: the app is no longer installed there, so the grant is gone for good (`GrantRevoked`). */
export const createInstallationToken = (apiUrl: string, jwt: Redacted.Redacted<string>, installationId: string) => {
  const what = `mint a token for installation ${installationId}`
  return call(
    apiUrl,
    { method: "POST", path: `/app/installations/${encodeURIComponent(installationId)}/access_tokens`, bearer: Option.some(jwt) },
    InstallationToken,
    what,
    (answer) =>
      answer.status === 404
        ? new InstallError({ reason: "GrantRevoked", message: `The GitHub App is no longer installed (installation ${installationId})` })
        : toInstallError(answer, what)
  )
}

export const revokeInstallationToken = (
  apiUrl: string,
  token: Redacted.Redacted<string>
): Effect.Effect<void, InstallError, HttpClient.HttpClient> =>
  send(apiUrl, { method: "DELETE", path: "/installation/token", bearer: Option.some(token) }).pipe(
    Effect.mapError((error) => new InstallError({ reason: "VendorUnavailable", message: error.message })),
    Effect.flatMap((answer) =>
      // 401: the token is already expired or revoked, so there is nothing left to revoke.
      answer.status === 204 || answer.status === 401 || (answer.status >= 200 && answer.status < 300)
        ? Effect.void
        : Effect.fail(toInstallError(answer, "revoke the installation token"))
    )
  )

/** Trades a user's OAuth code (the install callback's `code`) for a user access token. */
export const exchangeUserCode = Effect.fnUntraced(function*(
  webUrl: string,
  client: { readonly clientId: string; readonly clientSecret: Redacted.Redacted<string> },
  code: string
) {
  const answer = yield* call(
    webUrl,
    {
      method: "POST",
      path: "/login/oauth/access_token",
      accept: "application/json",
      body: { client_id: client.clientId, client_secret: Redacted.value(client.clientSecret), code },
      bearer: Option.none()
    },
    UserToken,
    "exchange the installer's authorization code"
  )
  if (answer.access_token === undefined || answer.access_token === null) {
    return yield* new InstallError({
      reason: "VendorRejected",
      message: `GitHub refused the installer's authorization code (${answer.error ?? "no token"}${
        answer.error_description ? `: ${answer.error_description}` : ""
      })`
    })
  }
  return answer.access_token
})

export const userInstallationIds = (apiUrl: string, userToken: Redacted.Redacted<string>) =>
  call(
    apiUrl,
    { method: "GET", path: "/user/installations", query: { per_page: "100" }, bearer: Option.some(userToken) },
    UserInstallations,
    "list the installer's installations"
  ).pipe(Effect.map((answer) => answer.installations.map((installation) => String(installation.id))))
