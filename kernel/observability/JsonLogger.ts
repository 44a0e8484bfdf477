/**
 * The JSON log line (SWITCHBOARD_LOG_FORMAT=json, the default): one object per line, exactly as
 * Effect's `Logger.consoleJson` writes it (message, level, timestamp, annotations, spans,
 * fiberId), but without its generic formatter when the message and every annotation are plain
 * strings, finite numbers or booleans, as the kernel's own lines are. That formatter (a replacer
 * that looks up, redacts and walks every value) cost 60-80 µs a line, several times a webhook's
 * whole acknowledgement budget (issue 14's bench). A line with anything else (an object, a
 * `Redacted`, a cause) goes through Effect's formatter unchanged, so redaction still applies.
 */
import { Console, Logger, References } from "effect"

const isPlain = (value: unknown): boolean =>
  typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value))

const plainRecord = (record: Readonly<Record<string, unknown>>): boolean => {
  for (const key in record) {
    if (!isPlain(record[key])) return false
  }
  return true
}

/** The line `Logger.consoleJson` writes for plain values (its `cause` key is left out when there is none). */
export const plainJsonLine = (line: {
  readonly message: unknown
  readonly level: string
  readonly date: Date
  readonly annotations: Readonly<Record<string, unknown>>
  readonly spans: Readonly<Record<string, number>>
  readonly fiberId: number
}): string =>
  JSON.stringify({
    message: line.message,
    level: line.level.toUpperCase(),
    timestamp: line.date.toISOString(),
    annotations: line.annotations,
    spans: line.spans,
    fiberId: `#${line.fiberId}`
  })

export const jsonLogger: Logger.Logger<unknown, void> = Logger.make((options) => {
  const console = options.fiber.getRef(Console.Console)
  const message = options.message
  const parts: ReadonlyArray<unknown> = Array.isArray(message) ? message : [message]
  const annotations = options.fiber.getRef(References.CurrentLogAnnotations)
  if (options.cause.reasons.length > 0 || !parts.every(isPlain) || !plainRecord(annotations)) {
    console.log(Logger.formatJson.log(options))
    return
  }
  const now = options.date.getTime()
  const spans: Record<string, number> = {}
  for (const [label, startedAt] of options.fiber.getRef(References.CurrentLogSpans)) spans[label] = now - startedAt
  console.log(plainJsonLine({
    message: parts.length === 1 ? parts[0] : parts,
    level: options.logLevel,
    date: options.date,
    annotations,
    spans,
    fiberId: options.fiber.id
  }))
})
