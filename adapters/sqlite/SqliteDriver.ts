/**
 * The little that `SqliteClient` needs from a SQLite binding, so that one client serves
 * `bun:sqlite`, `node:sqlite` (Deno) and better-sqlite3 (Node). Drivers are synchronous, open one
 * connection, and do nothing else: pragmas, caching, locking and errors belong to the client.
 */

/** A row as the bindings return it (they type rows `unknown`): an object keyed by column. */
export const isRecord = (row: unknown): row is Readonly<Record<string, unknown>> => typeof row === "object" && row !== null

/** What SQLite stores; the client converts other parameters (booleans ...) before binding. */
export type SqliteValue = string | number | bigint | Uint8Array | null

export interface SqliteStatement {
  /** Runs the statement; its rows as objects, or none for a statement that returns no rows. */
  readonly all: (params: ReadonlyArray<SqliteValue>) => ReadonlyArray<Readonly<Record<string, unknown>>>
  /** Runs the statement; its rows as arrays in column order. */
  readonly values: (params: ReadonlyArray<SqliteValue>) => ReadonlyArray<ReadonlyArray<unknown>>
}

export interface SqliteDriver {
  /** Compiles one statement; throws the binding's own error on a syntax error. */
  readonly prepare: (sql: string) => SqliteStatement
  /** Whether a transaction is open on the connection (so a failed COMMIT can be cleaned up). */
  readonly inTransaction: () => boolean
  readonly close: () => void
  /**
   * Starts checkpointing the file's write-ahead log from another thread (`WalCheckpointer.ts`);
   * answers how to stop it, or `undefined` when it could not start. `stopped` is called, on this
   * thread, if the thread fails later (its module would not load, the file would not open).
   * Absent: the connection checkpoints itself, SQLite's default.
   */
  readonly checkpointInBackground?: ((stopped: (reason: string) => void) => (() => void) | undefined) | undefined
}

export interface SqliteDriverOptions {
  /** A file path, created if missing, or `:memory:`. */
  readonly filename: string
}

export type SqliteDriverFactory = (options: SqliteDriverOptions) => SqliteDriver
