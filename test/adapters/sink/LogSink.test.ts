import { assert, describe, it } from "@effect/vitest"
import { Effect, Logger } from "effect"
import * as LogSink from "../../../adapters/sink/LogSink.ts"
import { SessionSink } from "../../../kernel/dispatch/SessionSink.ts"
import { delivery } from "./fixtures.ts"

describe("LogSink", () => {
  it.effect("logs the delivery without its MCP token", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      const capture = Logger.make((options) => {
        lines.push(JSON.stringify(options.message))
      })
      yield* Effect.gen(function*() {
        const sink = yield* SessionSink
        yield* sink.deliver(delivery({ token: "very-secret-token" }))
      }).pipe(Effect.provide([LogSink.layer, Logger.layer([capture])]))
      const logged = lines.join("\n")
      assert.include(logged, "dsp_1")
      assert.include(logged, "linear:issue:ISS-1")
      assert.include(logged, "<redacted>")
      assert.notInclude(logged, "very-secret-token")
    }))
})
