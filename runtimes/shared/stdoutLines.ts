/**
 * The standalone entries' Console: log lines written to stdout in batches, one write per turn of
 * the event loop instead of one per line, when stdout is a file.
 *
 * Every logger of the kernel writes through Effect's `Console.Console`, and the access log writes
 * a line per request. `console.log` writes each line on its own: 4.5 us a line on Node, 6 us on
 * Deno, 1.7 on Bun (a 250-character line to a file, December 2026), against 0.5-1 us a line for
 * the same lines joined and written 32 at a time: a few percent of a webhook's whole cost on Node
 * and Deno under the bench's load, and on Bun under load, where the access line written line by
 * line cost ~15-20 us a request against none in batches (five and six paired passes).
 * So `log`, `info` and `debug` with one string (what the kernel's loggers pass) are kept and
 * written together at the end of the turn (`setImmediate`), or at once past `FLUSH_CHARS`;
 * anything else (several arguments, objects, `error`, `warn`, `group`, ...) first writes what is
 * kept, then goes to the runtime's console as it is, so lines keep their order (and so does every
 * line inside a `group`, which the runtime's console indents). What is kept when the process ends
 * is written then: by the `exit` handler, or on Deno, which ends on an uncaught error without one,
 * by the `error` and `unhandledrejection` events.
 *
 * Only when stdout is a regular file (where the measured cost was: each line's write waited behind
 * SQLite's own writes to the disk). Into a pipe or a socket (a container's log driver) a write
 * the reader is not ready for is queued, and an exit drops the queue: batches of a few kilobytes
 * lost far more of a burst there than lines written one by one (Node, December 2026: 1,300-2,100
 * of 5,000 lines through `| cat` at `process.exit`, against 4,880-5,000), so a pipe, a socket, a
 * terminal or /dev/null keeps the runtime's console.
 *
 * Only the standalone entries install it (their process is Switchboard's): an app that embeds the
 * kernel keeps its own Console.
 */
import { Console, Layer } from "effect"
import { fstatSync } from "node:fs"

/** Kept lines past this many characters are written at once. */
export const FLUSH_CHARS = 64 * 1024

export interface LineWriter {
  readonly write: (text: string) => unknown
}

export interface BatchedConsole {
  readonly console: Console.Console
  /** Writes what is kept, now. */
  readonly flush: () => void
}

/** The methods passed through to `base` after a flush (every one but the kept three). */
const PASSED = [
  "assert", "clear", "count", "countReset", "dir", "dirxml", "error", "group", "groupCollapsed", "groupEnd",
  "table", "time", "timeEnd", "timeLog", "trace", "warn"
] as const satisfies ReadonlyArray<keyof Console.Console>

export const batchedConsole = (out: LineWriter, base: Console.Console = globalThis.console): BatchedConsole => {
  let kept = ""
  let scheduled = false
  // Inside a group the runtime's console indents: lines written there are its own.
  let groups = 0
  const flush = () => {
    scheduled = false
    if (kept.length === 0) return
    const text = kept
    kept = ""
    out.write(text)
  }
  const keep = (method: "log" | "info" | "debug") => (...args: ReadonlyArray<unknown>) => {
    const [line] = args
    if (args.length !== 1 || typeof line !== "string" || groups > 0) {
      flush()
      base[method](...args)
      return
    }
    kept += `${line}\n`
    if (kept.length >= FLUSH_CHARS) flush()
    else if (!scheduled) {
      scheduled = true
      setImmediate(flush)
    }
  }
  const passed = Object.fromEntries(PASSED.map((method) => [
    method,
    (...args: ReadonlyArray<unknown>) => {
      flush()
      if (method === "group" || method === "groupCollapsed") groups++
      else if (method === "groupEnd" && groups > 0) groups--
      return (base[method] as (...args: ReadonlyArray<unknown>) => void)(...args)
    }
  ]))
  return {
    console: { ...(passed as Pick<Console.Console, typeof PASSED[number]>), log: keep("log"), info: keep("info"), debug: keep("debug") },
    flush
  }
}

/**
 * Whether this process's stdout is a regular file (not a pipe, a socket, a terminal or a device).
 * Through node:fs on Bun too (~1.5 ms of its start): Bun's own answer (`Bun.file(1).size`) is a
 * number for a socket as well as for a file.
 */
export const stdoutIsFile = (): boolean => {
  try {
    return fstatSync(1).isFile()
  } catch {
    return false
  }
}

/**
 * `Console.Console` for an entry's layers: batched lines to this process's stdout when it is a
 * file, written before the process ends; otherwise nothing (the runtime's console, as before).
 */
export const stdoutLines = (): Layer.Layer<never> => {
  if (!stdoutIsFile()) return Layer.empty
  const { console, flush } = batchedConsole({ write: (text) => process.stdout.write(text) })
  process.on("exit", flush)
  // Deno ends on an uncaught error without an `exit` event; its `error` and `unhandledrejection`
  // events come first (Bun has them too; Node 20 has no global `addEventListener`).
  if (typeof globalThis.addEventListener === "function") {
    globalThis.addEventListener("error", flush)
    globalThis.addEventListener("unhandledrejection", flush)
  }
  return Layer.succeed(Console.Console, console)
}
