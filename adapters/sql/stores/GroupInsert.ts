/**
 * Group commit for one INSERT (`GroupStatement.ts`): the rows of concurrent callers are written by
 * one multi-row `INSERT ... ON CONFLICT DO NOTHING RETURNING <key>` statement (the caller's
 * `write`), and each caller learns whether its row went in (false: it conflicted with a stored
 * row, or with another row of the same statement) once that statement has run.
 */
import { Effect } from "effect"
import type { SqlError } from "effect/sql"
import { makeGroupStatement } from "./GroupStatement.ts"

export interface GroupInsertOptions<Row> {
  /** Rows per statement. */
  readonly maxRows: number
  /** A row's key, as `write` reports the rows it inserted. */
  readonly keyOf: (row: Row) => string
  /**
   * One statement inserting the rows, skipping those that conflict (`ON CONFLICT DO NOTHING
   * RETURNING <key>`); the keys of the rows it inserted.
   */
  readonly write: (rows: ReadonlyArray<Row>) => Effect.Effect<ReadonlyArray<string>, SqlError.SqlError>
}

/** Inserts one row; false when it conflicted with a stored row (or with another of its group). */
export const makeGroupInsert = <Row>(options: GroupInsertOptions<Row>): (row: Row) => Effect.Effect<boolean, SqlError.SqlError> =>
  makeGroupStatement<Row, boolean>({
    maxRows: options.maxRows,
    write: (rows) =>
      Effect.map(options.write(rows), (keys) => {
        const inserted = new Set(keys)
        return rows.map((row) => inserted.has(options.keyOf(row)))
      })
  })
