/**
 * The in-process poller (`Kernel.poller`): its first pass waits `POLLER_FIRST_PASS_DELAY`, so a
 * fresh process answers its first requests first, then it passes every two seconds, or as soon
 * as a pass says something falls due. Retention passes a minute after start, then every
 * `RETENTION_EVERY`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Ref } from "effect"
import { TestClock } from "effect/testing"
import * as Migrate from "../../adapters/sql/Migrate.ts"
import * as StoresSql from "../../adapters/sql/StoresSql.ts"
import * as BetterSqlite3 from "../../adapters/sqlite/drivers/better-sqlite3.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import { StoreError } from "../../kernel/domain/Errors.ts"
import { Dispatch, POLL_EVERY_MS } from "../../kernel/dispatch/Dispatch.ts"
import { poller, POLLER_FIRST_PASS_DELAY, RETENTION_EVERY } from "../../kernel/Kernel.ts"
import { Retention } from "../../kernel/retention/Retention.ts"

const stores = StoresSql.layer.pipe(
  Layer.provide(Migrate.layer.pipe(Layer.provideMerge(SqliteClient.layer(BetterSqlite3.driver, { filename: ":memory:" }))))
)

/** A Dispatch whose passes are only counted; each answers the next wait `waits` holds, else the interval. */
const countingDispatch = (passes: Ref.Ref<number>, waits: Array<number> = []) =>
  Layer.succeed(Dispatch, Dispatch.of({
    decide: () => Effect.void,
    deliver: () => Effect.void,
    drain: Effect.void,
    poll: Effect.andThen(Ref.update(passes, (count) => count + 1), Effect.sync(() => waits.shift() ?? POLL_EVERY_MS)),
    replay: () => Effect.succeed("missing" as const)
  }))

/** A Retention whose passes are only counted. */
const countingRetention = (passes: Ref.Ref<number>) =>
  Layer.succeed(Retention, Retention.of({ pass: Effect.as(Ref.update(passes, (count) => count + 1), { bodies: 0, dispatches: 0 }) }))

describe("poller", () => {
  it.effect(`makes its first pass ${POLLER_FIRST_PASS_DELAY} after start, then one every two seconds`, () =>
    Effect.gen(function*() {
      const passes = yield* Ref.make(0)
      const retained = yield* Ref.make(0)
      yield* Layer.build(poller.pipe(Layer.provide(Layer.mergeAll(countingDispatch(passes), countingRetention(retained), stores))))
      yield* TestClock.adjust("999 millis")
      expect(yield* Ref.get(passes)).toBe(0)
      yield* TestClock.adjust("1 millis")
      expect(yield* Ref.get(passes)).toBe(1)
      yield* TestClock.adjust("2 seconds")
      expect(yield* Ref.get(passes)).toBe(2)
      expect(yield* Ref.get(retained)).toBe(0)
      yield* TestClock.adjust("57 seconds")
      expect(yield* Ref.get(retained), "a minute after start").toBe(1)
      yield* TestClock.adjust(RETENTION_EVERY)
      expect(yield* Ref.get(retained)).toBe(2)
    }).pipe(Effect.scoped))

  it.effect("passes sooner when a pass says an entry falls due before the interval ends", () =>
    Effect.gen(function*() {
      const passes = yield* Ref.make(0)
      yield* Layer.build(poller.pipe(Layer.provide(Layer.mergeAll(countingDispatch(passes, [300, 1]), countingRetention(yield* Ref.make(0)), stores))))
      yield* TestClock.adjust(POLLER_FIRST_PASS_DELAY)
      expect(yield* Ref.get(passes)).toBe(1)
      yield* TestClock.adjust("299 millis")
      expect(yield* Ref.get(passes)).toBe(1)
      yield* TestClock.adjust("1 millis")
      expect(yield* Ref.get(passes), "300 ms after the first, as it said").toBe(2)
      yield* TestClock.adjust("1 millis")
      expect(yield* Ref.get(passes)).toBe(3)
      yield* TestClock.adjust("1999 millis")
      expect(yield* Ref.get(passes), "then the interval again").toBe(3)
      yield* TestClock.adjust("1 millis")
      expect(yield* Ref.get(passes)).toBe(4)
    }).pipe(Effect.scoped))

  it.effect("a failed pass is logged and the next comes after the interval", () =>
    Effect.gen(function*() {
      const passes = yield* Ref.make(0)
      const failing = Layer.succeed(Dispatch, Dispatch.of({
        decide: () => Effect.void,
        deliver: () => Effect.void,
        drain: Effect.void,
        poll: Effect.andThen(Ref.update(passes, (count) => count + 1), Effect.fail(new StoreError({ operation: "claimDue", message: "locked" }))),
        replay: () => Effect.succeed("missing" as const)
      }))
      yield* Layer.build(poller.pipe(Layer.provide(Layer.mergeAll(failing, countingRetention(yield* Ref.make(0)), stores))))
      yield* TestClock.adjust(POLLER_FIRST_PASS_DELAY)
      expect(yield* Ref.get(passes)).toBe(1)
      yield* TestClock.adjust(POLL_EVERY_MS - 1)
      expect(yield* Ref.get(passes)).toBe(1)
      yield* TestClock.adjust(1)
      expect(yield* Ref.get(passes)).toBe(2)
    }).pipe(Effect.scoped))
})
