/** Migration 0010 over a SQLite database that holds the same agent twice on one installation (`oneAgentUpgrade.ts`). */
import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { applyMigrations } from "../../adapters/sql/Migrate.ts"
import { migrations } from "../../adapters/sql/migrations/index.ts"
import * as StoresSql from "../../adapters/sql/StoresSql.ts"
import * as BetterSqlite3 from "../../adapters/sqlite/drivers/better-sqlite3.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import { expectedUpgrade, oneAgentUpgrade } from "./oneAgentUpgrade.ts"

const database = StoresSql.layer.pipe(Layer.provideMerge(SqliteClient.layer(BetterSqlite3.driver, { filename: ":memory:" })))

it.effect("keeps the oldest publication of a duplicated agent, removes the newer copies and their bindings, then holds the index", () =>
  Effect.gen(function*() {
    expect(yield* oneAgentUpgrade(migrations, applyMigrations)).toEqual(expectedUpgrade)
  }).pipe(Effect.provide(database)))
