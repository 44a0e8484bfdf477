import { Console, Effect, Layer, Logger } from "effect"
import { spawnSync } from "node:child_process"
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { batchedConsole, FLUSH_CHARS } from "../../runtimes/shared/stdoutLines.ts"
import { bin, repoRoot } from "../matrix/processes.ts"

/** A console that records what reaches it, in order. */
const recording = () => {
  const calls: Array<string> = []
  const base = Object.fromEntries(
    ["log", "info", "debug", "error", "warn", "group", "groupCollapsed", "groupEnd", "assert", "clear", "count", "countReset", "dir", "dirxml", "table", "time", "timeEnd", "timeLog", "trace"]
      .map((method) => [method, (...args: ReadonlyArray<unknown>) => calls.push(`${method}(${args.map(String).join(",")})`)])
  ) as unknown as Console.Console
  return { base, calls }
}

const nextTurn = () => new Promise<void>((done) => setImmediate(done))

describe("batchedConsole", () => {
  it("writes the lines of one turn in one write, at its end", async () => {
    const writes: Array<string> = []
    const { base, calls } = recording()
    const { console } = batchedConsole({ write: (text) => writes.push(text) }, base)
    console.log("a")
    console.info("b")
    console.debug("c")
    expect(writes).toEqual([])
    await nextTurn()
    expect(writes).toEqual(["a\nb\nc\n"])
    console.log("d")
    await nextTurn()
    expect(writes).toEqual(["a\nb\nc\n", "d\n"])
    expect(calls).toEqual([])
  })

  it("keeps the order with everything it passes to the runtime's console", async () => {
    const order: Array<string> = []
    const { base, calls } = recording()
    const { console } = batchedConsole({ write: (text) => order.push(`write(${text.trimEnd().replaceAll("\n", "|")})`) }, base)
    const mark = () => order.push(...calls.splice(0))
    console.log("one")
    console.error("oops")
    mark()
    console.log("two", 2)
    mark()
    console.group("g")
    mark()
    console.log("inside")
    mark()
    console.groupEnd()
    mark()
    console.log("three")
    await nextTurn()
    expect(order).toEqual(["write(one)", "error(oops)", "log(two,2)", "group(g)", "log(inside)", "groupEnd()", "write(three)"])
  })

  it("writes at once past FLUSH_CHARS, and on flush", () => {
    const writes: Array<string> = []
    const { console, flush } = batchedConsole({ write: (text) => writes.push(text) }, recording().base)
    console.log("x".repeat(FLUSH_CHARS))
    expect(writes.length).toBe(1)
    console.log("y")
    flush()
    expect(writes).toEqual([`${"x".repeat(FLUSH_CHARS)}\n`, "y\n"])
  })

  it("is the Console the kernel's loggers write through", async () => {
    const writes: Array<string> = []
    const { console } = batchedConsole({ write: (text) => writes.push(text) }, recording().base)
    await Effect.runPromise(Effect.logInfo("hello").pipe(
      Effect.provide(Layer.mergeAll(Layer.succeed(Console.Console, console), Logger.layer([Logger.consoleJson])))
    ))
    await nextTurn()
    expect(writes).toHaveLength(1)
    expect(JSON.parse(writes[0]!)).toMatchObject({ message: "hello", level: "INFO" })
  })
})

describe("stdoutLines, as the entries install it (stdout a file: batched; a pipe: the runtime's console)", () => {
  const folder = mkdtempSync(join(tmpdir(), "switchboard-stdout-"))
  afterAll(() => rmSync(folder, { recursive: true, force: true }))
  const runtimes = {
    bun: [bin("bun"), "test/runtimes/stdoutLinesEnd.ts"],
    deno: [bin("deno"), "run", "-A", "--quiet", "test/runtimes/stdoutLinesEnd.ts"],
    node: [bin("tsx"), "test/runtimes/stdoutLinesEnd.ts"]
  } as const

  // Deno ends on an uncaught error without an `exit` event: the lines kept then must still be written.
  for (const [runtime, [command, ...args]] of Object.entries(runtimes)) {
    it.each(["exit", "throw", "reject"])(`${runtime}: every line is written when the process ends by %s`, (how) => {
      const file = join(folder, `${runtime}-${how}.log`)
      const out = openSync(file, "w")
      let ended
      try {
        ended = spawnSync(command, [...args, how], { cwd: repoRoot, stdio: ["ignore", out, "pipe"], timeout: 20_000, encoding: "utf8" })
      } finally {
        closeSync(out)
      }
      // Found a file, so batched; and listening for the error events
      // does not keep a failing process alive.
      expect(ended.stderr).toMatch(/^batched: true$/m)
      expect(ended.status).toBe(how === "exit" ? 0 : 1)
      const lines = readFileSync(file, "utf8").split("\n").filter((line) => line.length > 0)
      expect(lines).toHaveLength(2001)
      expect(lines.at(-1)).toBe("last")
    }, 30_000)

    // A pipe keeps the runtime's console, lines one by one. (Ended by itself: `process.exit` into a
    // pipe the reader has not emptied can drop Node's queued writes, batched or not.)
    it(`${runtime}: into a pipe, lines are not batched and every one arrives`, () => {
      const ended = spawnSync(command, [...args, "end"], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"], timeout: 20_000, encoding: "utf8" })
      expect(ended.stderr).toMatch(/^batched: false$/m)
      expect(ended.status).toBe(0)
      const lines = ended.stdout.split("\n").filter((line) => line.length > 0)
      expect(lines).toHaveLength(2001)
      expect(lines.at(-1)).toBe("last")
    }, 30_000)
  }
})
