/**
 * `RateLimitGateStore` over any `SqlClient` (SQLite, D1 and Postgres alike): one row per gate
 * (migration 0009 / Postgres 0001). Closing is one upsert that keeps the later of the two ends,
 * written with CASE because SQLite's MAX(a, b) is Postgres's GREATEST.
 */
import { Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { ProviderId } from "../../../kernel/domain/Ids.ts"
import { RateLimitGateStore } from "../../../kernel/store/RateLimitGateStore.ts"
import { decodeFirst, storeOperation } from "./SqlRows.ts"

const GateRow = Schema.Struct({ blocked_until: Schema.Number })

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const blockedUntil = (providerId: ProviderId, key: string, now: number) =>
    sql`SELECT blocked_until FROM rate_limit_gates
      WHERE provider_id = ${providerId} AND key = ${key} AND blocked_until > ${now}`.pipe(
      Effect.flatMap(decodeFirst(GateRow)),
      Effect.map(Option.map((row) => row.blocked_until)),
      storeOperation("RateLimitGateStore.blockedUntil")
    )

  const block = (providerId: ProviderId, key: string, until: number) =>
    sql`INSERT INTO rate_limit_gates (provider_id, key, blocked_until) VALUES (${providerId}, ${key}, ${until})
      ON CONFLICT (provider_id, key) DO UPDATE SET blocked_until = CASE
        WHEN excluded.blocked_until > rate_limit_gates.blocked_until THEN excluded.blocked_until
        ELSE rate_limit_gates.blocked_until END`.pipe(
      Effect.asVoid,
      storeOperation("RateLimitGateStore.block")
    )

  return RateLimitGateStore.of({ blockedUntil, block })
})

export const layer: Layer.Layer<RateLimitGateStore, never, SqlClient.SqlClient> = Layer.effect(RateLimitGateStore, make)
