/**
 * `OutboxStore` over any `SqlClient`. Claims are leases taken in one UPDATE ... RETURNING: the
 * statement that selects due entries also pushes their next attempt past the lease and counts
 * the attempt, so two pollers (or a poller and `claim`) never both get an entry. Renewals and
 * failures compare the lease (attempt count and lease end) in their WHERE clause, so only the
 * holder's statement matches. No transaction is needed, which is what lets the same code run
 * on D1. Session order is read from the stored dispatch JSON (`json_extract`, indexed by
 * migration 0002): SQLite and D1 only.
 *
 * Enqueues and delivered marks are group-committed (`GroupStatement.ts`): the entries of every
 * decision and delivery in flight go in with one statement, one commit, each caller answered once
 * it has run. A delivered mark's `updated_at` is the latest of its statement's (they differ by the
 * wait for the group, a turn of the event loop).
 */
import { Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { EventId, type TenantId } from "../../../kernel/domain/Ids.ts"
import { dispatchJson } from "../../../kernel/domain/DispatchJson.ts"
import { SessionDispatch } from "../../../kernel/domain/SessionDispatch.ts"
import {
  type ClaimOptions,
  DEFAULT_OPENER_GRACE_MS,
  type Lease,
  type OutboxEntry,
  type OutboxQuery,
  OutboxStore
} from "../../../kernel/store/OutboxStore.ts"
import { makeGroupInsert } from "./GroupInsert.ts"
import { makeGroupStatement } from "./GroupStatement.ts"
import { decodeAll, decodeAt, decodeFirst, storeOperation, touched } from "./SqlRows.ts"

/** D1 binds at most 100 parameters per statement: 10 entries of 10 columns. */
const MAX_ENQUEUE_ROWS = 10
/** Two parameters an entry and the time: within D1's 100. */
const MAX_DELIVERED_ROWS = 40

interface Delivered {
  readonly tenantId: TenantId
  readonly id: string
  readonly at: number
}

export const OutboxRow = Schema.Struct({
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

const CountRow = Schema.Struct({ count: Schema.Number })
const PendingRow = Schema.Struct({ count: Schema.Number, oldest: Schema.NullOr(Schema.Number) })
const LeaseRow = Schema.Struct({ attempt: Schema.Number, until: Schema.Number })

/**
 * An entry as written: `OutboxRow`'s encoding, its dispatch's JSON by `dispatchJson` (the same
 * text without walking the schema). The entry is the kernel's own typed value, not input.
 */
export const rowOf = (entry: OutboxEntry): typeof OutboxRow.Encoded => ({
  id: entry.id,
  tenant_id: entry.tenantId,
  event_id: entry.eventId,
  dispatch: dispatchJson(entry.dispatch),
  status: entry.status,
  attempts: entry.attempts,
  next_attempt_at: entry.nextAttemptAt,
  last_error: entry.lastError,
  created_at: entry.createdAt,
  updated_at: entry.updatedAt
})

/** RETURNING gives no order: deliver the oldest first. */
export const oldestFirst = (entries: ReadonlyArray<OutboxEntry>): ReadonlyArray<OutboxEntry> =>
  [...entries].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  /**
   * Whether the row aliased `entry` is first of its session (tenant, publication, session key):
   * no other pending entry of it ranks ahead (a create ranks before everything else, then
   * insertion order), and a resume whose session has no create in the outbox yet waits out the
   * grace (the create may be between its bind and its enqueue).
   */
  const firstOfSession = (now: number, options: ClaimOptions | undefined) =>
    sql`NOT EXISTS (
        SELECT 1 FROM outbox AS ahead
        WHERE ahead.tenant_id = entry.tenant_id AND ahead.status = 'pending'
          AND json_extract(ahead.dispatch, '$.sessionKey') = json_extract(entry.dispatch, '$.sessionKey')
          AND json_extract(ahead.dispatch, '$.publicationId') = json_extract(entry.dispatch, '$.publicationId')
          AND (json_extract(ahead.dispatch, '$.mode') <> 'create', ahead.rowid)
            < (json_extract(entry.dispatch, '$.mode') <> 'create', entry.rowid)
      )
      AND (
        json_extract(entry.dispatch, '$.mode') = 'create'
        OR entry.created_at <= ${now - (options?.openerGraceMs ?? DEFAULT_OPENER_GRACE_MS)}
        OR EXISTS (
          SELECT 1 FROM outbox AS opener
          WHERE opener.tenant_id = entry.tenant_id
            AND json_extract(opener.dispatch, '$.sessionKey') = json_extract(entry.dispatch, '$.sessionKey')
            AND json_extract(opener.dispatch, '$.publicationId') = json_extract(entry.dispatch, '$.publicationId')
            AND json_extract(opener.dispatch, '$.mode') = 'create'
        )
      )`

  const keyOf = (tenantId: string, id: string) => `${tenantId}/${id}`

  const insertEntry = makeGroupInsert<typeof OutboxRow.Encoded>({
    maxRows: MAX_ENQUEUE_ROWS,
    keyOf: (row) => keyOf(row.tenant_id, row.id),
    write: ([first, ...rest]) =>
      first === undefined ? Effect.succeed([]) : Effect.map(
        sql<{ readonly tenant_id: string; readonly id: string }>`INSERT INTO outbox ${sql.insert([{ ...first }, ...rest.map((row) => ({ ...row }))])}
          ON CONFLICT DO NOTHING RETURNING tenant_id, id`,
        (inserted) => inserted.map((row) => keyOf(row.tenant_id, row.id))
      )
  })

  const enqueue = (entry: OutboxEntry) => insertEntry(rowOf(entry)).pipe(storeOperation("OutboxStore.enqueue"))

  // The outer conditions repeat the inner ones so the statement stays correct on its own; their
  // unary `+` keeps them off the (status, next_attempt_at) index, so the update finds its few rows
  // by rowid instead of walking every due entry again (a backlog of thousands while saturated).
  const claimDue = (now: number, leaseMs: number, limit: number, options?: ClaimOptions) =>
    sql`UPDATE outbox SET next_attempt_at = ${now + leaseMs}, attempts = attempts + 1, updated_at = ${now}
      WHERE +status = 'pending' AND +next_attempt_at <= ${now} AND rowid IN (
        SELECT entry.rowid FROM outbox AS entry
        WHERE entry.status = 'pending' AND entry.next_attempt_at <= ${now} AND ${firstOfSession(now, options)}
        ORDER BY entry.next_attempt_at LIMIT ${limit}
      )
      RETURNING *`.pipe(
      Effect.flatMap(decodeAll(OutboxRow)),
      Effect.map(oldestFirst),
      storeOperation("OutboxStore.claimDue")
    )

  // Due as well as pending: an entry a poller holds under lease is not claimable.
  const claim = (tenantId: TenantId, id: string, now: number, leaseMs: number, options?: ClaimOptions) =>
    sql`UPDATE outbox SET next_attempt_at = ${now + leaseMs}, attempts = attempts + 1, updated_at = ${now}
      WHERE tenant_id = ${tenantId} AND id = ${id} AND status = 'pending' AND next_attempt_at <= ${now}
        AND rowid IN (
          SELECT entry.rowid FROM outbox AS entry
          WHERE entry.tenant_id = ${tenantId} AND entry.id = ${id} AND ${firstOfSession(now, options)}
        )
      RETURNING *`.pipe(
      Effect.flatMap(decodeFirst(OutboxRow)),
      storeOperation("OutboxStore.claim")
    )

  const renew = (tenantId: TenantId, id: string, lease: Lease, until: number) =>
    sql`UPDATE outbox SET next_attempt_at = ${until}
      WHERE tenant_id = ${tenantId} AND id = ${id} AND status = 'pending'
        AND attempts = ${lease.attempt} AND next_attempt_at = ${lease.until}
      RETURNING attempts AS attempt, next_attempt_at AS until`.pipe(
      Effect.flatMap(decodeFirst(LeaseRow)),
      Effect.map(Option.map((row): Lease => ({ attempt: row.attempt, until: row.until }))),
      storeOperation("OutboxStore.renew")
    )

  const markGroupDelivered = makeGroupStatement<Delivered, void>({
    maxRows: MAX_DELIVERED_ROWS,
    write: (rows) =>
      Effect.as(
        sql`UPDATE outbox SET status = 'delivered', updated_at = ${Math.max(...rows.map((row) => row.at))}
          WHERE ${sql.or(rows.map((row) => sql`(tenant_id = ${row.tenantId} AND id = ${row.id})`))}`,
        rows.map(() => undefined)
      )
  })

  const markDelivered = (tenantId: TenantId, id: string, at: number) =>
    markGroupDelivered({ tenantId, id, at }).pipe(storeOperation("OutboxStore.markDelivered"))

  // A dead entry keeps its last due time; only a requeue makes it pending again.
  const markFailed = (
    tenantId: TenantId,
    id: string,
    lease: Lease,
    error: string,
    nextAttemptAt: number | null,
    at: number
  ) => {
    const held = sql`tenant_id = ${tenantId} AND id = ${id} AND status = 'pending'
      AND attempts = ${lease.attempt} AND next_attempt_at = ${lease.until}`
    return (nextAttemptAt === null
      ? sql`UPDATE outbox SET status = 'dead', last_error = ${error}, updated_at = ${at} WHERE ${held} RETURNING id`
      : sql`UPDATE outbox SET next_attempt_at = ${nextAttemptAt}, last_error = ${error}, updated_at = ${at}
          WHERE ${held} RETURNING id`).pipe(
        Effect.map(touched),
        storeOperation("OutboxStore.markFailed")
      )
  }

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

  // Two statements on the (status, next_attempt_at) index: the dead count never reads a row.
  const depth = Effect.gen(function*() {
    const [pending] = yield* sql`SELECT COUNT(*) AS count, MIN(created_at) AS oldest FROM outbox WHERE status = 'pending'`.pipe(
      Effect.flatMap(decodeAll(PendingRow))
    )
    const [dead] = yield* sql`SELECT COUNT(*) AS count FROM outbox WHERE status = 'dead'`.pipe(Effect.flatMap(decodeAll(CountRow)))
    return { pending: pending?.count ?? 0, dead: dead?.count ?? 0, oldestPendingAt: pending?.oldest ?? null }
  }).pipe(storeOperation("OutboxStore.depth"))

  // One seek on the (status, next_attempt_at) index: the first pending entry past `now`.
  const nextDueAfter = (now: number) =>
    sql`SELECT MIN(next_attempt_at) AS at FROM outbox WHERE status = 'pending' AND next_attempt_at > ${now}`.pipe(
      Effect.flatMap(decodeAt),
      storeOperation("OutboxStore.nextDueAfter")
    )

  // On the (tenant, created_at) index; an old entry still pending is passed over, not deleted.
  const pruneDone = (tenantId: TenantId, before: number, limit: number) =>
    sql`DELETE FROM outbox WHERE tenant_id = ${tenantId} AND id IN (
        SELECT id FROM outbox WHERE tenant_id = ${tenantId} AND created_at < ${before} AND status <> 'pending'
        ORDER BY created_at LIMIT ${limit}
      )
      RETURNING id`.pipe(Effect.map((rows) => rows.length), storeOperation("OutboxStore.pruneDone"))

  return OutboxStore.of({ enqueue, claimDue, claim, renew, markDelivered, markFailed, requeue, get, list, pruneDone, nextDueAfter, depth })
})

export const layer: Layer.Layer<OutboxStore, never, SqlClient.SqlClient> = Layer.effect(OutboxStore, make)
