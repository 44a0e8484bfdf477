/**
 * `SqliteDriver` for Deno over `node:sqlite` (`DatabaseSync`). Only the binding: the rest is
 * `SqliteClient`'s. Deno cannot load better-sqlite3, hence this driver.
 */
import { DatabaseSync, type StatementSync } from "node:sqlite"
import { isRecord, type SqliteDriverFactory } from "../SqliteDriver.ts"
import { startWalCheckpointer, type WorkerSqlite } from "../WalCheckpointer.ts"

/** The checkpointing worker's SQLite: the same module, its own connection. */
const nodeSqlite: WorkerSqlite = {
  importLine: `import { DatabaseSync } from "node:sqlite"`,
  open: (filename) => `new DatabaseSync(${filename})`
}

const isArray = (row: unknown): row is ReadonlyArray<unknown> => Array.isArray(row)

export const driver: SqliteDriverFactory = ({ filename }) => {
  const db = new DatabaseSync(filename)
  return {
    prepare: (sql) => {
      const statement = db.prepare(sql)
      // setReturnArrays switches a statement for good, so the array variant is a second one.
      let arrays: StatementSync | undefined
      return {
        all: (params) => statement.all(...params).filter(isRecord),
        values: (params) => {
          if (arrays === undefined) {
            arrays = db.prepare(sql)
            arrays.setReturnArrays(true)
          }
          return arrays.all(...params).filter(isArray)
        }
      }
    },
    inTransaction: () => db.isTransaction,
    close: () => db.close(),
    checkpointInBackground: (stopped) => startWalCheckpointer(nodeSqlite, filename, stopped)
  }
}
