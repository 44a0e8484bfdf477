/**
 * `switchboard/sql`: every kernel store over Effect's generic `SqlClient` (`StoresSql.layer`),
 * the migrations and `Migrate.layer` to apply them. Pick the engine from `switchboard/sqlite`
 * or `switchboard/d1`.
 */
export * as Migrate from "./Migrate.ts"
export { type Migration, migrations } from "./migrations/index.ts"
export * as StoresSql from "./StoresSql.ts"
