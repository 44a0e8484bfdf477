/**
 * `LimitBucketStore` over any `SqlClient` (SQLite, D1 and Postgres alike): one row per bucket
 * (migration 0011 / Postgres 0004), and a take is one upsert, so it is atomic on every engine
 * (Postgres re-evaluates the update on the row as the last writer left it; D1 has no
 * transactions to lean on). Written with CASE because SQLite's MIN(a, b) is Postgres's LEAST,
 * and with the numbers cast, as Postgres does not infer a parameter's type inside arithmetic.
 */
import { Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { LimitBucketStore } from "../../../kernel/store/LimitBucketStore.ts"
import { decodeFirst, storeOperation } from "./SqlRows.ts"

const TakeRow = Schema.Struct({ tokens: Schema.Number, granted: Schema.Number })

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const decode = decodeFirst(TakeRow)

  const take = (key: string, want: number, perMinute: number, now: number) => {
    const rate = sql`CAST(${perMinute / 60_000} AS DOUBLE PRECISION)`
    const cap = sql`CAST(${perMinute} AS DOUBLE PRECISION)`
    const wanted = sql`CAST(${want} AS DOUBLE PRECISION)`
    // The bucket refilled up to now (a clock behind the last writer's refills nothing), capped.
    const refilled = sql`limit_buckets.tokens + CASE WHEN ${now} > limit_buckets.updated_at
      THEN (${now} - limit_buckets.updated_at) * ${rate} ELSE 0 END`
    const level = sql`CASE WHEN ${refilled} >= ${cap} THEN ${cap} ELSE ${refilled} END`
    return sql`INSERT INTO limit_buckets (key, tokens, granted, updated_at)
      VALUES (${key}, ${cap} - CASE WHEN ${wanted} <= ${cap} THEN ${wanted} ELSE 0 END,
        CASE WHEN ${wanted} <= ${cap} THEN ${want} ELSE 0 END, ${now})
      ON CONFLICT (key) DO UPDATE SET
        tokens = CASE WHEN ${level} >= ${wanted} THEN ${level} - ${wanted} ELSE ${level} END,
        granted = CASE WHEN ${level} >= ${wanted} THEN ${want} ELSE 0 END,
        updated_at = CASE WHEN ${now} > limit_buckets.updated_at THEN ${now} ELSE limit_buckets.updated_at END
      RETURNING tokens, granted`.pipe(
      Effect.flatMap(decode),
      Effect.map((row) => row._tag === "Some" ? { granted: row.value.granted, level: row.value.tokens } : { granted: 0, level: 0 }),
      storeOperation("LimitBucketStore.take")
    )
  }

  // Nothing returned: after a flood of failed authentications from many addresses the rows
  // deleted may be many.
  const prune = (before: number) =>
    sql`DELETE FROM limit_buckets WHERE updated_at < ${before}`.pipe(Effect.asVoid, storeOperation("LimitBucketStore.prune"))

  return LimitBucketStore.of({ take, prune })
})

export const layer: Layer.Layer<LimitBucketStore, never, SqlClient.SqlClient> = Layer.effect(LimitBucketStore, make)
