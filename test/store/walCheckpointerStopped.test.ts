/**
 * A checkpointing worker that fails (adapters/sqlite/WalCheckpointer.ts) is not silent: Node's
 * thread reports why, and `SqliteClient` puts its connection back on SQLite's own checkpointing
 * (`wal_autocheckpoint` 1000 instead of the backstop) and logs a warning with the reason.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Layer, Logger, ManagedRuntime } from "effect"
import { SqlClient } from "effect/sql"
import { afterAll, describe, expect, it } from "vitest"
import { checkpointThread, driver } from "../../adapters/sqlite/drivers/better-sqlite3.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import type { SqliteDriverFactory } from "../../adapters/sqlite/SqliteDriver.ts"
import { DEFAULT_AUTOCHECKPOINT_PAGES } from "../../adapters/sqlite/WalCheckpointer.ts"

const folder = mkdtempSync(join(tmpdir(), "wal-stopped-"))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

const until = async (check: () => boolean) => {
  const deadline = Date.now() + 5_000
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
}

describe("a checkpointing worker that fails", () => {
  it("Node's thread reports why", async () => {
    const reasons: Array<string> = []
    const stop = checkpointThread(`throw new Error("cannot load the SQLite module")`, (reason) => reasons.push(reason))
    await until(() => reasons.length > 0)
    stop?.()
    expect(reasons).toEqual(["cannot load the SQLite module"])
  })

  it("puts the connection back on SQLite's own checkpoints, and says so", async () => {
    // better-sqlite3 over a file, with a worker that starts and then fails.
    const failing: SqliteDriverFactory = (options) => ({
      ...driver(options),
      checkpointInBackground: (stopped) => {
        const timer = setTimeout(() => stopped("the worker's module would not load"), 20)
        return () => clearTimeout(timer)
      }
    })
    const warnings: Array<unknown> = []
    const capture = Logger.make((options) => {
      if (options.logLevel === "Warn") warnings.push(options.message)
    })
    const app = ManagedRuntime.make(
      SqliteClient.layer(failing, { filename: join(folder, "db.sqlite") }).pipe(Layer.provide(Logger.layer([capture])))
    )
    try {
      const autocheckpoint = () =>
        app.runPromise(Effect.flatMap(SqlClient.SqlClient, (sql) => sql<{ readonly wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`))
      expect((await autocheckpoint())[0]?.wal_autocheckpoint).toBeGreaterThan(DEFAULT_AUTOCHECKPOINT_PAGES)
      await until(() => warnings.length > 0)
      expect((await autocheckpoint())[0]?.wal_autocheckpoint).toBe(DEFAULT_AUTOCHECKPOINT_PAGES)
      expect(warnings).toEqual([["the WAL checkpointing worker stopped; the serving connection checkpoints again", "the worker's module would not load"]])
    } finally {
      await app.dispose()
    }
  })
})
