/**
 * `ActivityStore` over any `SqlClient`. Minutes are computed by integer division of the epoch-ms
 * columns. The provider is read from the stored dispatch JSON: `json_extract` on SQLite and D1,
 * `->>` on Postgres, where sums and means are also cast back to plain numbers.
 */
import { Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { TenantId } from "../../../kernel/domain/Ids.ts"
import { ActivityStore } from "../../../kernel/store/ActivityStore.ts"
import { decodeAll, storeOperation } from "./SqlRows.ts"

const DeliveryRow = Schema.Struct({ minute: Schema.Number, provider_id: Schema.String, count: Schema.Number })
const DispatchRow = Schema.Struct({
  minute: Schema.Number,
  provider_id: Schema.String,
  delivered: Schema.Number,
  dead: Schema.Number,
  mean_latency_ms: Schema.NullOr(Schema.Number)
})

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const deliveriesPerMinute = (tenantId: TenantId, since: number) =>
    sql`SELECT (received_at / 60000) * 60000 AS minute, provider_id, COUNT(*) AS count FROM webhook_events
      WHERE tenant_id = ${tenantId} AND received_at >= ${since} GROUP BY minute, provider_id`.pipe(
      Effect.flatMap(decodeAll(DeliveryRow)),
      Effect.map((rows) => rows.map((row) => ({ minute: row.minute, providerId: row.provider_id, count: row.count }))),
      storeOperation("ActivityStore.deliveriesPerMinute")
    )

  // Entries created since `since` (the tenant's created_at index), placed in the minute they ended.
  const dispatchesPerMinute = (tenantId: TenantId, since: number) =>
    sql.onDialectOrElse({
      pg: () =>
        sql`SELECT (updated_at / 60000) * 60000 AS minute, dispatch::jsonb ->> 'providerId' AS provider_id,
            SUM(CASE WHEN status = 'delivered' THEN 1 ELSE 0 END)::int AS delivered,
            SUM(CASE WHEN status = 'dead' THEN 1 ELSE 0 END)::int AS dead,
            AVG(CASE WHEN status = 'delivered' THEN updated_at - created_at END)::float8 AS mean_latency_ms
          FROM outbox WHERE tenant_id = ${tenantId} AND created_at >= ${since} AND status IN ('delivered', 'dead')
          GROUP BY 1, 2`,
      orElse: () =>
        sql`SELECT (updated_at / 60000) * 60000 AS minute, json_extract(dispatch, '$.providerId') AS provider_id,
            SUM(CASE WHEN status = 'delivered' THEN 1 ELSE 0 END) AS delivered,
            SUM(CASE WHEN status = 'dead' THEN 1 ELSE 0 END) AS dead,
            AVG(CASE WHEN status = 'delivered' THEN updated_at - created_at END) AS mean_latency_ms
          FROM outbox WHERE tenant_id = ${tenantId} AND created_at >= ${since} AND status IN ('delivered', 'dead')
          GROUP BY minute, provider_id`
    }).pipe(
      Effect.flatMap(decodeAll(DispatchRow)),
      Effect.map((rows) =>
        rows.map((row) => ({
          minute: row.minute,
          providerId: row.provider_id,
          delivered: row.delivered,
          dead: row.dead,
          meanLatencyMs: row.mean_latency_ms
        }))
      ),
      storeOperation("ActivityStore.dispatchesPerMinute")
    )

  return ActivityStore.of({ deliveriesPerMinute, dispatchesPerMinute })
})

export const layer: Layer.Layer<ActivityStore, never, SqlClient.SqlClient> = Layer.effect(ActivityStore, make)
