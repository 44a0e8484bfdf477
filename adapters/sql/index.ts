/**
 * `switchboard/sql`: every kernel store over Effect's generic `SqlClient` (`StoresSql.layer`),
 * the migrations and `Migrate.layer` to apply them, and `LimitBucketStoreSql.layer`, which shares
 * the per-minute limits through the database when several processes serve it (Workers on D1).
 * Pick the engine from `switchboard/sqlite` or `switchboard/d1`.
 */
export * as Migrate from "./Migrate.ts"
export { type Migration, migrations } from "./migrations/index.ts"
export * as StoresSql from "./StoresSql.ts"
export * as LimitBucketStoreSql from "./stores/LimitBucketStoreSql.ts"
