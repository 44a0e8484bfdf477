/** `SqliteDriver` for Bun over `bun:sqlite`. Only the binding: the rest is `SqliteClient`'s. */
import { Database } from "bun:sqlite"
import { isRecord, type SqliteDriverFactory } from "../SqliteDriver.ts"
import { startWalCheckpointer, type WorkerSqlite } from "../WalCheckpointer.ts"

/** The checkpointing worker's SQLite: the same module, its own connection. */
const bunSqlite: WorkerSqlite = {
  importLine: `import { Database } from "bun:sqlite"`,
  open: (filename) => `new Database(${filename})`
}

/**
 * Opens (or creates) the file; when SQLite cannot, for want of its folder (a fresh deployment's
 * `.data/`), makes the folder and opens it again. Made only then, so that a start over an existing
 * database needs no `node:fs` (evaluating it costs Bun about 2 ms).
 */
const open = (filename: string): Database => {
  try {
    return new Database(filename, { create: true })
  } catch (error) {
    if (!(error instanceof Error && "code" in error && error.code === "SQLITE_CANTOPEN")) throw error
    const folder = process.getBuiltinModule("node:path").dirname(filename)
    const fs = process.getBuiltinModule("node:fs")
    if (fs.existsSync(folder)) throw error
    fs.mkdirSync(folder, { recursive: true })
    return new Database(filename, { create: true })
  }
}

export const driver: SqliteDriverFactory = ({ filename }) => {
  const db = open(filename)
  return {
    prepare: (sql) => {
      const statement = db.prepare(sql)
      return {
        all: (params) => statement.all(...params).filter(isRecord),
        values: (params) => statement.values(...params)
      }
    },
    inTransaction: () => db.inTransaction,
    close: () => db.close(),
    checkpointInBackground: (stopped) => startWalCheckpointer(bunSqlite, filename, stopped)
  }
}
