/**
 * The store conformance suite on Postgres: a private server for this file (test/support/
 * postgres.ts), the SQL stores with the Postgres outbox (`StoresPg`), migrated by `PgMigrate`.
 * Also: the Postgres schema has every column the SQLite one has (the stores share their SQL), and
 * the health check `/health` asks.
 */
import { Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as PgClient from "../../adapters/postgres/PgClient.ts"
import * as PgHealth from "../../adapters/postgres/PgHealth.ts"
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

/** Every `table.column` of the SQLite schema, from a fresh in-memory database. */
const sqliteColumns = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* applyMigrations(migrations)
  const tables = yield* Schema.decodeUnknownEffect(Names)(
    yield* sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
  )
  const columns: Array<string> = []
  for (const table of tables) {
    const names = yield* Schema.decodeUnknownEffect(Names)(yield* sql`SELECT name FROM pragma_table_info(${table.name})`)
    columns.push(...names.map((column) => `${table.name}.${column.name}`))
  }
  return columns.sort()
}).pipe(Effect.provide(SqliteClient.layer(BetterSqlite3.driver, { filename: ":memory:" })), Effect.scoped)

describe("Postgres schema", () => {
  it("has the SQLite schema's tables and columns (and only the outbox's generated ones besides)", async () => {
    await results
    const postgres = (server?.psql("conformance", `SELECT table_name || '.' || column_name FROM information_schema.columns
      WHERE table_schema = 'public' ORDER BY 1`) ?? "").split("\n").filter((line) => line.length > 0)
    expect(postgres.filter((column) => !POSTGRES_ONLY.has(column)).sort()).toEqual(await Effect.runPromise(sqliteColumns))
  })
})
