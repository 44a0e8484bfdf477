/**
 * On Bun, Deno and Node, `SqliteClient` over a file has a worker thread checkpoint the write-ahead log
 * (adapters/sqlite/WalCheckpointer.ts): the serving connection's `wal_autocheckpoint` is raised to
 * the backstop, the log reaches the database file without that connection checkpointing, and the
 * process ends by itself once the layer is disposed. `:memory:` gets no worker. A worker that fails
 * is reported with its reason.
 */
import { execFile } from "node:child_process"
import { join } from "node:path"
import { promisify } from "node:util"
import { describe, expect, it } from "vitest"
import { BACKSTOP_PAGES } from "../../adapters/sqlite/WalCheckpointer.ts"

const root = join(import.meta.dirname, "..", "..")
const bin = (name: string) => join(root, "node_modules", ".bin", name)
const run = promisify(execFile)

const runtimes = {
  bun: [bin("bun"), ["test/store/walCheckpoints.ts", "bun"]],
  deno: [bin("deno"), ["run", "-A", "--node-modules-dir=manual", "test/store/walCheckpoints.ts", "deno"]],
  node: [bin("tsx"), ["test/store/walCheckpoints.ts", "node"]]
} as const

describe("the WAL checkpointing worker", () => {
  for (const [runtime, [command, args]] of Object.entries(runtimes)) {
    it(`${runtime}: checkpoints a file's log off the serving connection, and stops with the layer`, async () => {
      // A worker left running would keep the process alive past the timeout.
      const { stdout } = await run(command, [...args], {
        cwd: root,
        timeout: 60_000,
        env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" }
      })
      expect(JSON.parse(stdout)).toEqual({
        onFile: { autocheckpoint: BACKSTOP_PAGES, checkpointed: true },
        inMemory: { autocheckpoint: 1000 },
        failed: expect.stringContaining("no SQLite here")
      })
    }, 90_000)
  }
})
