/**
 * The fake's credentials: OAuth grants (an access token and a rotating refresh token per grant,
 * on the kit's grants) and Basic auth with an account's e-mail and API token, as a site accepts
 * them. `bearerAccount` and `basicAccount` tell which account a REST call acts as.
 */
import { bearerOf, credentialsOf } from "../../kit/FakeCredentials.ts"
import { BEARER_REASONS, makeGrants } from "../../kit/FakeGrants.ts"
import type { ConsentingAccount, FakeAccessToken, FakeJiraState } from "./FakeJiraState.ts"

export type { IssuedTokens } from "../../kit/FakeGrants.ts"

export const grantsOf = (state: FakeJiraState) =>
  makeGrants<ConsentingAccount>(state, { accessPrefix: "jira_at_", refreshPrefix: "jira_rt_", bytes: 18 })

/** Ends every grant, as removing the app from the account does; answers how many. */
export const revokeAll = (state: FakeJiraState): number =>
  new Set(grantsOf(state).revokeAll().map((entry) => entry.grantId)).size

export type Authenticated =
  | { readonly _tag: "Valid"; readonly accountId: string; readonly token: FakeAccessToken }
  | { readonly _tag: "Invalid"; readonly reason: string }

export const bearerAccount = (state: FakeJiraState, request: Request): Authenticated => {
  const checked = grantsOf(state).check(bearerOf(request))
  return checked._tag === "Invalid"
    ? { _tag: "Invalid", reason: BEARER_REASONS[checked.reason] }
    : { _tag: "Valid", accountId: checked.entry.accountId, token: checked.entry }
}

/** Basic auth: an account's e-mail address and one of its API tokens. */
export const basicAccount = (state: FakeJiraState, request: Request): { readonly accountId: string } | undefined => {
  const credentials = credentialsOf(request)
  if (credentials._tag !== "Basic") return undefined
  if (state.apiTokens.get(credentials.username.toLowerCase()) !== credentials.password) return undefined
  const user = [...state.users.values()].find((candidate) => candidate.emailAddress.toLowerCase() === credentials.username.toLowerCase())
  return user === undefined ? undefined : { accountId: user.accountId }
}
