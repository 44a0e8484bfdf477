/**
 * The store conformance suite on Postgres: a private server for this file (test/support/
 * postgres.ts), the SQL stores with the Postgres outbox (`StoresPg`), migrated by `PgMigrate`.
 * Also: the Postgres schema has every column and index the SQLite one has (the stores share their
 * SQL; the hot queries' plans are checked on SQLite, `queryPlans.test.ts`), and the health check
 * `/health` asks.
 */
import { Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as PgClient from "../../adapters/postgres/PgClient.ts"
import * as PgHealth from "../../adapters/postgres/PgHealth.ts"
import { migrations as postgresMigrations } from "../../adapters/postgres/migrations/index.ts"
import * as PgMigrate from "../../adapters/postgres/PgMigrate.ts"
import * as StoresPg from "../../adapters/postgres/StoresPg.ts"
import { applyMigrations } from "../../adapters/sql/Migrate.ts"
import { migrations } from "../../adapters/sql/migrations/index.ts"
import * as BetterSqlite3 from "../../adapters/sqlite/drivers/better-sqlite3.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import { DatabaseHealth } from "../../kernel/store/DatabaseHealth.ts"
import { freePort } from "../matrix/processes.ts"
import { startPostgres, type PostgresServer } from "../support/postgres.ts"
import { type CaseResult, caseNames, conformanceCases, runConformance } from "./conformance.ts"
import { expectedUpgrade, oneAgentUpgrade } from "./oneAgentUpgrade.ts"

let server: PostgresServer | undefined
let results: Promise<ReadonlyMap<string, CaseResult>> | undefined
let databaseUrl = ""

beforeAll(async () => {
  server = await startPostgres()
  const url = server.createDatabase("conformance")
  databaseUrl = url
  const cases = conformanceCases(PgClient.layer({ url, maxConnections: 8 }), "postgres", {
    migrate: PgMigrate.migrate,
    stores: StoresPg.layer
  })
  results = runConformance(cases).then((list) => new Map(list.map((result) => [result.name, result])))
  await results
}, 60_000)

afterAll(() => {
  server?.stop()
})

describe("Postgres", () => {
  for (const name of caseNames("postgres")) {
    it(name, async () => {
      const result = (await results)?.get(name)
      if (result === undefined) throw new Error("the case did not run")
      if (!result.ok) throw new Error(result.error ?? "failed")
    })
  }
})

const checkHealth = (url: string) =>
  Effect.runPromise(Effect.scoped(
    Effect.flatMap(DatabaseHealth, (health) => health.check).pipe(
      Effect.provide(PgHealth.layer.pipe(Layer.provide(PgClient.layer({ url, maxConnections: 1 }))))
    )
  ))

describe("Postgres health (GET /health)", () => {
  it("ok while the database answers", async () => {
    await results
    expect(await checkHealth(databaseUrl)).toBe("ok")
  })

  it("unavailable within a second when nothing listens", async () => {
    const started = Date.now()
    const state = await checkHealth(`postgres://postgres@127.0.0.1:${await freePort()}/nothing`).catch(() => "failed to build")
    expect(state).toBe("unavailable")
    expect(Date.now() - started).toBeLessThan(1_500)
  })
})

/** The outbox's generated columns on Postgres (session order without JSON per row); nothing else differs. */
const POSTGRES_ONLY = new Set(["outbox.seq", "outbox.session_key", "outbox.publication_id", "outbox.is_create"])

const Names = Schema.Array(Schema.Struct({ name: Schema.String }))

const IndexRows = Schema.Array(Schema.Struct({ name: Schema.String, unique: Schema.Number, partial: Schema.Number }))
const IndexColumns = Schema.Array(Schema.Struct({ name: Schema.NullOr(Schema.String) }))

/**
 * The SQLite schema, from a fresh in-memory database: every `table.column`, and every index as
 * `table(columns)` with `unique` and `partial` marks.
 */
const sqliteSchema = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* applyMigrations(migrations)
  const tables = yield* Schema.decodeUnknownEffect(Names)(
    yield* sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
  )
  const columns: Array<string> = []
  const indexes: Array<string> = []
  for (const table of tables) {
    const names = yield* Schema.decodeUnknownEffect(Names)(yield* sql`SELECT name FROM pragma_table_info(${table.name})`)
    columns.push(...names.map((column) => `${table.name}.${column.name}`))
    for (const index of yield* Schema.decodeUnknownEffect(IndexRows)(yield* sql`SELECT name, "unique", partial FROM pragma_index_list(${table.name})`)) {
      const keys = yield* Schema.decodeUnknownEffect(IndexColumns)(yield* sql`SELECT name FROM pragma_index_info(${index.name}) ORDER BY seqno`)
      indexes.push(`${table.name}(${keys.map((key) => key.name ?? "<expression>").join(", ")})${index.unique ? " unique" : ""}${index.partial ? " partial" : ""}`)
    }
  }
  return { columns: columns.sort(), indexes: indexes.sort() }
}).pipe(Effect.provide(SqliteClient.layer(BetterSqlite3.driver, { filename: ":memory:" })), Effect.scoped)

