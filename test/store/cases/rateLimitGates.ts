/** Conformance cases for `RateLimitGateStore`: the later end wins, gates are per provider and key, an ended gate is open. */
import { Effect } from "effect"
import { RateLimitGateStore } from "../../../kernel/store/RateLimitGateStore.ts"
import { expectEqual, expectNone, expectSome, github, linear, type StoreCase, T0 } from "../fixtures.ts"

export const rateLimitGateCases: ReadonlyArray<StoreCase> = [
  {
    name: "RateLimitGateStore: a gate closes until the later end; it is open once that passes",
    body: Effect.gen(function*() {
      const gates = yield* RateLimitGateStore
      yield* expectNone(yield* gates.blockedUntil(github, "42", T0), "never closed")
      yield* gates.block(github, "42", T0 + 60_000)
      yield* expectEqual(yield* expectSome(yield* gates.blockedUntil(github, "42", T0), "closed"), T0 + 60_000, "until")
      yield* gates.block(github, "42", T0 + 5_000)
      yield* expectEqual(yield* expectSome(yield* gates.blockedUntil(github, "42", T0), "still"), T0 + 60_000, "an earlier end changes nothing")
      yield* gates.block(github, "42", T0 + 900_000)
      yield* expectEqual(yield* expectSome(yield* gates.blockedUntil(github, "42", T0), "later"), T0 + 900_000, "a later end wins")
      yield* expectNone(yield* gates.blockedUntil(github, "42", T0 + 900_000), "open at its end")
    })
  },
  {
    name: "RateLimitGateStore: gates are per provider and key",
    body: Effect.gen(function*() {
      const gates = yield* RateLimitGateStore
      yield* gates.block(github, "42", T0 + 60_000)
      yield* expectNone(yield* gates.blockedUntil(github, "43", T0), "another key")
      yield* expectNone(yield* gates.blockedUntil(linear, "42", T0), "another provider")
    })
  }
]
