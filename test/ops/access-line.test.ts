/**
 * The access line written without Effect's generic formatter (`AccessLog.ts`) must be the line
 * `Logger.consoleJson` writes: same fields, same shape. Any other logger, an annotation around
 * it, or a minimum level above Info takes the logger's own path.
 */
import { Effect, Layer, Logger, References } from "effect"
import { afterEach, describe, expect, it, vi } from "vitest"
import { type AccessNote, logAccess } from "../../kernel/http/AccessLog.ts"
import { jsonLogger } from "../../kernel/observability/JsonLogger.ts"

const note: AccessNote = { providerId: "github", correlationId: "delivery-1", reason: undefined }
const line = logAccess("POST", "/webhook/github?x=1", 200, 3, note)

const written = (effect: Effect.Effect<void>, loggers: ReadonlyArray<Logger.Logger<unknown, unknown>>) => {
  const lines: Array<string> = []
  const spy = vi.spyOn(console, "log").mockImplementation((...args: Array<unknown>) => void lines.push(args.map(String).join(" ")))
  Effect.runSync(effect.pipe(Effect.provide(Logger.layer(loggers))))
  spy.mockRestore()
  return lines
}

const withoutVarying = (text: string): unknown => {
  const { fiberId, timestamp, ...rest } = JSON.parse(text)
  expect(fiberId).toMatch(/^#\d+$/)
  expect(Number.isNaN(Date.parse(timestamp))).toBe(false)
  return rest
}

describe("the access line", () => {
  afterEach(() => vi.restoreAllMocks())

  it("under the JSON logger alone is the line the logger itself writes", () => {
    const fast = written(line, [Logger.consoleJson])
    // An annotation (removed again below) sends the same line through Effect.logInfo.
    const slow = written(line.pipe(Effect.annotateLogs({ extra: "x" })), [Logger.consoleJson])
    expect(fast).toHaveLength(1)
    expect(slow).toHaveLength(1)
    const fastLine = withoutVarying(fast[0]!)
    const slowLine = withoutVarying(slow[0]!) as { annotations: Record<string, unknown> }
    delete slowLine.annotations["extra"]
    expect(fastLine).toEqual(slowLine)
    expect(fastLine).toEqual({
      message: "http request",
      level: "INFO",
      annotations: { method: "POST", path: "/webhook/github", status: 200, durationMs: 3, providerId: "github", correlationId: "delivery-1" },
      spans: {}
    })
  })

  it("under the kernel's own JSON logger is the same line", () => {
    const [ours] = written(line, [jsonLogger])
    const [effects] = written(line, [Logger.consoleJson])
    expect(withoutVarying(ours!)).toEqual(withoutVarying(effects!))
  })

  it("goes through any other logger as configured", () => {
    const [text] = written(line, [Logger.consoleLogFmt])
    expect(text).toMatch(/message="http request"/)
    expect(text).toMatch(/path=\/webhook\/github/)
    expect(() => JSON.parse(text!)).toThrow()
  })

  it("is not written below the minimum level", () => {
    expect(written(line.pipe(Effect.provideService(References.MinimumLogLevel, "Warn")), [Logger.consoleJson])).toEqual([])
  })
})
