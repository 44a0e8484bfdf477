/**
 * `switchboard/sqlite`: a `SqlClient` over an embedded SQLite database. The driver is the
 * runtime's: `switchboard/sqlite/better-sqlite3` (Node), `/bun` (`bun:sqlite`), `/deno`
 * (`node:sqlite`).
 */
export * as SqliteClient from "./SqliteClient.ts"
export type { SqliteDriver, SqliteDriverFactory, SqliteDriverOptions, SqliteStatement, SqliteValue } from "./SqliteDriver.ts"
