/**
 * Run by test/store/walCheckpointer.test.ts under Bun (`bun:sqlite`), Deno (`node:sqlite`) or Node
 * (better-sqlite3, its thread from `worker_threads`):
 * writes about 600 pages of log through `SqliteClient` on a file (under the default
 * `wal_autocheckpoint` of 1000, so only a checkpointing worker moves them into the database file),
 * waits for the file to grow, and prints what it saw as JSON. A `:memory:` database gets no worker.
 * A worker whose module throws is reported with the error's message. The process must then end by
 * itself: the worker is stopped with the layer.
 */
import { Effect, ManagedRuntime } from "effect"
import { SqlClient } from "effect/sql"
import { mkdtempSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import type { SqliteDriverFactory } from "../../adapters/sqlite/SqliteDriver.ts"
import { moduleWorker, type StartThread } from "../../adapters/sqlite/WalCheckpointer.ts"

const runtime = process.argv[2]
// The runtime's driver, and how it starts the checkpointing thread.
const { driver, start }: { readonly driver: SqliteDriverFactory; readonly start: StartThread } = runtime === "deno"
  ? { driver: (await import("../../adapters/sqlite/drivers/deno.ts")).driver, start: moduleWorker }
  : runtime === "node"
  ? await import("../../adapters/sqlite/drivers/better-sqlite3.ts").then((node) => ({ driver: node.driver, start: node.checkpointThread }))
  : { driver: (await import("../../adapters/sqlite/drivers/bun.ts")).driver, start: moduleWorker }

const autocheckpointOf = async (filename: string, use?: (sql: SqlClient.SqlClient) => Promise<boolean>) => {
  const app = ManagedRuntime.make(SqliteClient.layer(driver, { filename }))
  try {
    const sql = await app.runPromise(Effect.service(SqlClient.SqlClient))
    const rows = await app.runPromise(sql<{ readonly wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`)
    return { autocheckpoint: rows[0]?.wal_autocheckpoint, checkpointed: use === undefined ? undefined : await use(sql) }
  } finally {
    await app.dispose()
  }
}

const folder = mkdtempSync(join(tmpdir(), "wal-"))
const filename = join(folder, "db.sqlite")
const size = (path: string) => {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}
try {
  const onFile = await autocheckpointOf(filename, async (sql) => {
    const run = <A>(effect: Effect.Effect<A, unknown>) => Effect.runPromise(effect)
    await run(sql`CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`)
    const before = size(filename)
    for (let i = 0; i < 300; i++) await run(sql`INSERT INTO t (body) VALUES (${"x".repeat(6000)})`)
    const deadline = Date.now() + 5_000
    while (Date.now() < deadline) {
      if (size(filename) > before + 1_000_000) return true
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    return false
  })
  const inMemory = await autocheckpointOf(":memory:")
  // A worker whose module throws is reported, with its reason.
  const failed = await new Promise<string>((resolve) => {
    // The worker does not keep the process alive: this timer does, until it reports.
    const timer = setTimeout(() => resolve("not reported"), 5_000)
    const stop = start(`throw new Error("no SQLite here")`, (reason) => {
      clearTimeout(timer)
      stop?.()
      resolve(reason)
    })
  })
  console.log(JSON.stringify({ onFile, inMemory, failed }))
} finally {
  rmSync(folder, { recursive: true, force: true })
}
