/**
 * The fake's OAuth grants: issuing access and refresh tokens, revoking a grant (what an
 * uninstall or Linear's revoke endpoint does), expiring access tokens, and checking a bearer.
 * A grant is the unit: revoking any of its tokens ends all of them, as in Linear.
 */
import type { FakeAccessToken, FakeLinearState } from "./FakeLinearState.ts"
import { randomToken } from "./FakeLinearState.ts"

export interface IssuedTokens {
  readonly accessToken: string
  readonly refreshToken: string
  readonly expiresIn: number
  readonly scopes: ReadonlyArray<string>
}

export const issueTokens = (
  state: FakeLinearState,
  grantId: string,
  scopes: ReadonlyArray<string>,
  expiresInSeconds: number = state.accessTokenTtlSeconds
): IssuedTokens => {
  const accessToken = randomToken("lin_oauth_")
  const refreshToken = randomToken("lin_refresh_")
  state.accessTokens.set(accessToken, {
    token: accessToken,
    grantId,
    scopes,
    expiresAt: state.now() + expiresInSeconds * 1000,
    revoked: false
  })
  state.refreshTokens.set(refreshToken, { token: refreshToken, grantId, scopes, used: false, revoked: false })
  return { accessToken, refreshToken, expiresIn: expiresInSeconds, scopes }
}

export const revokeGrant = (state: FakeLinearState, grantId: string): void => {
  for (const entry of state.accessTokens.values()) if (entry.grantId === grantId) entry.revoked = true
  for (const entry of state.refreshTokens.values()) if (entry.grantId === grantId) entry.revoked = true
}

/** Revoking any token of a grant ends the whole grant, as uninstalling the app does. */
export const revokeGrantOf = (state: FakeLinearState, token: string): boolean => {
  const grantId = state.accessTokens.get(token)?.grantId ?? state.refreshTokens.get(token)?.grantId
  if (grantId === undefined) return false
  revokeGrant(state, grantId)
  return true
}

/** Ends every grant: the workspace removed the app. */
export const revokeAllGrants = (state: FakeLinearState): number => {
  const grants = new Set([...state.accessTokens.values()].filter((entry) => !entry.revoked).map((entry) => entry.grantId))
  for (const grantId of grants) revokeGrant(state, grantId)
  return grants.size
}

export const expireAccessToken = (state: FakeLinearState, token: string): boolean => {
  const entry = state.accessTokens.get(token)
  if (entry === undefined) return false
  entry.expiresAt = state.now() - 1
  return true
}

/** Expires every live access token (refresh tokens stay good), as a day without traffic would. */
export const expireAllAccessTokens = (state: FakeLinearState): number => {
  let expired = 0
  for (const entry of state.accessTokens.values()) {
    if (!entry.revoked && entry.expiresAt > state.now()) {
      entry.expiresAt = state.now() - 1
      expired++
    }
  }
  return expired
}

export type TokenCheck =
  | { readonly _tag: "Valid"; readonly token: FakeAccessToken }
  | { readonly _tag: "Invalid"; readonly reason: string }

export const checkAccessToken = (state: FakeLinearState, token: string | null): TokenCheck => {
  if (token === null || token.length === 0) return { _tag: "Invalid", reason: "no bearer token" }
  const entry = state.accessTokens.get(token)
  if (entry === undefined) return { _tag: "Invalid", reason: "unknown token" }
  if (entry.revoked) return { _tag: "Invalid", reason: "revoked token" }
  if (entry.expiresAt <= state.now()) return { _tag: "Invalid", reason: "expired token" }
  return { _tag: "Valid", token: entry }
}
