/**
 * The spans of a delivery the webhook lane takes, when spans are exported (tracing on).
 *
 * The pipeline's trace of a delivery is `Webhooks.receive`, annotated with the correlation id
 * and the provider, the store's reads and writes under it, and the background decisions
 * (`Dispatch.decide`, `Dispatch.deliver`, the acknowledgement) under that. The lane's trace has
 * the same root, named and annotated as the pipeline's, one child for its group commit
 * (`WebhookLane.store`: the account's installations read, the limits, the rows written with the
 * other deliveries of the event-loop turn in one statement; its `deliveries` attribute says how
 * many), and the background decisions under the root as in the pipeline.
 *
 * Made with the app's tracer directly and only once the delivery is stored, from times taken on
 * the way: a run of `Effect.withSpan` per delivery is the Effect work the lane exists to avoid,
 * and a delivery the lane leaves to the pipeline must leave no span of its own (the pipeline
 * makes its own).
 */
import { Clock, Context, Effect, Exit, Option, References, Tracer } from "effect"

export interface StoreTimes {
  /** When the delivery arrived. */
  readonly received: bigint
  /** When it was handed to the group commit, and when its statement returned. */
  readonly storing: bigint
  readonly stored: bigint
  /** Deliveries written by that statement. */
  readonly deliveries: number
}

export interface LaneSpans {
  /** Now, on the tracer's clock (0 when span timing is off, as `Effect.withSpan` does). */
  readonly now: () => bigint
  /** The delivery's root span, still open, with its store's child already ended. */
  readonly open: (times: StoreTimes, annotations: { readonly correlationId: string; readonly providerId: string }) => OpenSpan
}

export interface OpenSpan {
  readonly span: Tracer.Span
  /** Ends it, when the delivery is answered. */
  readonly end: () => void
}

/** `undefined` with tracing off: then the lane takes no time and makes no span. */
export const makeLaneSpans: Effect.Effect<LaneSpans | undefined> = Effect.gen(function*() {
  if (!(yield* References.TracerEnabled)) return undefined
  const tracer = yield* Tracer.Tracer
  const clock = yield* Clock.Clock
  const now = (yield* References.TracerTimingEnabled) ? () => clock.currentTimeNanosUnsafe() : () => 0n
  const start = (name: string, parent: Option.Option<Tracer.AnySpan>, startTime: bigint) =>
    tracer.span({ name, parent, annotations: Context.empty(), links: [], startTime, kind: "internal", root: false, sampled: true })
  return {
    now,
    open: (times, annotations) => {
      const root = start("Webhooks.receive", Option.none(), times.received)
      root.attribute("correlationId", annotations.correlationId)
      root.attribute("providerId", annotations.providerId)
      const store = start("WebhookLane.store", Option.some(root), times.storing)
      store.attribute("deliveries", times.deliveries)
      store.end(times.stored, Exit.void)
      return { span: root, end: () => root.end(now(), Exit.void) }
    }
  }
})
