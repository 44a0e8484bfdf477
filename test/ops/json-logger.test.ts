/**
 * `jsonLogger` (the default log format) must write the line `Logger.consoleJson` writes: the
 * same fields and values, only cheaper for plain lines; anything else, redaction included, is
 * Effect's own formatting.
 */
import { Cause, Effect, Logger, Redacted } from "effect"
import { afterEach, describe, expect, it, vi } from "vitest"
import { jsonLogger } from "../../kernel/observability/JsonLogger.ts"

const linesOf = (effect: Effect.Effect<void>, logger: Logger.Logger<unknown, void>): Array<Record<string, unknown>> => {
  const lines: Array<string> = []
  const spy = vi.spyOn(console, "log").mockImplementation((...args: Array<unknown>) => void lines.push(args.map(String).join(" ")))
  Effect.runSync(effect.pipe(Effect.provide(Logger.layer([logger]))))
  spy.mockRestore()
  return lines.map((line) => {
    const { fiberId, timestamp, ...rest } = JSON.parse(line)
    expect(fiberId).toMatch(/^#\d+$/)
    expect(Number.isNaN(Date.parse(timestamp))).toBe(false)
    // Spans are milliseconds since they began: equal up to the clock between the two runs.
    return { ...rest, spans: Object.fromEntries(Object.keys(rest.spans ?? {}).map((key) => [key, "ms"])) }
  })
}

const cases: ReadonlyArray<readonly [string, Effect.Effect<void>]> = [
  ["a plain line with annotations", Effect.logInfo("webhook accepted").pipe(Effect.annotateLogs({ correlationId: "d-1", attempt: 2, retry: false }))],
  ["several message parts at warning", Effect.logWarning("outbox delivery failed", "the sink answered 503")],
  ["a line inside log spans", Effect.logInfo("deciding").pipe(Effect.withLogSpan("decide"), Effect.withLogSpan("receive"))],
  ["an object annotation", Effect.logInfo("tool called").pipe(Effect.annotateLogs({ scopes: ["read", "write"], detail: { a: 1 } }))],
  ["a Redacted annotation", Effect.logInfo("token refreshed").pipe(Effect.annotateLogs({ token: Redacted.make("secret-value") }))],
  ["a cause", Effect.logError("background work failed", Cause.fail(new Error("boom")))],
  ["a non-finite number", Effect.logInfo("ratio").pipe(Effect.annotateLogs({ value: Number.NaN }))]
]

describe("jsonLogger", () => {
  afterEach(() => vi.restoreAllMocks())

  it.each(cases)("writes %s as Logger.consoleJson does", (_name, effect) => {
    const ours = linesOf(effect, jsonLogger)
    expect(ours).toHaveLength(1)
    expect(ours).toEqual(linesOf(effect, Logger.consoleJson))
  })

  it("never writes a Redacted value", () => {
    const [line] = linesOf(cases[4]![1], jsonLogger)
    expect(JSON.stringify(line)).not.toContain("secret-value")
  })
})
