/**
 * An Effect `SqlClient` for embedded SQLite, over a `SqliteDriver` (bun:sqlite, node:sqlite,
 * better-sqlite3). Runtime neutral: the runtime passes its driver.
 *
 * One connection per client, shared through a semaphore: a statement outside a transaction waits
 * until the transaction that holds the connection ends, so it is never swept into it (or into its
 * rollback). Nested `withTransaction` uses savepoints. Files open in WAL mode with
 * synchronous=NORMAL (safe against a process crash, not a power cut), foreign keys on and a busy
 * timeout for other processes holding the file.
 *
 * Not supported: `SafeIntegers` (INTEGERs beyond 2^53 come back rounded), real streaming
 * (`stream` reads all rows first), name transforms, several connections.
 */
import { Effect, Layer, type Scope, Semaphore, Stream } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { SqlClient, SqlConnection, SqlError, Statement } from "effect/sql"
import type { SqliteDriver, SqliteDriverFactory, SqliteStatement, SqliteValue } from "./SqliteDriver.ts"

export interface SqliteClientOptions {
  /** A file path, created if missing, or `:memory:`. */
  readonly filename: string
  /** How long a statement waits for another process's write lock before failing. Default 5000 ms. */
  readonly busyTimeoutMs?: number | undefined
  /** Prepared statements kept for reuse. Default 200. */
  readonly statementCacheSize?: number | undefined
}

/** node:sqlite reports the SQLite result code as `errcode`; the classifier reads `errno`. */
const normalizeCause = (cause: unknown): unknown =>
  typeof cause === "object" && cause !== null && "errcode" in cause && !("errno" in cause)
    ? Object.assign(cause, { errno: cause.errcode })
    : cause

const sqlError = (operation: string, message: string) => (cause: unknown) =>
  new SqlError.SqlError({ reason: SqlError.classifySqliteError(normalizeCause(cause), { message, operation }) })

const bindValue = (value: unknown): SqliteValue | undefined => {
  if (value === null || value === undefined) return null
  switch (typeof value) {
    case "string":
    case "number":
    case "bigint":
      return value
    case "boolean":
      return value ? 1 : 0
  }
  if (value instanceof Uint8Array) return value
  if (value instanceof Date) return value.toISOString()
  return undefined
}

const bindParams = (params: ReadonlyArray<unknown>): Effect.Effect<ReadonlyArray<SqliteValue>, SqlError.SqlError> => {
  const bound: Array<SqliteValue> = []
  for (const [index, param] of params.entries()) {
    const value = bindValue(param)
    if (value === undefined) {
      return Effect.fail(sqlError("bind", `cannot bind parameter ${index + 1} (${typeof param})`)(param))
    }
    bound.push(value)
  }
  return Effect.succeed(bound)
}

/** A least-recently-used cache of prepared statements: SQLite parses a cached statement once. */
const makeStatementCache = (driver: SqliteDriver, capacity: number) => {
  const cache = new Map<string, SqliteStatement>()
  return (sql: string): SqliteStatement => {
    const cached = cache.get(sql)
    if (cached !== undefined) {
      cache.delete(sql)
      cache.set(sql, cached)
      return cached
    }
    const statement = driver.prepare(sql)
    cache.set(sql, statement)
    if (cache.size > capacity) {
      const oldest = cache.keys().next()
      if (oldest.done !== true) cache.delete(oldest.value)
    }
    return statement
  }
}

const makeConnection = (driver: SqliteDriver, capacity: number): SqlConnection.Connection => {
  const cached = makeStatementCache(driver, capacity)
  const run = <A>(prepare: (sql: string) => SqliteStatement, read: (statement: SqliteStatement, params: ReadonlyArray<SqliteValue>) => A) =>
  (sql: string, params: ReadonlyArray<unknown>): Effect.Effect<A, SqlError.SqlError> =>
    Effect.flatMap(bindParams(params), (bound) =>
      Effect.try({
        try: () => read(prepare(sql), bound),
        catch: sqlError("execute", "Failed to execute statement")
      }))
  const rows = run(cached, (statement, params) => statement.all(params))
  const rowsUnprepared = run((sql) => driver.prepare(sql), (statement, params) => statement.all(params))
  const values = run(cached, (statement, params) => statement.values(params))
  const valuesUnprepared = run((sql) => driver.prepare(sql), (statement, params) => statement.values(params))
  return {
    execute: (sql, params, transformRows) =>
      transformRows ? Effect.map(rows(sql, params), transformRows) : rows(sql, params),
    executeRaw: (sql, params) => rows(sql, params),
    executeValues: (sql, params) => values(sql, params),
    executeValuesUnprepared: (sql, params) => valuesUnprepared(sql, params),
    executeUnprepared: (sql, params, transformRows) =>
      transformRows ? Effect.map(rowsUnprepared(sql, params), transformRows) : rowsUnprepared(sql, params),
    executeStream: (sql, params, transformRows) =>
      Stream.fromIterableEffect(transformRows ? Effect.map(rows(sql, params), transformRows) : rows(sql, params))
  }
}

/** Opens the database (closed with the scope) and builds the client. */
export const make = (
  driverFactory: SqliteDriverFactory,
  options: SqliteClientOptions
): Effect.Effect<SqlClient.SqlClient, SqlError.SqlError, Reactivity.Reactivity | Scope.Scope> =>
  Effect.gen(function*() {
    const semaphore = yield* Semaphore.make(1)
    const driver = yield* Effect.acquireRelease(
      Effect.try({
        try: () => driverFactory({ filename: options.filename }),
        catch: sqlError("open", `Failed to open ${options.filename}`)
      }),
      // Waits for the statement or transaction in flight before closing.
      (opened) => semaphore.withPermit(Effect.sync(() => opened.close()))
    )
    const connection = makeConnection(driver, options.statementCacheSize ?? 200)
    const pragma = (statement: string) => connection.executeUnprepared(`PRAGMA ${statement}`, [], undefined)
    // Order matters: busy_timeout first, so switching to WAL waits for other processes.
    yield* pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`)
    yield* pragma("journal_mode = WAL")
    yield* pragma("synchronous = NORMAL")
    yield* pragma("foreign_keys = ON")

    const acquirers = SqlClient.makeSqliteAcquirers({
      connection: Effect.succeed(connection),
      semaphore,
      isTransaction: () => driver.inTransaction()
    })
    return yield* SqlClient.make({
      acquirer: acquirers.acquirer,
      borrower: acquirers.borrower,
      transactionAcquirer: acquirers.transactionAcquirer,
      onCommitFailure: acquirers.onCommitFailure,
      isTransaction: acquirers.isTransaction,
      compiler: Statement.makeCompilerSqlite(),
      driver: "switchboard-sqlite",
      prepareTransactionControls: true,
      releaseSavepoint: (name) => `RELEASE SAVEPOINT ${name}`,
      spanAttributes: [["db.system.name", "sqlite"]]
    })
  })

/** `SqlClient` over a SQLite file (or `:memory:`), e.g. `layer(driver, { filename: "data.sqlite" })`. */
export const layer = (
  driverFactory: SqliteDriverFactory,
  options: SqliteClientOptions
): Layer.Layer<SqlClient.SqlClient, SqlError.SqlError> =>
  Layer.effect(SqlClient.SqlClient, make(driverFactory, options)).pipe(Layer.provide(Reactivity.layer))
