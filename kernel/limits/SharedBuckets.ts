/**
 * Token buckets shared by every instance on one database (`LimitBucketStore`), so that N
 * instances behind a load balancer allow a tenant its allowance once, not N times.
 *
 * A round trip per request would put the database on every webhook's and tool call's path, and
 * every request of a busy tenant on one row. So an instance takes tokens in leases: when it holds
 * none for a key it takes a second's worth of the allowance (at least one) from the shared bucket
 * in one statement and spends them locally, one a request. Nothing is ever spent that the shared
 * bucket did not grant, so all instances together never pass more than the allowance; what one
 * instance holds unspent is at most a second's worth, which the others cannot use meanwhile (they
 * may be refused up to that much early while a tenant is at its limit). When the bucket has less
 * than a lease but at least one token, the instance takes what is there.
 *
 * A refused key is refused locally until the bucket would hold a token again, without asking the
 * database: a tenant past its limit does not turn its excess into database load. A check without
 * spending (`spend` false: is this client already past its failed authentications?) answers from
 * that local knowledge only. When the database cannot be reached the request is admitted (the
 * limits guard tenants against each other, and the request meets the same database next), with
 * a warning at most once a minute.
 * Buckets untouched for two minutes are deleted, at most once a minute per instance.
 */
import { Effect } from "effect"
import type { StoreError } from "../domain/Errors.ts"
import type { LimitBucketStore } from "../store/LimitBucketStore.ts"
import { type Buckets, type Refusal, waitForToken } from "./Buckets.ts"

/** Full buckets are deleted this long after their last take (a minute refills any bucket; the rest is clock skew). */
const PRUNE_AFTER_MS = 120_000
const PRUNE_EVERY_MS = 60_000
const WARN_EVERY_MS = 60_000
/** Past this many refused keys, the lapsed ones are swept. */
const SWEEP_ABOVE = 10_000

export const sharedBuckets = (store: LimitBucketStore["Service"]): Buckets => {
  /** Tokens this instance was granted and has not spent, per key. */
  const leases = new Map<string, number>()
  /** Keys the shared bucket refused, until it holds a token again. */
  const refusedUntil = new Map<string, number>()
  let prunedAt = -Infinity
  let warnedAt = -Infinity

  const refusal = (keys: ReadonlyArray<string>, now: number): Refusal | undefined => {
    let refused: Refusal | undefined
    keys.forEach((key, index) => {
      const until = refusedUntil.get(key)
      if (until === undefined) return
      if (until <= now) refusedUntil.delete(key)
      else if (refused === undefined || until - now > refused.waitMs) refused = { key: index, waitMs: until - now }
    })
    return refused
  }

  const refuse = (keys: ReadonlyArray<string>, index: number, now: number, waitMs: number): Refusal => {
    if (refusedUntil.size > SWEEP_ABOVE) for (const [other, until] of refusedUntil) if (until <= now) refusedUntil.delete(other)
    refusedUntil.set(keys[index]!, now + waitMs)
    return { key: index, waitMs }
  }

  /** A lease for `key`: the tokens granted, or none and the milliseconds until the bucket holds one. */
  const lease = Effect.fnUntraced(function*(key: string, perMinute: number, now: number) {
    const taken = yield* store.take(key, Math.max(1, Math.ceil(perMinute / 60)), perMinute, now)
    if (taken.granted > 0) return { granted: taken.granted, waitMs: 0 }
    // Less than a lease left, but some: what is there.
    const rest = taken.level >= 1 ? yield* store.take(key, Math.floor(taken.level), perMinute, now) : taken
    return { granted: rest.granted, waitMs: rest.granted > 0 ? 0 : waitForToken(rest.level, perMinute) }
  })

  const prune = (now: number) => {
    if (now - prunedAt < PRUNE_EVERY_MS) return Effect.void
    prunedAt = now
    return Effect.ignore(store.prune(now - PRUNE_AFTER_MS))
  }

  const admitUnchecked = (error: StoreError, now: number) => {
    if (now - warnedAt < WARN_EVERY_MS) return Effect.succeed(undefined)
    warnedAt = now
    return Effect.as(Effect.logWarning("limits: the shared buckets could not be read; admitting meanwhile", error.message), undefined)
  }

  const takeShared = Effect.fnUntraced(function*(keys: ReadonlyArray<string>, perMinute: number, now: number, spend: boolean) {
    const refused = refusal(keys, now)
    if (refused !== undefined || !spend) return refused
    for (const [index, key] of keys.entries()) {
      if ((leases.get(key) ?? 0) >= 1) continue
      const got = yield* lease(key, perMinute, now)
      if (got.granted === 0) return refuse(keys, index, now, got.waitMs)
      leases.set(key, (leases.get(key) ?? 0) + got.granted)
    }
    for (const key of keys) {
      const left = (leases.get(key) ?? 1) - 1
      if (left >= 1) leases.set(key, left)
      else leases.delete(key)
    }
    yield* prune(now)
    return undefined
  })

  return {
    inMemory: false,
    take: (keys, perMinute, now, spend) =>
      Effect.catch(takeShared(keys, perMinute, now, spend), (error) => admitUnchecked(error, now))
  }
}
