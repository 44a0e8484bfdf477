/**
 * Per-minute allowances shared by every instance on the database (`kernel/limits/Limits.ts`): one
 * token bucket per key, holding up to a minute's allowance and refilling continuously, kept in a
 * row so that instances behind one load balancer spend from the same allowance.
 *
 * `take` is one atomic step, as instances race for the same bucket: refill the bucket for the
 * time since it was last touched, then grant `want` tokens if it holds that many, else none. A
 * bucket untouched for a minute is full, the same as no row, so `prune` may delete it.
 */
import { Context, type Effect } from "effect"
import type { StoreError } from "../domain/Errors.ts"

export interface Take {
  /** `want`, or 0 when the bucket held fewer. */
  readonly granted: number
  /** What the bucket holds after the take (fractional: it refills continuously). */
  readonly level: number
}

export class LimitBucketStore extends Context.Service<LimitBucketStore, {
  readonly take: (key: string, want: number, perMinute: number, now: number) => Effect.Effect<Take, StoreError>
  /** Deletes buckets untouched since `before` (full by then). */
  readonly prune: (before: number) => Effect.Effect<void, StoreError>
}>()("switchboard/store/LimitBucketStore") {}
