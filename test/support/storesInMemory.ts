/**
 * The SQL stores over a fresh in-memory better-sqlite3 database, migrated: for tests of a kernel
 * service that run it in-process through its layer (one database per `Effect.provide`).
 */
import { Layer } from "effect"
import * as Migrate from "../../adapters/sql/Migrate.ts"
import * as StoresSql from "../../adapters/sql/StoresSql.ts"
import * as BetterSqlite3 from "../../adapters/sqlite/drivers/better-sqlite3.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"

export const storesInMemory = StoresSql.layer.pipe(
  Layer.provide(Migrate.layer.pipe(Layer.provideMerge(SqliteClient.layer(BetterSqlite3.driver, { filename: ":memory:" }))))
)