describe("Postgres schema", () => {
  it("has the SQLite schema's tables and columns (and only the outbox's generated ones besides)", async () => {
    await results
    const postgres = (server?.psql("conformance", `SELECT table_name || '.' || column_name FROM information_schema.columns
      WHERE table_schema = 'public' ORDER BY 1`) ?? "").split("\n").filter((line) => line.length > 0)
    expect(postgres.filter((column) => !POSTGRES_ONLY.has(column)).sort()).toEqual((await Effect.runPromise(sqliteSchema)).columns)
  })
})

/**
 * Where the two schemas' indexes differ on purpose: the session order of the outbox is an index
 * over JSON on SQLite and over the generated columns on Postgres; the migrations' own table is
 * keyed by an integer rowid on SQLite (no index of its own) and by a primary key on Postgres.
 */
const SQLITE_ONLY_INDEXES = new Set(["outbox(tenant_id, <expression>)"])
const POSTGRES_ONLY_INDEXES = new Set(["outbox(tenant_id, session_key, publication_id)", "switchboard_migrations(id) unique"])

describe("Postgres indexes", () => {
  it("has the SQLite schema's indexes, column for column (the hot queries' plans are checked on SQLite)", async () => {
    await results
    const postgres = (server?.psql("conformance", `SELECT t.relname || '(' || array_to_string(array(
        SELECT coalesce(a.attname, '<expression>') FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
        LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord), ', ') || ')'
        || CASE WHEN x.indisunique THEN ' unique' ELSE '' END || CASE WHEN x.indpred IS NOT NULL THEN ' partial' ELSE '' END
      FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public' ORDER BY 1`) ?? "").split("\n").filter((line) => line.length > 0)
    const sqlite = (await Effect.runPromise(sqliteSchema)).indexes
    expect(sqlite.filter((index) => SQLITE_ONLY_INDEXES.has(index))).toEqual([...SQLITE_ONLY_INDEXES])
    expect(postgres.filter((index) => POSTGRES_ONLY_INDEXES.has(index)).sort()).toEqual([...POSTGRES_ONLY_INDEXES].sort())
    expect(postgres.filter((index) => !POSTGRES_ONLY_INDEXES.has(index)).sort())
      .toEqual(sqlite.filter((index) => !SQLITE_ONLY_INDEXES.has(index)))
  })
})

describe("Postgres migration 0003 (one agent per installation)", () => {
  it("keeps the oldest publication of a duplicated agent, removes the newer copies and their bindings, then holds the index", async () => {
    await results
    const url = server?.createDatabase("upgrade")
    if (url === undefined) throw new Error("Postgres did not start")
    const upgraded = await Effect.runPromise(
      oneAgentUpgrade(postgresMigrations, PgMigrate.applyPostgresMigrations).pipe(
        Effect.provide(StoresPg.layer.pipe(Layer.provideMerge(PgClient.layer({ url, maxConnections: 2 })))),
        Effect.scoped
      )
    )
    expect(upgraded).toEqual(expectedUpgrade)
  })
})
