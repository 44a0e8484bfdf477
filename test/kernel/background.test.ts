/**
 * Background work handed to `waitUntil` (Workers) keeps its request alive one event-loop turn
 * past its end, so a turn armed in its last steps runs while the request lives
 * (`kernel/runtime/Background.ts`).
 */
import { Effect, Layer } from "effect"
import { expect, it } from "vitest"
import { Background } from "../../kernel/runtime/Background.ts"
import { nextTurn } from "../../kernel/runtime/NextTurn.ts"
import { WaitUntil } from "../../kernel/runtime/WaitUntil.ts"

it("settles the promise it gives waitUntil only after a turn armed by the work's last step has run", async () => {
  const handed: Array<Promise<unknown>> = []
  let turned = false
  await Effect.runPromise(
    Effect.flatMap(Effect.service(Background), (background) =>
      background.run("last step arms a turn", Effect.sync(() => nextTurn(() => (turned = true))))).pipe(
      Effect.provide(Background.layer),
      Effect.provideService(WaitUntil, (promise) => void handed.push(promise))
    )
  )
  expect(handed).toHaveLength(1)
  await handed[0]
  expect(turned).toBe(true)
})
