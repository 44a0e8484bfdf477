/**
 * `OutboxStore` over any `SqlClient`. Claims are leases taken in one UPDATE ... RETURNING: the
 * statement that selects due entries also pushes their next attempt past the lease and counts
 * the attempt, so two pollers (or a poller and `claim`) never both get an entry. No transaction
 * is needed, which is what lets the same code run on D1.
 */
import { Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { EventId, type TenantId } from "../../../kernel/domain/Ids.ts"
import { SessionDispatch } from "../../../kernel/domain/SessionDispatch.ts"
import { type OutboxEntry, type OutboxQuery, OutboxStore } from "../../../kernel/store/OutboxStore.ts"
import { decodeAll, decodeFirst, storeOperation, touched } from "./SqlRows.ts"

const OutboxRow = Schema.Struct({
  id: Schema.String,
  tenantId: SessionDispatch.fields.tenantId,
  eventId: EventId,
  dispatch: Schema.fromJsonString(SessionDispatch),
  status: Schema.Literals(["pending", "delivered", "dead"]),
  attempts: Schema.Number,
  nextAttemptAt: Schema.Number,
  lastError: Schema.NullOr(Schema.String),
  createdAt: Schema.Number,
  updatedAt: Schema.Number
}).pipe(Schema.encodeKeys({
  tenantId: "tenant_id",
  eventId: "event_id",
  nextAttemptAt: "next_attempt_at",
  lastError: "last_error",
  createdAt: "created_at",
  updatedAt: "updated_at"
}))

/** RETURNING gives no order: deliver the oldest first. */
const oldestFirst = (entries: ReadonlyArray<OutboxEntry>): ReadonlyArray<OutboxEntry> =>
  [...entries].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const encode = Schema.encodeEffect(OutboxRow)

  const enqueue = (entry: OutboxEntry) =>
    encode(entry).pipe(
      Effect.flatMap((row) => sql`INSERT INTO outbox ${sql.insert(row)} ON CONFLICT DO NOTHING RETURNING id`),
      Effect.map(touched),
      storeOperation("OutboxStore.enqueue")
    )

  // The outer conditions repeat the inner ones so the statement stays correct on its own.
  const claimDue = (now: number, leaseMs: number, limit: number) =>
    sql`UPDATE outbox SET next_attempt_at = ${now + leaseMs}, attempts = attempts + 1, updated_at = ${now}
      WHERE status = 'pending' AND next_attempt_at <= ${now} AND rowid IN (
        SELECT rowid FROM outbox WHERE status = 'pending' AND next_attempt_at <= ${now}
        ORDER BY next_attempt_at LIMIT ${limit}
      )
      RETURNING *`.pipe(
      Effect.flatMap(decodeAll(OutboxRow)),
      Effect.map(oldestFirst),
      storeOperation("OutboxStore.claimDue")
    )

  // Due as well as pending: an entry a poller holds under lease is not claimable.
  const claim = (tenantId: TenantId, id: string, now: number, leaseMs: number) =>
    sql`UPDATE outbox SET next_attempt_at = ${now + leaseMs}, attempts = attempts + 1, updated_at = ${now}
      WHERE tenant_id = ${tenantId} AND id = ${id} AND status = 'pending' AND next_attempt_at <= ${now}
      RETURNING *`.pipe(
      Effect.flatMap(decodeFirst(OutboxRow)),
      storeOperation("OutboxStore.claim")
    )

  const markDelivered = (tenantId: TenantId, id: string, at: number) =>
    sql`UPDATE outbox SET status = 'delivered', updated_at = ${at}
      WHERE tenant_id = ${tenantId} AND id = ${id}`.pipe(
      Effect.asVoid,
      storeOperation("OutboxStore.markDelivered")
    )

  // A dead entry keeps its last due time; only a requeue makes it pending again.
  const markFailed = (tenantId: TenantId, id: string, error: string, nextAttemptAt: number | null, at: number) =>
    (nextAttemptAt === null
      ? sql`UPDATE outbox SET status = 'dead', last_error = ${error}, updated_at = ${at}
          WHERE tenant_id = ${tenantId} AND id = ${id}`
      : sql`UPDATE outbox SET status = 'pending', next_attempt_at = ${nextAttemptAt}, last_error = ${error},
            updated_at = ${at}
          WHERE tenant_id = ${tenantId} AND id = ${id}`).pipe(
        Effect.asVoid,
        storeOperation("OutboxStore.markFailed")
      )

  // A replay starts a new series of attempts: the count restarts, the last error stays for history.
  const requeue = (tenantId: TenantId, id: string, at: number) =>
    sql`UPDATE outbox SET status = 'pending', next_attempt_at = ${at}, attempts = 0, updated_at = ${at}
      WHERE tenant_id = ${tenantId} AND id = ${id} AND status IN ('delivered', 'dead')
      RETURNING id`.pipe(Effect.map(touched), storeOperation("OutboxStore.requeue"))

  const get = (tenantId: TenantId, id: string) =>
    sql`SELECT * FROM outbox WHERE tenant_id = ${tenantId} AND id = ${id}`.pipe(
      Effect.flatMap(decodeFirst(OutboxRow)),
      storeOperation("OutboxStore.get")
    )

  // Newest first.
  const list = (tenantId: TenantId, query: OutboxQuery) => {
    const conditions = [sql`tenant_id = ${tenantId}`]
    if (query.status !== undefined) conditions.push(sql`status = ${query.status}`)
    if (query.eventId !== undefined) conditions.push(sql`event_id = ${query.eventId}`)
    return sql`SELECT * FROM outbox WHERE ${sql.and(conditions)}
      ORDER BY created_at DESC, id DESC LIMIT ${query.limit}`.pipe(
      Effect.flatMap(decodeAll(OutboxRow)),
      storeOperation("OutboxStore.list")
    )
  }

  return OutboxStore.of({ enqueue, claimDue, claim, markDelivered, markFailed, requeue, get, list })
})

export const layer: Layer.Layer<OutboxStore, never, SqlClient.SqlClient> = Layer.effect(OutboxStore, make)
