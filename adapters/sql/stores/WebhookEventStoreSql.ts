/**
 * `WebhookEventStore` over any `SqlClient`. The dedupe is two unique keys, (tenant, provider,
 * delivery id) and (tenant, provider, content_digest) (migration 0003): `insertIfAbsent` is one
 * INSERT ... ON CONFLICT DO NOTHING, which yields to a conflict on either, so of concurrent copies
 * exactly one inserts, across connections and instances sharing the database (and within one
 * statement: of two copies in the same group, the second conflicts with the first). Concurrent
 * inserts are group-committed (`GroupInsert.ts`): one statement, one commit, for the rows of every
 * request in flight, each answered once that commit is done. A NULL digest (rows from before
 * 0003, events not received signed) never conflicts. Scoped by tenant except `listUndecided`, the
 * recovery sweep.
 */
import { Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { EventId, TenantId } from "../../../kernel/domain/Ids.ts"
import { WebhookEvent, type WebhookEventStatus } from "../../../kernel/domain/WebhookEvent.ts"
import { type InsertOptions, type WebhookEventQuery, WebhookEventStore } from "../../../kernel/store/WebhookEventStore.ts"
import { makeGroupInsert } from "./GroupInsert.ts"
import { decodeAll, decodeFirst, storeOperation, touched } from "./SqlRows.ts"

const COLUMNS = [
  "id",
  "tenant_id",
  "provider_id",
  "delivery_id",
  "event_type",
  "external_account_id",
  "status",
  "reason",
  "headers",
  "body",
  "received_at",
  "updated_at",
  "content_digest"
] as const

/** D1 binds at most 100 parameters per statement: 7 rows of 13 columns. */
const MAX_GROUP_ROWS = Math.floor(100 / COLUMNS.length)

const WebhookEventRow = Schema.Struct({
  ...WebhookEvent.fields,
  headers: Schema.fromJsonString(Schema.Record(Schema.String, Schema.String))
}).pipe(Schema.encodeKeys({
  tenantId: "tenant_id",
  providerId: "provider_id",
  deliveryId: "delivery_id",
  eventType: "event_type",
  externalAccountId: "external_account_id",
  receivedAt: "received_at",
  updatedAt: "updated_at"
}))

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const insert = makeGroupInsert(sql, { table: "webhook_events", columns: COLUMNS, key: "id", maxRows: MAX_GROUP_ROWS })

  // The event is the kernel's own typed value, not input: its columns are written as they are.
  const insertIfAbsent = (event: WebhookEvent, options?: InsertOptions) =>
    insert([
      event.id,
      event.tenantId,
      event.providerId,
      event.deliveryId,
      event.eventType,
      event.externalAccountId,
      event.status,
      event.reason,
      JSON.stringify(event.headers),
      event.body,
      event.receivedAt,
      event.updatedAt,
      options?.contentDigest ?? null
    ], event.id).pipe(storeOperation("WebhookEventStore.insertIfAbsent"))

  const get = (tenantId: TenantId, id: EventId) =>
    sql`SELECT * FROM webhook_events WHERE tenant_id = ${tenantId} AND id = ${id}`.pipe(
      Effect.flatMap(decodeFirst(WebhookEventRow)),
      storeOperation("WebhookEventStore.get")
    )

  // Newest first; `after` pages by (receipt time, id), so events received in the same millisecond
  // are neither skipped nor repeated at a page's edge.
  const list = (tenantId: TenantId, query: WebhookEventQuery) => {
    const conditions = [sql`tenant_id = ${tenantId}`]
    if (query.providerId !== undefined) conditions.push(sql`provider_id = ${query.providerId}`)
    if (query.status !== undefined) conditions.push(sql`status = ${query.status}`)
    if (query.before !== undefined) conditions.push(sql`received_at < ${query.before}`)
    if (query.since !== undefined) conditions.push(sql`received_at >= ${query.since}`)
    if (query.after !== undefined) {
      const { id, receivedAt } = query.after
      // The bound on received_at alone lets the index seek to the page instead of walking from the newest.
      conditions.push(sql`received_at <= ${receivedAt}`)
      conditions.push(sql`(received_at < ${receivedAt} OR id < ${id})`)
    }
    return sql`SELECT * FROM webhook_events WHERE ${sql.and(conditions)}
      ORDER BY received_at DESC, id DESC LIMIT ${query.limit}`.pipe(
      Effect.flatMap(decodeAll(WebhookEventRow)),
      storeOperation("WebhookEventStore.list")
    )
  }

  const setStatus = (tenantId: TenantId, id: EventId, status: WebhookEventStatus, reason: string | null, at: number) =>
    sql`UPDATE webhook_events SET status = ${status}, reason = ${reason}, updated_at = ${at}
      WHERE tenant_id = ${tenantId} AND id = ${id}
      RETURNING id`.pipe(Effect.map(touched), storeOperation("WebhookEventStore.setStatus"))

  // Oldest first, so a sweep that stops at `limit` resumes where it left off.
  const listUndecided = (olderThan: number, limit: number) =>
    sql`SELECT * FROM webhook_events WHERE status = 'received' AND received_at < ${olderThan}
      ORDER BY received_at, id LIMIT ${limit}`.pipe(
      Effect.flatMap(decodeAll(WebhookEventRow)),
      storeOperation("WebhookEventStore.listUndecided")
    )

  return WebhookEventStore.of({ insertIfAbsent, get, list, setStatus, listUndecided })
})

export const layer: Layer.Layer<WebhookEventStore, never, SqlClient.SqlClient> = Layer.effect(WebhookEventStore, make)
