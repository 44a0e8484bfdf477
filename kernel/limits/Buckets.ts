/**
 * Where the token buckets of `Limits.ts` are kept: in this process's memory (`memoryBuckets`),
 * or shared by every instance through the database (`SharedBuckets.ts`).
 */
import { Effect } from "effect"

export interface Buckets {
  /**
   * Spends one token from the bucket of each key when every one holds one (all or nothing: a
   * request one key has no room for costs none of them); `spend` false only checks. Answers
   * `undefined` when admitted, else which key was refused and how long until it holds a token.
   */
  readonly take: (keys: ReadonlyArray<string>, perMinute: number, now: number, spend: boolean) => Effect.Effect<Refusal | undefined>
  /** True when `take` never waits on I/O, so a synchronous caller (the webhook lane) may run it. */
  readonly inMemory: boolean
}

export interface Refusal {
  /** The index in `keys` of the key refused (the emptiest, when several were short). */
  readonly key: number
  readonly waitMs: number
}

interface Bucket {
  tokens: number
  updatedAt: number
}

/** Past this many buckets, full ones (keys idle for a minute) are dropped: they equal a new one. */
const PRUNE_ABOVE = 10_000

/** How long a bucket at `level` (below one) takes to refill to one token. */
export const waitForToken = (level: number, perMinute: number): number => ((1 - level) * 60_000) / perMinute

const levelAt = (bucket: Bucket | undefined, perMinute: number, now: number): number =>
  bucket === undefined ? perMinute : Math.min(perMinute, bucket.tokens + (Math.max(0, now - bucket.updatedAt) * perMinute) / 60_000)

/** The buckets of one process: exact, free, and forgotten at a restart. */
export const memoryBuckets = (perMinuteOfKey: (key: string) => number): Buckets => {
  const buckets = new Map<string, Bucket>()
  // Raised after each prune so that many busy keys do not make every request scan them all.
  let pruneAbove = PRUNE_ABOVE

  const prune = (now: number) => {
    if (buckets.size <= pruneAbove) return
    for (const [key, bucket] of buckets) {
      const perMinute = perMinuteOfKey(key)
      if (levelAt(bucket, perMinute, now) >= perMinute) buckets.delete(key)
    }
    pruneAbove = Math.max(PRUNE_ABOVE, buckets.size * 2)
  }

  return {
    inMemory: true,
    take: (keys, perMinute, now, spend) => {
      const levels = keys.map((key) => levelAt(buckets.get(key), perMinute, now))
      const shortest = Math.min(...levels)
      if (shortest < 1) return Effect.succeed({ key: levels.indexOf(shortest), waitMs: waitForToken(shortest, perMinute) })
      if (spend) {
        keys.forEach((key, index) => buckets.set(key, { tokens: levels[index]! - 1, updatedAt: now }))
        prune(now)
      }
      return Effect.succeed(undefined)
    }
  }
}
