/**
 * The fake's credentials: OAuth grants (an access token and a rotating refresh token per grant;
 * revoking any token ends the grant) and Basic auth with an account's e-mail and API token, as a
 * site accepts them. `authenticate` tells which account a REST call acts as.
 */
import { credentialsOf } from "../../kit/FakeVendor.ts"
import type { FakeAccessToken, FakeJiraState } from "./FakeJiraState.ts"
import { randomToken } from "./FakeJiraState.ts"

export interface IssuedTokens {
  readonly accessToken: string
  readonly refreshToken: string
  readonly expiresIn: number
  readonly scopes: ReadonlyArray<string>
}

export const issueTokens = (state: FakeJiraState, grantId: string, accountId: string, scopes: ReadonlyArray<string>): IssuedTokens => {
  const accessToken = randomToken("jira_at_")
  const refreshToken = randomToken("jira_rt_")
  state.accessTokens.set(accessToken, { grantId, accountId, scopes, expiresAt: state.now() + state.accessTokenTtlSeconds * 1000, revoked: false })
  state.refreshTokens.set(refreshToken, { grantId, accountId, scopes, used: false, revoked: false })
  return { accessToken, refreshToken, expiresIn: state.accessTokenTtlSeconds, scopes }
}

export const revokeAll = (state: FakeJiraState): number => {
  const grants = new Set([...state.accessTokens.values()].filter((entry) => !entry.revoked).map((entry) => entry.grantId))
  for (const entry of state.accessTokens.values()) entry.revoked = true
  for (const entry of state.refreshTokens.values()) entry.revoked = true
  return grants.size
}

/** Expires every live access token; refresh tokens keep working. */
export const expireAll = (state: FakeJiraState): number => {
  let expired = 0
  for (const entry of state.accessTokens.values()) {
    if (!entry.revoked && entry.expiresAt > state.now()) {
      entry.expiresAt = state.now() - 1
      expired++
    }
  }
  return expired
}

export type Authenticated =
  | { readonly _tag: "Valid"; readonly accountId: string; readonly token: FakeAccessToken }
  | { readonly _tag: "Invalid"; readonly reason: string }

export const bearerAccount = (state: FakeJiraState, request: Request): Authenticated => {
  const credentials = credentialsOf(request)
  if (credentials._tag !== "Bearer") return { _tag: "Invalid", reason: "no bearer token" }
  const entry = state.accessTokens.get(credentials.token)
  if (entry === undefined) return { _tag: "Invalid", reason: "unknown token" }
  if (entry.revoked) return { _tag: "Invalid", reason: "revoked token" }
  if (entry.expiresAt <= state.now()) return { _tag: "Invalid", reason: "expired token" }
  return { _tag: "Valid", accountId: entry.accountId, token: entry }
}

/** Basic auth: an account's e-mail address and one of its API tokens. */
export const basicAccount = (state: FakeJiraState, request: Request): { readonly accountId: string } | undefined => {
  const credentials = credentialsOf(request)
  if (credentials._tag !== "Basic") return undefined
  if (state.apiTokens.get(credentials.username.toLowerCase()) !== credentials.password) return undefined
  const user = [...state.users.values()].find((candidate) => candidate.emailAddress.toLowerCase() === credentials.username.toLowerCase())
  return user === undefined ? undefined : { accountId: user.accountId }
}
