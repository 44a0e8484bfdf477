/**
 * An Effect `SqlClient` for embedded SQLite, over a `SqliteDriver` (bun:sqlite, node:sqlite,
 * better-sqlite3). Runtime neutral: the runtime passes its driver.
 *
 * One connection per client, shared through a semaphore: a statement outside a transaction waits
 * until the transaction that holds the connection ends, so it is never swept into it (or into its
 * rollback). Nested `withTransaction` uses savepoints; a transaction begins `IMMEDIATE`, so it
 * takes the write lock first and never meets a lock halfway. Files open in WAL mode with
 * synchronous=NORMAL (safe against a process crash, not a power cut) and foreign keys on; where the
 * driver can, a worker thread checkpoints the log (`WalCheckpointer.ts`).
 *
 * Locks held by other processes (a CLI, a backup, another instance) never block the event loop:
 * `busy_timeout` is 0, so the driver fails at once, and the client waits asynchronously
 * (`LockWait`) for as long as the calling fiber's `DatabaseWait` allows (under a second on request
 * paths, longer in background work), then fails with a `LockTimeoutError`. Waiting for the shared
 * connection counts against the same bound. The layer also provides `DatabaseHealth`, `IngestNow`
 * (the webhook lane's two statements run in place when the connection is free) and `SqlNow` (any
 * statement run in place, under the same condition, for the stores' hot reads).
 *
 * Not supported: `SafeIntegers` (INTEGERs beyond 2^53 come back rounded), real streaming
 * (`stream` reads all rows first), name transforms, several connections.
 */
import { Context, Effect, Exit, Layer, Option, type Scope, Semaphore, Stream } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { SqlClient, type SqlConnection, SqlError, Statement } from "effect/sql"
import { DatabaseHealth } from "../../kernel/store/DatabaseHealth.ts"
import { IngestNow, type IngestNowStore } from "../../kernel/store/IngestNow.ts"
import * as IngestNowSql from "../sql/stores/IngestNowSql.ts"
import type { Exclusive, RunNow } from "../sql/stores/IngestNowSql.ts"
import { SqlNow } from "../sql/SqlNow.ts"
import { BACKGROUND_WAIT_MS, DatabaseWait } from "../../kernel/store/DatabaseWait.ts"
import { boundedWait, isLocked, untilUnlocked } from "./LockWait.ts"
import type { SqliteDriver, SqliteDriverFactory, SqliteStatement, SqliteValue } from "./SqliteDriver.ts"
import { healthCheck } from "./SqliteHealth.ts"
import { BACKSTOP_PAGES, DEFAULT_AUTOCHECKPOINT_PAGES } from "./WalCheckpointer.ts"

