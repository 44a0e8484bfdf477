/** `SqliteDriver` for Bun over `bun:sqlite`. Only the binding: the rest is `SqliteClient`'s. */
import { Database } from "bun:sqlite"
import type { SqliteDriverFactory } from "../SqliteDriver.ts"

const isRecord = (row: unknown): row is Readonly<Record<string, unknown>> => typeof row === "object" && row !== null

export const driver: SqliteDriverFactory = ({ filename }) => {
  const db = new Database(filename, { create: true })
  return {
    prepare: (sql) => {
      const statement = db.prepare(sql)
      return {
        all: (params) => statement.all(...params).filter(isRecord),
        values: (params) => statement.values(...params)
      }
    },
    inTransaction: () => db.inTransaction,
    close: () => db.close()
  }
}
