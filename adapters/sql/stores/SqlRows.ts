/**
 * What every SQL store shares: decoding rows with Schema (never trusting a row's shape), and
 * turning SQL and decoding failures into the kernel's `StoreError`, named after the operation.
 * Column names are snake_case; the row codecs rename them with `Schema.encodeKeys`.
 */
import { Effect, Option, Schema } from "effect"
import type { SqlError } from "effect/sql"
import { StoreError } from "../../../kernel/domain/Errors.ts"
import { spanWhenTraced } from "../../../kernel/observability/Spans.ts"

/** A JSON column holding a list of strings (scopes). */
export const JsonStrings = Schema.fromJsonString(Schema.Array(Schema.String))

/**
 * Runs one store operation under a span named after it. SQL and decoding failures become a
 * `StoreError` carrying the operation name; the message names the failure, never the values.
 */
export const storeOperation = (operation: string) =>
<A, R>(
  effect: Effect.Effect<A, SqlError.SqlError | Schema.SchemaError | StoreError, R>
): Effect.Effect<A, StoreError, R> =>
  effect.pipe(
    Effect.mapError((error) =>
      error._tag === "StoreError"
        ? error
        : error._tag === "SchemaError"
        ? new StoreError({ operation, message: `a stored row did not decode: ${error.message}` })
        : new StoreError({ operation, message: `${error.reason._tag}: ${describeCause(error)}` })
    ),
    // Every store call is on some hot path: no span nobody reads, no call-site stack.
    spanWhenTraced(operation)
  )

const describeCause = (error: SqlError.SqlError): string => {
  const cause = error.reason.cause
  return cause instanceof Error ? cause.message : error.message
}

export const decodeAll = <S extends Schema.Constraint>(schema: S) => {
  const decode = Schema.decodeUnknownEffect(Schema.Array(schema))
  // No rows is the webhook path's usual answer (an account nobody installed): nothing to decode.
  return (rows: ReadonlyArray<unknown>): Effect.Effect<ReadonlyArray<S["Type"]>, Schema.SchemaError, S["DecodingServices"]> =>
    rows.length === 0 ? Effect.succeed([]) : decode(rows)
}

export const decodeFirst = <S extends Schema.Constraint>(schema: S) => {
  const decode = Schema.decodeUnknownEffect(schema)
  return (rows: ReadonlyArray<unknown>): Effect.Effect<Option.Option<S["Type"]>, Schema.SchemaError, S["DecodingServices"]> =>
    rows.length === 0 ? Effect.succeedNone : Effect.asSome(decode(rows[0]))
}

const AtRow = Schema.Struct({ at: Schema.NullOr(Schema.Number) })
const decodeAtRows = decodeAll(AtRow)

/** An aggregate's one time column (`SELECT MIN(...) AS at`): none when it is null (no row matched). */
export const decodeAt = (rows: ReadonlyArray<unknown>): Effect.Effect<Option.Option<number>, Schema.SchemaError> =>
  Effect.map(decodeAtRows(rows), ([row]) => Option.fromNullishOr(row?.at))

/**
 * The row's values as one string, or `undefined` when one is not a string, number or null (a
 * blob): each value tagged and strings length-prefixed, so two different rows never meet.
 */
const rowKey = (row: unknown): string | undefined => {
  if (typeof row !== "object" || row === null) return undefined
  let key = ""
  for (const value of Object.values(row)) {
    if (typeof value === "string") key += `s${value.length}:${value}`
    else if (typeof value === "number") key += `n${value};`
    else if (value === null) key += "z"
    else return undefined
  }
  return key
}

/**
 * `decode` for rows read on every request that rarely change (a session's tenant, publication and
 * installation, read on each tool call): the last `capacity` rows' decodings are kept by the
 * row's values, and a row equal to one of them is not decoded again. `decode` must be a pure
 * function of the row (a Schema decode is), so an equal row gets an equal value; a changed row is
 * a different key. Failures are not kept. Bounded: past `capacity` the oldest entry goes.
 */
export const keptByRow = <A, E>(decode: (row: Readonly<Record<string, unknown>>) => Effect.Effect<A, E>, capacity = 1024) => {
  const kept = new Map<string, A>()
  return (row: Readonly<Record<string, unknown>>): Effect.Effect<A, E> => {
    const key = rowKey(row)
    if (key === undefined) return decode(row)
    if (kept.has(key)) return Effect.succeed(kept.get(key)!)
    return Effect.map(decode(row), (value) => {
      if (kept.size >= capacity) kept.delete(kept.keys().next().value!)
      kept.set(key, value)
      return value
    })
  }
}

/** The first row, which a statement such as INSERT ... RETURNING must produce. */
export const decodeReturned = <S extends Schema.Constraint>(schema: S, operation: string) => {
  const first = decodeFirst(schema)
  return (rows: ReadonlyArray<unknown>) =>
    Effect.flatMap(first(rows), Option.match({
      onNone: () => Effect.fail(new StoreError({ operation, message: "the statement returned no row" })),
      onSome: Effect.succeed
    }))
}

/** Whether a statement with `RETURNING` touched a row: how updates and deletes report a match. */
export const touched = (rows: ReadonlyArray<unknown>): boolean => rows.length > 0