export interface SqliteClientOptions {
  /** A file path, created if missing, or `:memory:`. */
  readonly filename: string
  /** How long opening (the pragmas) may wait for another process's lock. Default 30000 ms. */
  readonly openWaitMs?: number | undefined
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

const makeConnection = (driver: SqliteDriver, capacity: number): SqlConnection.Connection & { readonly runNow: RunNow } => {
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
    // The webhook lane's statements (`IngestNow`): its parameters are strings, numbers and nulls.
    runNow: (sql, params) => cached(sql).all(params),
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

const waitOfFiber = Effect.service(DatabaseWait)

/**
 * Every use of the one connection goes through here, so `pending` (users holding or awaiting it)
 * tells when the connection is free and waiting needs no timer.
 */
const makeLeases = (
  acquirers: ReturnType<typeof SqlClient.makeSqliteAcquirers<SqlConnection.Connection>>,
  connection: SqlConnection.Connection,
  inTransaction: () => boolean
) => {
  let pending = 0
  const counted = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.suspend(() => {
      pending++
      return Effect.ensuring(effect, Effect.sync(() => pending--))
    })
  const bounded = <A, E, R>(remainingMs: number, effect: Effect.Effect<A, E, R>) =>
    Effect.suspend(() => pending === 0 ? counted(effect) : counted(boundedWait(remainingMs, effect)))

  /** A statement outside a transaction, waiting its turn: the connection is released between attempts. */
  const waiting: SqlConnection.Borrower = (use) =>
    Effect.flatMap(waitOfFiber, (waitMs) =>
      untilUnlocked(waitMs, (remainingMs) => bounded(remainingMs, acquirers.borrower(use))))

  /**
   * A statement outside a transaction. When nobody holds or awaits the connection and no
   * transaction is open (the common case), it runs in place, to its end, in one synchronous run:
   * the connection's methods are all synchronous, so no other fiber can take the connection or
   * begin a transaction meanwhile, and the semaphore, the wait bookkeeping and their fibers are
   * skipped (most of a statement's cost in the app). A statement that meets another process's lock
   * there has changed nothing, and waits its turn as any other.
   */
  const borrower: SqlConnection.Borrower = <A, E, R>(use: (connection: SqlConnection.Connection) => Effect.Effect<A, E, R>) =>
    Effect.withFiber<A, E | SqlError.SqlError, R>((fiber) => {
      // The fiber's context is the one the borrowed effect asked for (`R`): it runs within it.
      const exit = exclusive(() => Effect.runSyncExitWith(fiber.context as Context.Context<R>)(use(connection)))
      if (exit !== undefined && !(Exit.isFailure(exit) && Option.exists(Exit.findErrorOption(exit), isLocked))) return exit
      return waiting(use)
    })

  /** A lease held until the scope closes (a transaction's, or a reserved connection's), with bounded waiting. */
  const scopedLease = (lease: typeof acquirers.acquirer) =>
    Effect.flatMap(waitOfFiber, (waitMs) =>
      Effect.uninterruptibleMask((restore) =>
        Effect.suspend(() => {
          pending++
          return Effect.flatMap(Effect.addFinalizer(() => Effect.sync(() => pending--)), () =>
            restore(waitMs <= 0 ? lease : boundedWait(waitMs, lease)))
        })))

  /**
   * Runs `use` in place when nobody holds or awaits the connection and no transaction is open (a
   * statement, `IngestNow`, `SqlNow`); it cannot be swept into a transaction, nor can anyone start
   * one while it runs (JavaScript runs it to its end).
   */
  const exclusive = <A>(use: () => A): A | undefined => {
    if (pending !== 0 || inTransaction()) return undefined
    pending++
    try {
      return use()
    } finally {
      pending--
    }
  }
  return {
    borrower,
    acquirer: scopedLease(acquirers.acquirer),
    transactionAcquirer: scopedLease(acquirers.transactionAcquirer),
    exclusive
  }
}

/** Opens the database (closed with the scope) and builds the client and its health check. */
const makeWithHealth = (
  driverFactory: SqliteDriverFactory,
  options: SqliteClientOptions
): Effect.Effect<
  {
    readonly client: SqlClient.SqlClient
    readonly health: DatabaseHealth["Service"]
    readonly ingestNow: IngestNowStore
    readonly now: Exclusive
  },
  SqlError.SqlError,
  Reactivity.Reactivity | Scope.Scope
> =>
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
    // Never wait inside the synchronous driver: it would hold the event loop (LockWait waits).
    yield* connection.executeUnprepared("PRAGMA busy_timeout = 0", [], undefined)
    const pragma = (statement: string) =>
      untilUnlocked(options.openWaitMs ?? BACKGROUND_WAIT_MS, () => connection.executeUnprepared(`PRAGMA ${statement}`, [], undefined))
    yield* pragma("journal_mode = WAL")
    yield* pragma("synchronous = NORMAL")
    yield* pragma("foreign_keys = ON")
    // Where the driver can, a worker checkpoints the log (`WalCheckpointer.ts`); this connection
    // only past the backstop. Stopped before the connection closes (finalizers run in reverse).
    // Should the worker fail, this connection checkpoints as SQLite does by default again (the
    // log would otherwise grow to the backstop between checkpoints), and says so.
    const services = yield* Effect.context<never>()
    const stopCheckpoints = driver.checkpointInBackground?.((reason) => {
      Effect.runForkWith(services)(
        pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`).pipe(
          // Closed meanwhile: nothing left to checkpoint for.
          Effect.ignore,
          Effect.andThen(Effect.logWarning("the WAL checkpointing worker stopped; the serving connection checkpoints again", reason))
        )
      )
    })
    if (stopCheckpoints !== undefined) {
      yield* Effect.addFinalizer(() => Effect.sync(stopCheckpoints))
      yield* pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`)
    }

    const acquirers = SqlClient.makeSqliteAcquirers({
      connection: Effect.succeed(connection),
      semaphore,
      isTransaction: () => driver.inTransaction()
    })
    const leases = makeLeases(acquirers, connection, () => driver.inTransaction())
    const health = DatabaseHealth.of({ check: healthCheck(leases.borrower) })
    const client = yield* SqlClient.make({
      acquirer: leases.acquirer,
      borrower: leases.borrower,
      transactionAcquirer: leases.transactionAcquirer,
      // IMMEDIATE: a failed BEGIN has changed nothing, so it alone is retried while locked.
      begin: (conn, statement) =>
        statement !== undefined
          ? Effect.asVoid(conn.executeUnprepared(statement, [], undefined))
          : Effect.flatMap(waitOfFiber, (waitMs) =>
            untilUnlocked(waitMs, () => Effect.asVoid(conn.execute("BEGIN IMMEDIATE", [], undefined)))),
      onCommitFailure: acquirers.onCommitFailure,
      isTransaction: acquirers.isTransaction,
      compiler: Statement.makeCompilerSqlite(),
      driver: "switchboard-sqlite",
      prepareTransactionControls: true,
      releaseSavepoint: (name) => `RELEASE SAVEPOINT ${name}`,
      spanAttributes: [["db.system.name", "sqlite"]]
    })
    const now: Exclusive = (use) => leases.exclusive(() => use(connection.runNow))
    return { client, health, ingestNow: IngestNowSql.make(now), now }
  })

/** Opens the database (closed with the scope) and builds the client. */
export const make = (
  driverFactory: SqliteDriverFactory,
  options: SqliteClientOptions
): Effect.Effect<SqlClient.SqlClient, SqlError.SqlError, Reactivity.Reactivity | Scope.Scope> =>
  Effect.map(makeWithHealth(driverFactory, options), ({ client }) => client)

/** `SqlClient` over a SQLite file (or `:memory:`), e.g. `layer(driver, { filename: "data.sqlite" })`. */
export const layer = (
  driverFactory: SqliteDriverFactory,
  options: SqliteClientOptions
): Layer.Layer<SqlClient.SqlClient | DatabaseHealth, SqlError.SqlError> =>
  Layer.effectContext(Effect.map(makeWithHealth(driverFactory, options), ({ client, health, ingestNow, now }) =>
    Context.make(SqlClient.SqlClient, client).pipe(
      Context.add(DatabaseHealth, health),
      Context.add(IngestNow, ingestNow),
      Context.add(SqlNow, now)
    ))).pipe(
      Layer.provide(Reactivity.layer)
    )
