/**
 * A span only when somebody reads spans. With tracing off (no exporter configured, `Kernel.ts`),
 * `Effect.withSpan` (and `Effect.fn`) still makes a no-op span and a new context per call: a
 * microsecond or two each, several times a tool call. With tracing on, the span is `withSpan`'s, with the
 * same name and attributes, without a call-site stack trace (these wrap hot paths).
 */
import { Effect, References } from "effect"

export const spanWhenTraced = (name: string, attributes?: Readonly<Record<string, unknown>>) =>
<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.withFiber((fiber) =>
    fiber.getRef(References.TracerEnabled)
      ? effect.pipe(Effect.withSpan(name, attributes === undefined ? undefined : { attributes }, { captureStackTrace: false }))
      : effect
  )
