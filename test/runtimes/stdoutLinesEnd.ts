/**
 * Run by stdoutLines.test.ts on Bun, Deno and Node: logs 2,000 lines through the standalone
 * entries' Console, then one more in a later turn, and ends as its argument says (`exit`, an
 * uncaught `throw`, an unhandled `reject`), before the kept lines' turn is over, or by itself.
 * Says on stderr whether its stdout was found a file (so batched).
 */
import { Console, Effect } from "effect"
import { stdoutIsFile, stdoutLines } from "../../runtimes/shared/stdoutLines.ts"

process.stderr.write(`batched: ${stdoutIsFile()}\n`)
const layer = stdoutLines()
const log = (text: string) => Effect.runSync(Console.log(text).pipe(Effect.provide(layer)))
const how = process.argv[2]
for (let line = 0; line < 2000; line++) log(`line ${line}`)
setTimeout(() => {
  log("last")
  if (how === "exit") process.exit(0)
  if (how === "throw") throw new Error("ended by a throw")
  if (how === "reject") void Promise.reject(new Error("ended by a rejection"))
}, 5)
