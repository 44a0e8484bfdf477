/**
 * A store operation runs in a span named after it when tracing is on (what an operator's trace
 * shows), and skips the span when it is off (`SqlRows.storeOperation`).
 */
import { assert, it } from "@effect/vitest"
import { Effect, References, Tracer } from "effect"
import { storeOperation } from "../../adapters/sql/stores/SqlRows.ts"

it.effect("a store operation is a span named after it while tracing is on", () => {
  const names: Array<string> = []
  const tracer = Tracer.make({
    span: (options) => {
      names.push(options.name)
      return new Tracer.NativeSpan(options)
    }
  })
  return Effect.gen(function*() {
    const answer = yield* Effect.succeed(42).pipe(storeOperation("OutboxStore.enqueue"), Effect.withTracer(tracer))
    assert.strictEqual(answer, 42)
    assert.deepStrictEqual(names, ["OutboxStore.enqueue"])
    yield* Effect.succeed(1).pipe(storeOperation("OutboxStore.claim"), Effect.withTracer(tracer), Effect.provideService(References.TracerEnabled, false))
    assert.deepStrictEqual(names, ["OutboxStore.enqueue"])
  })
})
