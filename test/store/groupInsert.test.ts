/**
 * Group commit (`GroupInsert.ts`): the rows of concurrent callers go in with few statements, each
 * caller learns about its own row, a duplicate inside one group conflicts with its twin, and a
 * row the database refuses fails alone.
 */
import { assert, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { SqlClient } from "effect/sql"
import * as BetterSqlite3 from "../../adapters/sqlite/drivers/better-sqlite3.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import { makeGroupInsert } from "../../adapters/sql/stores/GroupInsert.ts"

const database = SqliteClient.layer(BetterSqlite3.driver, { filename: ":memory:" })

interface Item {
  readonly id: string
  readonly name: string | null
}

const setup = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE items (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE)`
  let statements = 0
  const insert = makeGroupInsert<Item>({
    maxRows: 7,
    keyOf: (item) => item.id,
    write: ([first, ...rest]) => {
      statements++
      return first === undefined ? Effect.succeed([]) : Effect.map(
        sql<{ readonly id: string }>`INSERT INTO items ${sql.insert([{ ...first }, ...rest.map((item) => ({ ...item }))])} ON CONFLICT DO NOTHING RETURNING id`,
        (rows) => rows.map((row) => row.id)
      )
    }
  })
  return { sql, insert, statements: () => statements }
})

it.effect("concurrent rows share statements, and each caller learns whether its own row went in", () =>
  Effect.gen(function*() {
    const { insert, sql, statements } = yield* setup
    const results = yield* Effect.forEach(
      Array.from({ length: 20 }, (_, index) => index),
      (index) => insert({ id: `id-${index}`, name: index === 19 ? "name-0" : `name-${index}` }),
      { concurrency: "unbounded" }
    )
    // 20 rows, 7 per statement: 3 statements, not 20.
    assert.strictEqual(statements(), 3)
    // The last row repeats the first one's unique name within the same group: a conflict.
    assert.deepStrictEqual(results, [...Array.from({ length: 19 }, () => true), false])
    const rows = yield* sql<{ readonly count: number }>`SELECT count(*) AS count FROM items`
    assert.strictEqual(rows[0]?.count, 19)
  }).pipe(Effect.provide(database)))

it.effect("a row the database refuses fails alone; its neighbours are stored", () =>
  Effect.gen(function*() {
    const { insert, sql } = yield* setup
    const exits = yield* Effect.forEach(
      ["a", "b", "c"],
      (id) => Effect.exit(insert({ id, name: id === "b" ? null : `name-${id}` })),
      { concurrency: "unbounded" }
    )
    assert.deepStrictEqual(exits.map(Exit.isSuccess), [true, false, true])
    const rows = yield* sql<{ readonly id: string }>`SELECT id FROM items ORDER BY id`
    assert.deepStrictEqual(rows.map((row) => row.id), ["a", "c"])
  }).pipe(Effect.provide(database)))
