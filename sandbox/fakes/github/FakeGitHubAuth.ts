/**
 * Who is calling the fake GitHub: an App (an RS256 JWT verified against the app's public key,
 * with GitHub's rules: `iss` the App id or client id, at most 10 minutes between `iat` and
 * `exp`, not expired), an installation (a `ghs_` token, unexpired and unrevoked) or a user (a
 * `ghu_` token). Anything else is 401 "Bad credentials", as GitHub answers.
 */
import { decodeJwt, jwtVerify } from "jose"
import { badCredentials } from "./FakeGitHubHttp.ts"
import type { FakeApp, FakeGitHubState, FakeInstallation } from "./FakeGitHubState.ts"

export type Caller =
  | { readonly _tag: "App"; readonly app: FakeApp }
  | { readonly _tag: "Installation"; readonly installation: FakeInstallation; readonly app: FakeApp; readonly token: string }
  | { readonly _tag: "User"; readonly login: string }
  | { readonly _tag: "Anonymous" }

export const describeCaller = (caller: Caller): string => {
  switch (caller._tag) {
    case "App":
      return `jwt:${caller.app.id}`
    case "Installation":
      return `installation:${caller.installation.id}`
    case "User":
      return `user:${caller.login}`
    case "Anonymous":
      return "none"
  }
}

const credentialOf = (request: Request): string | undefined =>
  /^(?:Bearer|token)\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1]

const appOfIssuer = (state: FakeGitHubState, issuer: unknown): FakeApp | undefined =>
  [...state.apps.values()].find((app) => String(app.id) === String(issuer) || app.clientId === issuer)

const verifyJwt = async (state: FakeGitHubState, token: string): Promise<Caller | Response> => {
  let claims
  try {
    claims = decodeJwt(token)
  } catch {
    return badCredentials("A JSON web token could not be decoded")
  }
  const app = appOfIssuer(state, claims.iss)
  if (app === undefined) return badCredentials("'Issuer' claim ('iss') must be an Integer or the app's client ID")
  const nowSeconds = Math.floor(state.now() / 1000)
  if (typeof claims.iat !== "number" || typeof claims.exp !== "number") return badCredentials("'iat' and 'exp' claims are required")
  if (claims.exp - claims.iat > 600) return badCredentials("'Expiration time' claim ('exp') is too far in the future")
  if (claims.exp <= nowSeconds) return badCredentials("'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires")
  if (claims.iat > nowSeconds + 60) return badCredentials("'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued")
  try {
    await jwtVerify(token, app.publicKey, { algorithms: ["RS256"], currentDate: new Date(state.now()) })
  } catch {
    return badCredentials("A JSON web token could not be decoded")
  }
  return { _tag: "App", app }
}

export const callerOf = async (state: FakeGitHubState, request: Request): Promise<Caller | Response> => {
  const credential = credentialOf(request)
  if (credential === undefined) return { _tag: "Anonymous" }
  if (credential.split(".").length === 3) return verifyJwt(state, credential)
  const token = state.tokens.get(credential)
  if (token === undefined || token.revoked || token.expiresAt <= state.now()) return badCredentials()
  if (token.kind === "user" && token.login !== null) return { _tag: "User", login: token.login }
  const installation = token.installationId === null ? undefined : state.installations.get(token.installationId)
  const app = installation === undefined ? undefined : state.apps.get(installation.appId)
  if (installation === undefined || app === undefined || installation.deleted) return badCredentials()
  return { _tag: "Installation", installation, app, token: credential }
}
