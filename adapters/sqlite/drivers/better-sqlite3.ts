/**
 * `SqliteDriver` for Node over better-sqlite3 12.x (Node 20 has no node:sqlite). Only the binding:
 * pragmas, caching and locking are `SqliteClient`'s; the log is checkpointed from a
 * `worker_threads` thread (`WalCheckpointer.ts`).
 */
import Database from "better-sqlite3"
import { createRequire } from "node:module"
import { join } from "node:path"
import { Worker } from "node:worker_threads"
import { isRecord, type SqliteDriverFactory, type SqliteValue } from "../SqliteDriver.ts"
import { type StartThread, startWalCheckpointer, type WorkerSqlite } from "../WalCheckpointer.ts"

/**
 * The checkpointing thread's better-sqlite3, required from where the app's own entry resolves it
 * (the built Node app bundles its JavaScript, so there is no module path to reuse); undefined when
 * it is not found there, and the connection checkpoints itself.
 */
const resolveThreadSqlite = (): WorkerSqlite | undefined => {
  try {
    const path = createRequire(process.argv[1] ?? join(process.cwd(), "index.js")).resolve("better-sqlite3")
    return { importLine: `const Database = require(${JSON.stringify(path)})`, open: (filename) => `new Database(${filename})` }
  } catch {
    return undefined
  }
}
let resolved: { readonly sqlite: WorkerSqlite | undefined } | undefined
const threadSqlite = () => (resolved ??= { sqlite: resolveThreadSqlite() }).sqlite

/** A `worker_threads` thread evaluating the source as CommonJS. */
export const checkpointThread: StartThread = (source, failed) => {
  const worker = new Worker(source, { eval: true })
  worker.on("error", (error: unknown) => failed(error instanceof Error ? error.message : String(error)))
  worker.unref()
  return () => void worker.terminate()
}

/** better-sqlite3 binds blobs from Buffers only. */
const bind = (params: ReadonlyArray<SqliteValue>) =>
  params.map((value) => value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value) : value)

const isArray = (row: unknown): row is ReadonlyArray<unknown> => Array.isArray(row)

export const driver: SqliteDriverFactory = ({ filename }) => {
  // Its default busy timeout (5 s) would sleep inside the driver, holding the event loop.
  const db = new Database(filename, { timeout: 0 })
  return {
    prepare: (sql) => {
      const statement = db.prepare(sql)
      // better-sqlite3 refuses all() on a statement that returns no rows: run() it instead.
      if (!statement.reader) {
        return {
          all: (params) => (statement.run(...bind(params)), []),
          values: (params) => (statement.run(...bind(params)), [])
        }
      }
      // raw() switches a statement to arrays for good, so the array variant is a second one.
      let raw: Database.Statement | undefined
      return {
        all: (params) => statement.all(...bind(params)).filter(isRecord),
        values: (params) => {
          raw ??= db.prepare(sql).raw(true)
          return raw.all(...bind(params)).filter(isArray)
        }
      }
    },
    inTransaction: () => db.inTransaction,
    close: () => db.close(),
    checkpointInBackground: (stopped) => {
      const sqlite = threadSqlite()
      return sqlite === undefined ? undefined : startWalCheckpointer(sqlite, filename, stopped, checkpointThread)
    }
  }
}
