/**
 * Work that continues after the response (deciding and delivering a webhook's dispatches).
 * On Workers the per-request `WaitUntil` hands it to the runtime; elsewhere it runs on a fiber
 * owned by the kernel's scope, so disposing the kernel interrupts it. Failures are logged,
 * never thrown: whatever did not finish stays in the store for the poller or the cron.
 */
import { Cause, Context, Effect, FiberSet, Layer, Option } from "effect"
import { spanWhenTraced } from "../observability/Spans.ts"
import { inBackground } from "../store/DatabaseWait.ts"
import { nextTurn } from "./NextTurn.ts"
import { WaitUntil } from "./WaitUntil.ts"

const afterTurn = (): Promise<void> => new Promise((resolve) => nextTurn(resolve))

export class Background extends Context.Service<Background, {
  readonly run: <R>(name: string, effect: Effect.Effect<void, unknown, R>) => Effect.Effect<void, never, R>
}>()("switchboard/runtime/Background") {
  static readonly layer = Layer.effect(
    Background,
    Effect.gen(function*() {
      const fibers = yield* FiberSet.make<void, never>()
      return Background.of({
        run: <R>(name: string, effect: Effect.Effect<void, unknown, R>) =>
          Effect.gen(function*() {
            const guarded = effect.pipe(
              // Nobody waits on it: it may wait longer for a locked database than a request.
              inBackground,
              Effect.catchCause((cause) =>
                Cause.hasInterruptsOnly(cause) ? Effect.void : Effect.logError(`background work failed: ${name}`, cause)
              ),
              spanWhenTraced(`Background.${name}`)
            )
            const waitUntil = yield* Effect.serviceOption(WaitUntil)
            if (Option.isSome(waitUntil)) {
              const context = yield* Effect.context<R>()
              // Held one event-loop turn past the work's end: a turn Effect's scheduler armed in
              // its last steps (other fibers' tasks queue behind it) then runs while this request
              // is still alive. Workers hold the timers of a request whose waitUntil has settled,
              // and a request arriving just then waited for the next one (25 s in a matrix run).
              waitUntil.value(Effect.runPromiseWith(context)(guarded).then(afterTurn))
              return
            }
            yield* FiberSet.run(fibers, guarded)
          })
      })
    })
  )
}
