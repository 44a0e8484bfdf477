/** `SqliteClient`'s `mmapBytes`: the memory map SQLite reads the file through, or none at 0. */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { afterAll, describe, expect, it } from "vitest"
import * as BetterSqlite3 from "../../adapters/sqlite/drivers/better-sqlite3.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"

const directory = mkdtempSync(join(tmpdir(), "switchboard-mmap-"))
afterAll(() => rmSync(directory, { recursive: true, force: true }))

const mmapSize = (mmapBytes: number | undefined, file: string) =>
  Effect.runPromise(
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql.unsafe("PRAGMA mmap_size").values
      return Schema.decodeUnknownSync(Schema.Array(Schema.Tuple([Schema.Number])))(rows)[0]?.[0]
    }).pipe(Effect.provide(SqliteClient.layer(BetterSqlite3.driver, { filename: join(directory, file), mmapBytes })))
  )

describe("SqliteClient mmapBytes", () => {
  it("maps DEFAULT_MMAP_BYTES unless told otherwise; 0 reads without a map", async () => {
    expect(await mmapSize(undefined, "default.sqlite")).toBe(SqliteClient.DEFAULT_MMAP_BYTES)
    expect(await mmapSize(256 * 1024 * 1024, "set.sqlite")).toBe(256 * 1024 * 1024)
    expect(await mmapSize(0, "off.sqlite")).toBe(0)
  })
})
