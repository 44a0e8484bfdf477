/**
 * `WebhookEventStore` over any `SqlClient`. The dedupe is two unique keys, (tenant, provider,
 * delivery id) and (tenant, provider, content_digest) (migration 0003): `insertIfAbsent` is one
 * INSERT ... ON CONFLICT DO NOTHING, which yields to a conflict on either, so of concurrent copies
 * exactly one inserts, across connections and instances sharing the database (and within one
 * statement: of two copies in the same group, the second conflicts with the first). Concurrent
 * inserts are group-committed (`GroupInsert.ts`): one statement, one commit, for the rows of every
 * request in flight, each answered once that commit is done; so are status changes (the decision
 * of each event in flight, one statement per status and reason, the latest `at` of the statement
 * as the rows' `updated_at`). A NULL digest (rows from before
 * 0003, events not received signed) never conflicts. Scoped by tenant except `listUndecided` and
 * `claimUndecided`, the recovery sweep.
 */
import { Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { EventId, TenantId } from "../../../kernel/domain/Ids.ts"
import { WebhookEvent, type WebhookEventStatus } from "../../../kernel/domain/WebhookEvent.ts"
import { type InsertOptions, type WebhookEventQuery, WebhookEventStore } from "../../../kernel/store/WebhookEventStore.ts"
import { makeGroupInsert } from "./GroupInsert.ts"
import { makeGroupStatement } from "./GroupStatement.ts"
import { decodeAll, decodeAt, decodeFirst, storeOperation, touched } from "./SqlRows.ts"

/** D1 binds at most 100 parameters per statement: 7 rows of 13 columns. */
const MAX_GROUP_ROWS = 7
/** Two parameters an event, plus status, reason and time: within D1's 100. */
const MAX_STATUS_ROWS = 40

interface StatusChange {
  readonly tenantId: TenantId
  readonly id: EventId
  readonly status: WebhookEventStatus
  readonly reason: string | null
  readonly at: number
}

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

const MarkRow = Schema.Struct({ events_before: Schema.Number })
const ReceivedRow = Schema.Struct({ received_at: Schema.Number })

/** The columns a row is written with, in the order of its values. */
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

/** A row as written: its values in `COLUMNS` order (the id first). */
type Values = readonly [id: string, ...rest: ReadonlyArray<string | number | null>]

/**
 * `INSERT ... VALUES (...), ... ON CONFLICT DO NOTHING RETURNING id` for `rows` rows, with the
 * engine's placeholders (`?` on SQLite and D1, `$n` on Postgres).
 */
export const insertText = (rows: number, numbered: boolean): string => {
  let parameter = 0
  const tuple = () => `(${COLUMNS.map(() => numbered ? `$${++parameter}` : "?").join(", ")})`
  return `INSERT INTO webhook_events (${COLUMNS.join(", ")}) VALUES ${Array.from({ length: rows }, tuple).join(", ")} ON CONFLICT DO NOTHING RETURNING id`
}

/** A row's values. The event is the kernel's own typed value, not input: its columns are written as they are. */
export const rowOf = (event: WebhookEvent, contentDigest: string | null): Values => [
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
  contentDigest
]

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // One text per group size, built once: a group's statement is a cache hit in the client's
  // prepared statements, with no per-group compile of the rows (as `sql.insert` does).
  const numbered = sql.onDialectOrElse({ pg: () => true, orElse: () => false })
  const texts = Array.from({ length: MAX_GROUP_ROWS + 1 }, (_, rows) => rows === 0 ? "" : insertText(rows, numbered))
  const insert = makeGroupInsert<Values>({
    maxRows: MAX_GROUP_ROWS,
    keyOf: (row) => row[0],
    write: (rows) =>
      rows.length === 0 ? Effect.succeed([]) : Effect.map(
        sql.unsafe<{ readonly id: string }>(texts[rows.length]!, rows.flat()),
        (inserted) => inserted.map((row) => row.id)
      )
  })

  const insertIfAbsent = (event: WebhookEvent, options?: InsertOptions) =>
    insert(rowOf(event, options?.contentDigest ?? null)).pipe(storeOperation("WebhookEventStore.insertIfAbsent"))

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

  const keyOf = (tenantId: string, id: string) => `${tenantId}/${id}`

  // The changes of a group that set the same status and reason share one statement.
  const setSame = (changes: ReadonlyArray<StatusChange>) =>
    sql<{ readonly tenant_id: string; readonly id: string }>`UPDATE webhook_events
      SET status = ${changes[0]!.status}, reason = ${changes[0]!.reason}, updated_at = ${Math.max(...changes.map((change) => change.at))}
      WHERE ${sql.or(changes.map((change) => sql`(tenant_id = ${change.tenantId} AND id = ${change.id})`))}
      RETURNING tenant_id, id`

  const setGroupStatus = makeGroupStatement<StatusChange, boolean>({
    maxRows: MAX_STATUS_ROWS,
    write: (changes) => {
      // Statements by status and reason; an event changed twice in one group gets its second
      // change in a later statement, so the changes land in the order they were made.
      const statements: Array<Map<string, Array<StatusChange>>> = []
      const seen: Array<Set<string>> = []
      for (const change of changes) {
        const event = keyOf(change.tenantId, change.id)
        let round = seen.findIndex((events) => !events.has(event))
        if (round === -1) {
          round = seen.push(new Set()) - 1
          statements.push(new Map())
        }
        seen[round]!.add(event)
        const key = JSON.stringify([change.status, change.reason])
        const same = statements[round]!.get(key)
        if (same === undefined) statements[round]!.set(key, [change])
        else same.push(change)
      }
      return Effect.map(Effect.forEach(statements.flatMap((round) => [...round.values()]), setSame), (updated) => {
        const touchedKeys = new Set(updated.flat().map((row) => keyOf(row.tenant_id, row.id)))
        return changes.map((change) => touchedKeys.has(keyOf(change.tenantId, change.id)))
      })
    }
  })

  const setStatus = (tenantId: TenantId, id: EventId, status: WebhookEventStatus, reason: string | null, at: number) =>
    setGroupStatus({ tenantId, id, status, reason, at }).pipe(storeOperation("WebhookEventStore.setStatus"))

  // Oldest first, so a sweep that stops at `limit` resumes where it left off.
  const listUndecided = (olderThan: number, limit: number) =>
    sql`SELECT * FROM webhook_events WHERE status = 'received' AND received_at < ${olderThan}
      ORDER BY received_at, id LIMIT ${limit}`.pipe(
      Effect.flatMap(decodeAll(WebhookEventRow)),
      storeOperation("WebhookEventStore.listUndecided")
    )

  // One seek on the partial index of undecided events (received_at, id WHERE status = 'received').
  const firstUndecidedSince = (since: number) =>
    sql`SELECT MIN(received_at) AS at FROM webhook_events WHERE status = 'received' AND received_at >= ${since}`.pipe(
      Effect.flatMap(decodeAt),
      storeOperation("WebhookEventStore.firstUndecidedSince")
    )

  // The outer conditions repeat the inner ones: a claim that raced this one and committed first
  // has moved updated_at, and Postgres re-checks a row it waited for. On Postgres the picking is
  // a CTE, evaluated once (a LIMIT in an IN subquery may be re-run per row there), that skips
  // rows another sweep has locked rather than waiting for them.
  const claimUndecided = (olderThan: number, now: number, leaseMs: number, limit: number) => {
    const free = now - leaseMs
    const due = sql`status = 'received' AND received_at < ${olderThan} AND updated_at <= ${free}`
    return sql.onDialectOrElse({
      pg: () =>
        sql`WITH picked AS (
            SELECT tenant_id, id FROM webhook_events WHERE ${due}
            ORDER BY received_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED
          )
          UPDATE webhook_events SET updated_at = ${now} FROM picked
          WHERE webhook_events.tenant_id = picked.tenant_id AND webhook_events.id = picked.id AND ${due}
          RETURNING webhook_events.*`,
      orElse: () =>
        sql`UPDATE webhook_events SET updated_at = ${now}
          WHERE ${due} AND (tenant_id, id) IN (
            SELECT tenant_id, id FROM webhook_events WHERE ${due} ORDER BY received_at, id LIMIT ${limit}
          )
          RETURNING *`
    }).pipe(
      Effect.flatMap(decodeAll(WebhookEventRow)),
      // RETURNING gives no order.
      Effect.map((events) => [...events].sort((a, b) => a.receivedAt - b.receivedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))),
      storeOperation("WebhookEventStore.claimUndecided")
    )
  }

  // From the tenant's mark (migration 0012): the rows before it are emptied already, and walking
  // them again on every pass would cost as much as the tenant's history is long. Instances pruning
  // together empty the same rows twice at worst, and a mark only moves forward.
  const pruneBodies = (tenantId: TenantId, before: number, limit: number) =>
    Effect.gen(function*() {
      const [mark] = yield* sql`SELECT events_before FROM retention_marks WHERE tenant_id = ${tenantId}`.pipe(
        Effect.flatMap(decodeAll(MarkRow))
      )
      const from = mark?.events_before ?? 0
      if (from >= before) return 0
      const emptied = yield* sql`UPDATE webhook_events SET body = '', headers = '{}'
        WHERE tenant_id = ${tenantId} AND id IN (
          SELECT id FROM webhook_events
          WHERE tenant_id = ${tenantId} AND received_at >= ${from} AND received_at < ${before}
            AND status <> 'received' AND body <> ''
          ORDER BY received_at LIMIT ${limit}
        )
        RETURNING received_at`.pipe(Effect.flatMap(decodeAll(ReceivedRow)))
      // A full batch may have more behind it at its last receipt time: start there next time.
      const reached = emptied.length < limit ? before : Math.max(...emptied.map((row) => row.received_at))
      yield* sql`INSERT INTO retention_marks (tenant_id, events_before) VALUES (${tenantId}, ${reached})
        ON CONFLICT (tenant_id) DO UPDATE SET events_before = CASE
          WHEN excluded.events_before > retention_marks.events_before THEN excluded.events_before
          ELSE retention_marks.events_before END`
      return emptied.length
    }).pipe(storeOperation("WebhookEventStore.pruneBodies"))

  return WebhookEventStore.of({ insertIfAbsent, get, list, setStatus, pruneBodies, listUndecided, claimUndecided, firstUndecidedSince })
})

export const layer: Layer.Layer<WebhookEventStore, never, SqlClient.SqlClient> = Layer.effect(WebhookEventStore, make)
