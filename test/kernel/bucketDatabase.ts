/** A `LimitBucketStore` over a fresh, migrated SQLite database in memory (better-sqlite3), per use. */
import { Layer } from "effect"
import * as Migrate from "../../adapters/sql/Migrate.ts"
import * as LimitBucketStoreSql from "../../adapters/sql/stores/LimitBucketStoreSql.ts"
import * as BetterSqlite3 from "../../adapters/sqlite/drivers/better-sqlite3.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"

export const bucketDatabase = LimitBucketStoreSql.layer.pipe(
  Layer.provideMerge(Migrate.layer.pipe(Layer.provideMerge(SqliteClient.layer(BetterSqlite3.driver, { filename: ":memory:" }))))
)
