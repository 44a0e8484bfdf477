/**
 * `SqliteDriver` for Node over better-sqlite3 12.x (Node 20 has no node:sqlite). Only the binding:
 * pragmas, caching and locking are `SqliteClient`'s.
 */
import Database from "better-sqlite3"
import type { SqliteDriverFactory, SqliteValue } from "../SqliteDriver.ts"

/** better-sqlite3 binds blobs from Buffers only. */
const bind = (params: ReadonlyArray<SqliteValue>) =>
  params.map((value) => value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value) : value)

const isRecord = (row: unknown): row is Readonly<Record<string, unknown>> => typeof row === "object" && row !== null
const isArray = (row: unknown): row is ReadonlyArray<unknown> => Array.isArray(row)

export const driver: SqliteDriverFactory = ({ filename }) => {
  // Its default busy timeout (5 s) would sleep inside the driver, holding the event loop.
  const db = new Database(filename, { timeout: 0 })
  return {
    prepare: (sql) => {
      const statement = db.prepare(sql)
      // better-sqlite3 refuses all() on a statement that returns no rows: run() it instead.
      if (!statement.reader) {
        return {
          all: (params) => (statement.run(...bind(params)), []),
          values: (params) => (statement.run(...bind(params)), [])
        }
      }
      // raw() switches a statement to arrays for good, so the array variant is a second one.
      let raw: Database.Statement | undefined
      return {
        all: (params) => statement.all(...bind(params)).filter(isRecord),
        values: (params) => {
          raw ??= db.prepare(sql).raw(true)
          return raw.all(...bind(params)).filter(isArray)
        }
      }
    },
    inTransaction: () => db.inTransaction,
    close: () => db.close()
  }
}
