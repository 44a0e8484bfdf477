/**
 * Conformance cases for `LimitBucketStore`: a take grants from the bucket or nothing, the bucket
 * refills with time up to a minute's allowance, a clock behind refills nothing, keys are apart,
 * full buckets are pruned, and concurrent takes never grant more than the bucket holds.
 */
import { Effect } from "effect"
import { LimitBucketStore } from "../../../kernel/store/LimitBucketStore.ts"
import { expectEqual, expectTrue, type StoreCase, T0 } from "../fixtures.ts"

const near = (actual: number, expected: number, what: string) =>
  expectTrue(Math.abs(actual - expected) < 1e-6, `${what}: ${actual}, expected ${expected}`)

export const limitBucketCases: ReadonlyArray<StoreCase> = [
  {
    name: "LimitBucketStore: a take grants what the bucket holds or nothing, and the bucket refills with time",
    body: Effect.gen(function*() {
      const buckets = yield* LimitBucketStore
      const first = yield* buckets.take("webhooks:ten_a", 10, 60, T0)
      yield* expectEqual(first.granted, 10, "a new bucket is full")
      yield* near(first.level, 50, "left")
      yield* expectEqual((yield* buckets.take("webhooks:ten_a", 50, 60, T0)).granted, 50, "the rest")
      const empty = yield* buckets.take("webhooks:ten_a", 1, 60, T0)
      yield* expectEqual(empty.granted, 0, "an empty bucket grants nothing")
      yield* near(empty.level, 0, "empty")
      // 60 a minute: one a second.
      const second = yield* buckets.take("webhooks:ten_a", 1, 60, T0 + 1_000)
      yield* expectEqual(second.granted, 1, "a second later")
      yield* near(second.level, 0, "taken")
      const half = yield* buckets.take("webhooks:ten_a", 5, 60, T0 + 31_000)
      yield* expectEqual(half.granted, 5, "half a minute later")
      yield* near(half.level, 25, "refilled by 30, 5 taken")
      // Another instance's clock, 20 s behind: nothing refills, nothing goes back.
      const behind = yield* buckets.take("webhooks:ten_a", 1, 60, T0 + 11_000)
      yield* expectEqual(behind.granted, 1, "a clock behind")
      yield* near(behind.level, 24, "no refill")
      const later = yield* buckets.take("webhooks:ten_a", 1, 60, T0 + 31_000 + 600_000)
      yield* near(later.level, 59, "never above a minute's allowance")
      const tooMuch = yield* buckets.take("webhooks:ten_b", 61, 60, T0)
      yield* expectEqual(tooMuch.granted, 0, "more than the allowance")
      yield* near(tooMuch.level, 60, "a new bucket, untouched")
    })
  },
  {
    name: "LimitBucketStore: keys are apart; prune deletes the buckets untouched since a time",
    body: Effect.gen(function*() {
      const buckets = yield* LimitBucketStore
      yield* buckets.take("toolCalls:ten_a", 30, 30, T0)
      yield* buckets.take("toolCalls:ten_b", 30, 30, T0 + 90_000)
      yield* expectEqual((yield* buckets.take("toolCalls:ten_b", 1, 30, T0 + 90_000)).granted, 0, "b is empty")
      yield* buckets.prune(T0 + 60_000)
      // a was deleted: a new, full bucket even at the time it was emptied.
      yield* expectEqual((yield* buckets.take("toolCalls:ten_a", 30, 30, T0)).granted, 30, "a starts over")
      yield* expectEqual((yield* buckets.take("toolCalls:ten_b", 1, 30, T0 + 90_000)).granted, 0, "b kept")
    })
  },
  {
    name: "LimitBucketStore: concurrent takes never grant more than the bucket holds",
    body: Effect.gen(function*() {
      const buckets = yield* LimitBucketStore
      const takes = yield* Effect.all(
        Array.from({ length: 24 }, () => buckets.take("authFailures:client:unidentified", 1, 10, T0)),
        { concurrency: "unbounded" }
      )
      yield* expectEqual(takes.reduce((sum, take) => sum + take.granted, 0), 10, "granted in all")
    })
  }
]
