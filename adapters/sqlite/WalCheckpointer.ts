/**
 * Checkpoints a SQLite file's write-ahead log from a worker thread, so that the connection that
 * serves requests does not.
 *
 * In WAL mode the connection whose commit takes the log past `wal_autocheckpoint` pages copies
 * them into the database file and syncs it, inside that commit, on the event loop. With 8 KB
 * webhook bodies that came every few hundred events and was about half of the ingest thread's
 * time in SQLite (its writes and fsyncs block). Here a worker with its own connection to the file
 * runs PASSIVE checkpoints (PASSIVE neither waits for nor blocks a writer), and the serving
 * connection keeps a larger `wal_autocheckpoint` (`BACKSTOP_PAGES`) in case the worker falls behind
 * or dies. Durability is unchanged: a commit is in the log either way, and a checkpoint only moves
 * it.
 *
 * The log starts over from its beginning only when a write begins with all of it checkpointed.
 * Under a steady stream of commits (one per event-loop turn with group commit) a checkpoint every
 * 50 ms copied ~700 pages and never finished between two commits, so the log grew to the backstop
 * and the serving connection checkpointed inside a commit after all, every fraction of a second:
 * stalls of tens of milliseconds, the ingest p99 (36-39 ms against the bare server's 14). So while
 * the log grows the worker checkpoints again `BUSY_INTERVAL_MS` after each round, in rounds small
 * enough to finish between two commits, and the log starts over by itself (the bench's ingest on
 * Bun, paired with the bare server: p99 1.09-1.26 times the bare's against 3.27 with 50 ms rounds,
 * 0.85-0.92 of its requests a second against 0.70; every 5 ms gave a p99 of ~26 ms, every 15 ms
 * ~34). While it does not grow, every `IDLE_INTERVAL_MS`.
 *
 * The driver names its runtime's synchronous SQLite module and how to start a thread: a module
 * worker from a Blob URL (`moduleWorker`: Bun, Deno) or Node's `worker_threads` (the better-sqlite3
 * driver). Where no thread can be started, the connection checkpoints as before.
 */

/** SQLite's own `wal_autocheckpoint`: what the serving connection goes back to if the worker fails. */
export const DEFAULT_AUTOCHECKPOINT_PAGES = 1000

/** The serving connection's `wal_autocheckpoint` while a worker checkpoints: about 16 MB of log. */
export const BACKSTOP_PAGES = 4000

/** How soon the worker checkpoints again after a round that found the log grown: at once, nearly. */
export const BUSY_INTERVAL_MS = 1

/** How soon it looks again when the log had not grown. */
export const IDLE_INTERVAL_MS = 50

export interface WorkerSqlite {
  /** The worker's first line, importing (or requiring) the runtime's SQLite class. */
  readonly importLine: string
  /** Opens the file (`filename`, a string) with that class: an expression with `exec(sql)`. */
  readonly open: (filename: string) => string
}

interface ModuleWorker {
  terminate(): void
  unref?(): void
  addEventListener(
    type: "error",
    listener: (event: { readonly message?: string; readonly preventDefault?: () => void }) => void
  ): void
}

type ModuleWorkerConstructor = new (url: string, options: { readonly type: "module" }) => ModuleWorker

/**
 * Starts a thread running `source` that does not keep the process alive, calling `failed` if it
 * fails; answers how to stop it, or `undefined` where this runtime cannot start one.
 */
export type StartThread = (source: string, failed: (reason: string) => void) => (() => void) | undefined

/** A web module Worker from a Blob URL (Bun, Deno). */
export const moduleWorker: StartThread = (source, failed) => {
  const Worker = (globalThis as { readonly Worker?: ModuleWorkerConstructor }).Worker
  if (Worker === undefined || typeof URL.createObjectURL !== "function") return undefined
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }))
  try {
    const worker = new Worker(url, { type: "module" })
    worker.addEventListener("error", (event) => {
      // Handled here: Deno would otherwise rethrow a worker's uncaught error on this thread.
      event.preventDefault?.()
      failed(event.message ?? "the worker failed")
    })
    worker.unref?.()
    return () => {
      worker.terminate()
      URL.revokeObjectURL(url)
    }
  } catch {
    URL.revokeObjectURL(url)
    return undefined
  }
}

/**
 * The worker's source: open the file, then checkpoint on a timer, never waiting for a lock; soon
 * again while the log's length (the `log` column, in frames) changes between rounds, which it does
 * while commits come and when it starts over.
 */
const workerModule = (sqlite: WorkerSqlite, filename: string) =>
  [
    sqlite.importLine,
    `const db = ${sqlite.open(JSON.stringify(filename))}`,
    // A lock means another checkpoint or a backup is running: the next round tries again.
    `db.exec("PRAGMA busy_timeout = 0")`,
    `const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)")`,
    `let last = -1`,
    `const round = () => {`,
    `  let grown = false`,
    `  try { const pages = checkpoint.all()[0].log; grown = pages !== last; last = pages } catch {}`,
    `  setTimeout(round, grown ? ${BUSY_INTERVAL_MS} : ${IDLE_INTERVAL_MS})`,
    `}`,
    `round()`
  ].join("\n")

/**
 * Starts the worker for `filename` on `start`'s thread; answers how to stop it, or `undefined` for
 * `:memory:` or when no thread could start (the connection then checkpoints itself, SQLite's
 * default). `stopped` hears of a worker that fails after it started.
 */
export const startWalCheckpointer = (
  sqlite: WorkerSqlite,
  filename: string,
  stopped: (reason: string) => void,
  start: StartThread = moduleWorker
): (() => void) | undefined =>
  // A database in memory has no file for another connection to open.
  filename === ":memory:" ? undefined : start(workerModule(sqlite, filename), stopped)
