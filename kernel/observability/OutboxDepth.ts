/**
 * The outbox's depth, read once and recorded in the gauges (`Metrics.ts`): what `/health/details`
 * shows, what a `/metrics` scrape refreshes, and what the in-process poller samples every 15
 * seconds so an OTLP-only deployment exports current gauges too.
 */
import { Clock, Effect, Schedule } from "effect"
import type { StoreError } from "../domain/Errors.ts"
import { OutboxStore } from "../store/OutboxStore.ts"
import * as Metrics from "./Metrics.ts"

export const SAMPLE_EVERY = "15 seconds"

export const sampleOutboxDepth: Effect.Effect<Metrics.OutboxDepth, StoreError, OutboxStore> = Effect.gen(function*() {
  const depth = yield* (yield* OutboxStore).depth
  const now = yield* Clock.currentTimeMillis
  const sampled = {
    pending: depth.pending,
    dead: depth.dead,
    oldestPendingAgeMs: depth.oldestPendingAt === null ? null : Math.max(0, now - depth.oldestPendingAt)
  }
  yield* Metrics.recordOutboxDepth(sampled)
  return sampled
})

/** Samples for as long as the scope lives; a failed read waits for the next. */
export const sampleForever: Effect.Effect<void, never, OutboxStore> = sampleOutboxDepth.pipe(
  Effect.ignore,
  Effect.repeat(Schedule.spaced(SAMPLE_EVERY)),
  Effect.asVoid
)
