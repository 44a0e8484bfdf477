/** Pending OAuth flows. `take` deletes as it reads, so a state can be used once. */
import { Context, type Effect, type Option } from "effect"
import type { StoreError } from "../domain/Errors.ts"
import type { OAuthState } from "../domain/OAuthState.ts"

export class OAuthStateStore extends Context.Service<OAuthStateStore, {
  readonly insert: (state: OAuthState) => Effect.Effect<void, StoreError>
  /** Removes and returns the state in one statement (DELETE ... RETURNING), expired or not. */
  readonly take: (state: string) => Effect.Effect<Option.Option<OAuthState>, StoreError>
  readonly deleteExpired: (now: number) => Effect.Effect<number, StoreError>
}>()("switchboard/store/OAuthStateStore") {}
