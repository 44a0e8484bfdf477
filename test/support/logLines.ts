/**
 * The kernel's JSON log lines (SWITCHBOARD_LOG_FORMAT's default), captured from `console.log`
 * instead of printed, for tests that read what was logged. Anything else written is dropped.
 */
import { vi } from "vitest"

export interface LogLine {
  readonly message: unknown
  readonly level: string
  readonly annotations: Record<string, unknown>
}

const isLogLine = (value: unknown): value is LogLine =>
  typeof value === "object" && value !== null && "message" in value && "annotations" in value

/** Starts capturing into `lines` (until `vi.restoreAllMocks()`); returns it. */
export const captureLogLines = (lines: Array<LogLine> = []): Array<LogLine> => {
  vi.spyOn(console, "log").mockImplementation((...args: Array<unknown>) => {
    for (const arg of args) {
      if (typeof arg !== "string") continue
      try {
        const parsed: unknown = JSON.parse(arg)
        if (isLogLine(parsed)) lines.push(parsed)
      } catch {
        // Not a log line.
      }
    }
  })
  return lines
}
