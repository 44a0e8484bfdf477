/** Conformance cases for `OAuthStateStore`: single use (also under a race), expiry sweep. */
import { Effect, Option } from "effect"
import type { OAuthState } from "../../../kernel/domain/OAuthState.ts"
import { OAuthStateStore } from "../../../kernel/store/OAuthStateStore.ts"
import { awkward, expectEqual, expectNone, expectSome, linear, type StoreCase, T0, tenantA } from "../fixtures.ts"

const state = (value: string, expiresAt: number, withExtras = true): OAuthState => ({
  state: value,
  tenantId: tenantA,
  providerId: linear,
  codeVerifier: withExtras ? "verifier_0123456789" : null,
  returnUrl: withExtras ? `https://example.com/back?q=${encodeURIComponent(awkward)}` : null,
  registrationId: withExtras ? "reg_1" : null,
  expiresAt,
  createdAt: T0
})

export const oauthStateCases: ReadonlyArray<StoreCase> = [
  {
    name: "OAuthStateStore: take returns a state once, expired or not",
    body: Effect.gen(function*() {
      const store = yield* OAuthStateStore
      const full = state("st_1", T0 + 600_000)
      const bare = state("st_2", T0 - 1, false)
      yield* store.insert(full)
      yield* store.insert(bare)
      yield* expectEqual(yield* expectSome(yield* store.take("st_1"), "take"), full, "take")
      yield* expectNone(yield* store.take("st_1"), "second take")
      yield* expectEqual(yield* expectSome(yield* store.take("st_2"), "take expired"), bare, "an expired state")
      yield* expectNone(yield* store.take("st_unknown"), "take(unknown)")
    })
  },
  {
    name: "OAuthStateStore: concurrent takes of one state: exactly one wins",
    body: Effect.gen(function*() {
      const store = yield* OAuthStateStore
      yield* store.insert(state("st_race", T0 + 600_000))
      const taken = yield* Effect.all(Array.from({ length: 8 }, () => store.take("st_race")), {
        concurrency: "unbounded"
      })
      yield* expectEqual(taken.filter(Option.isSome).length, 1, "winners")
    })
  },
  {
    name: "OAuthStateStore: deleteExpired removes only expired states and counts them",
    body: Effect.gen(function*() {
      const store = yield* OAuthStateStore
      yield* store.insert(state("st_old", T0 + 10))
      yield* store.insert(state("st_older", T0 + 5))
      yield* store.insert(state("st_fresh", T0 + 1000))
      yield* expectEqual(yield* store.deleteExpired(T0 + 10), 2, "deleted")
      yield* expectNone(yield* store.take("st_old"), "st_old")
      yield* expectSome(yield* store.take("st_fresh"), "st_fresh survives")
      yield* expectEqual(yield* store.deleteExpired(T0 + 10), 0, "nothing left to delete")
    })
  }
]
