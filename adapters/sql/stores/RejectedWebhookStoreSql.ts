/**
 * `RejectedWebhookStore` over any `SqlClient`. `record` is an insert and a delete of the
 * provider's rows older than its `keep`-th newest (two statements, no transaction: a race may
 * leave a row or two over the bound until the next insert, never more).
 */
import { Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { RejectedWebhook } from "../../../kernel/domain/RejectedWebhook.ts"
import type { TenantId } from "../../../kernel/domain/Ids.ts"
import { type RejectedWebhookQuery, RejectedWebhookStore } from "../../../kernel/store/RejectedWebhookStore.ts"
import { decodeAll, storeOperation } from "./SqlRows.ts"

const RejectedWebhookRow = Schema.Struct({
  ...RejectedWebhook.fields,
  headers: Schema.fromJsonString(Schema.Record(Schema.String, Schema.String))
}).pipe(Schema.encodeKeys({ tenantId: "tenant_id", providerId: "provider_id", receivedAt: "received_at" }))

const MinuteRow = Schema.Struct({ minute: Schema.Number, provider_id: Schema.String, count: Schema.Number })

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const encode = Schema.encodeEffect(RejectedWebhookRow)

  const record = (rejected: RejectedWebhook, keep: number) =>
    Effect.gen(function*() {
      yield* sql`INSERT INTO rejected_webhooks ${sql.insert(yield* encode(rejected))}`
      // The keep-th newest row's time; without one (fewer rows) the comparison is NULL: nothing goes.
      yield* sql`DELETE FROM rejected_webhooks WHERE provider_id = ${rejected.providerId} AND received_at < (
        SELECT received_at FROM rejected_webhooks WHERE provider_id = ${rejected.providerId}
        ORDER BY received_at DESC LIMIT 1 OFFSET ${keep - 1})`
    }).pipe(storeOperation("RejectedWebhookStore.record"))

  const list = (query: RejectedWebhookQuery) => {
    const conditions = [sql`1 = 1`]
    if (query.providerId !== undefined) conditions.push(sql`provider_id = ${query.providerId}`)
    if (query.tenantId !== undefined) conditions.push(sql`tenant_id = ${query.tenantId}`)
    if (query.before !== undefined) conditions.push(sql`received_at < ${query.before}`)
    return sql`SELECT * FROM rejected_webhooks WHERE ${sql.and(conditions)}
      ORDER BY received_at DESC, id DESC LIMIT ${query.limit}`.pipe(
      Effect.flatMap(decodeAll(RejectedWebhookRow)),
      storeOperation("RejectedWebhookStore.list")
    )
  }

  const perMinute = (since: number, tenantId: TenantId | undefined) =>
    (tenantId === undefined
      ? sql`SELECT (received_at / 60000) * 60000 AS minute, provider_id, COUNT(*) AS count FROM rejected_webhooks
          WHERE received_at >= ${since} GROUP BY minute, provider_id`
      : sql`SELECT (received_at / 60000) * 60000 AS minute, provider_id, COUNT(*) AS count FROM rejected_webhooks
          WHERE tenant_id = ${tenantId} AND received_at >= ${since} GROUP BY minute, provider_id`).pipe(
      Effect.flatMap(decodeAll(MinuteRow)),
      Effect.map((rows) => rows.map((row) => ({ minute: row.minute, providerId: row.provider_id, count: row.count }))),
      storeOperation("RejectedWebhookStore.perMinute")
    )

  return RejectedWebhookStore.of({ record, list, perMinute })
})

export const layer: Layer.Layer<RejectedWebhookStore, never, SqlClient.SqlClient> = Layer.effect(RejectedWebhookStore, make)
