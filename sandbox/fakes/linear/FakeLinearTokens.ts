/**
 * The fake's OAuth grants, on the kit's grants: Linear's token prefixes, and a bearer check that
 * answers the token or why it is refused. A grant is the unit: revoking any of its tokens ends
 * all of them, as in Linear.
 */
import { BEARER_REASONS, makeGrants } from "../../kit/FakeGrants.ts"
import type { FakeAccessToken, FakeLinearState } from "./FakeLinearState.ts"

export type { IssuedTokens } from "../../kit/FakeGrants.ts"

export const grantsOf = (state: FakeLinearState) => makeGrants<{}>(state, { accessPrefix: "lin_oauth_", refreshPrefix: "lin_refresh_" })

/** Ends every grant: the workspace removed the app. Answers how many. */
export const revokeAllGrants = (state: FakeLinearState): number =>
  new Set(grantsOf(state).revokeAll().map((entry) => entry.grantId)).size

export type TokenCheck =
  | { readonly _tag: "Valid"; readonly token: FakeAccessToken }
  | { readonly _tag: "Invalid"; readonly reason: string }

export const checkAccessToken = (state: FakeLinearState, token: string | null): TokenCheck => {
  const checked = grantsOf(state).check(token)
  return checked._tag === "Invalid" ? { _tag: "Invalid", reason: BEARER_REASONS[checked.reason] } : { _tag: "Valid", token: checked.entry }
}
