/** `Migrate` at the start of a process over a database migrated before: one read, nothing else. */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Migrate from "../../adapters/sql/Migrate.ts"
import * as BetterSqlite3 from "../../adapters/sqlite/drivers/better-sqlite3.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import type { SqliteDriverFactory } from "../../adapters/sqlite/SqliteDriver.ts"

/** better-sqlite3, recording each statement it runs (cached or not). */
const recording = () => {
  const ran: Array<string> = []
  const driver: SqliteDriverFactory = (options) => {
    const inner = BetterSqlite3.driver(options)
    return {
      ...inner,
      prepare: (sql) => {
        const statement = inner.prepare(sql)
        return {
          all: (params) => {
            ran.push(sql)
            return statement.all(params)
          },
          values: (params) => {
            ran.push(sql)
            return statement.values(params)
          }
        }
      }
    }
  }
  return { driver, ran }
}

const migrations = (statements: ReadonlyArray<string>) =>
  statements.filter((sql) => sql.includes("switchboard_migrations")).map((sql) => sql.replace(/\s+/g, " ").trim())

describe("Migrate at start", () => {
  it.effect("a new database gets the table and every migration; a migrated one is read once", () => {
    const { driver, ran } = recording()
    return Effect.gen(function*() {
      expect((yield* Migrate.migrate).length).toBeGreaterThan(0)
      expect(migrations(ran)[0]).toMatch(/^CREATE TABLE IF NOT EXISTS switchboard_migrations/)
      const before = ran.length
      expect(yield* Migrate.migrate).toEqual([])
      expect(migrations(ran.slice(before))).toEqual(["SELECT id FROM switchboard_migrations"])
    }).pipe(Effect.provide(SqliteClient.layer(driver, { filename: ":memory:" })))
  })
})
