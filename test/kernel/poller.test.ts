/**
 * The in-process poller (`Kernel.poller`): its first pass waits `POLLER_FIRST_PASS_DELAY`, so a
 * fresh process answers its first requests first, then it passes every two seconds.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Ref } from "effect"
import { TestClock } from "effect/testing"
import * as Migrate from "../../adapters/sql/Migrate.ts"
import * as StoresSql from "../../adapters/sql/StoresSql.ts"
import * as BetterSqlite3 from "../../adapters/sqlite/drivers/better-sqlite3.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import { Dispatch } from "../../kernel/dispatch/Dispatch.ts"
import { poller, POLLER_FIRST_PASS_DELAY } from "../../kernel/Kernel.ts"

const stores = StoresSql.layer.pipe(
  Layer.provide(Migrate.layer.pipe(Layer.provideMerge(SqliteClient.layer(BetterSqlite3.driver, { filename: ":memory:" }))))
)

/** A Dispatch whose passes are only counted. */
const countingDispatch = (passes: Ref.Ref<number>) =>
  Layer.succeed(Dispatch, Dispatch.of({
    decide: () => Effect.void,
    deliver: () => Effect.void,
    drain: Effect.void,
    poll: Ref.update(passes, (count) => count + 1),
    replay: () => Effect.succeed(false)
  }))

describe("poller", () => {
  it.effect(`makes its first pass ${POLLER_FIRST_PASS_DELAY} after start, then one every two seconds`, () =>
    Effect.gen(function*() {
      const passes = yield* Ref.make(0)
      yield* Layer.build(poller.pipe(Layer.provide(Layer.merge(countingDispatch(passes), stores))))
      yield* TestClock.adjust("999 millis")
      expect(yield* Ref.get(passes)).toBe(0)
      yield* TestClock.adjust("1 millis")
      expect(yield* Ref.get(passes)).toBe(1)
      yield* TestClock.adjust("2 seconds")
      expect(yield* Ref.get(passes)).toBe(2)
    }).pipe(Effect.scoped))
})
