/**
 * `OutboxStore` on Postgres: the SQL store (`adapters/sql/stores/OutboxStoreSql.ts`) for every
 * method but the two claims, which SQLite writes with `rowid` and `json_extract`. Here a claim
 * selects due entries `FOR UPDATE SKIP LOCKED` and moves their lease in the same statement: of
 * instances polling together, each takes entries the others have not locked, none waits on
 * another's rows, and none gets an entry twice. Leases, renewals and failures are the SQL store's
 * (compare-and-set on attempt count and lease end), so a lease lost to a SIGKILLed instance's
 * expiry is taken over by whoever polls next.
 *
 * Session order uses the columns migration 0001 generates from the dispatch JSON (`session_key`,
 * `publication_id`, `is_create`) and `seq` for insertion order. A claimed entry stays `pending`
 * until delivered, so the entry behind it is not claimable elsewhere meanwhile.
 */
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import type { TenantId } from "../../../kernel/domain/Ids.ts"
import { type ClaimOptions, DEFAULT_OPENER_GRACE_MS, OutboxStore } from "../../../kernel/store/OutboxStore.ts"
import * as OutboxStoreSql from "../../sql/stores/OutboxStoreSql.ts"
import { decodeAll, decodeFirst, storeOperation } from "../../sql/stores/SqlRows.ts"

/** The stored columns, without the generated ones the row codec does not know. */
const columns = `outbox.tenant_id, outbox.id, outbox.event_id, outbox.dispatch, outbox.status, outbox.attempts,
  outbox.next_attempt_at, outbox.last_error, outbox.created_at, outbox.updated_at`

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const base = yield* OutboxStoreSql.make

  /** As the SQL store's: nothing of the session ranks ahead, and a resume waits for its create. */
  const firstOfSession = (now: number, options: ClaimOptions | undefined) =>
    sql`NOT EXISTS (
        SELECT 1 FROM outbox AS ahead
        WHERE ahead.tenant_id = entry.tenant_id AND ahead.status = 'pending'
          AND ahead.session_key = entry.session_key AND ahead.publication_id = entry.publication_id
          AND (NOT ahead.is_create, ahead.seq) < (NOT entry.is_create, entry.seq)
      )
      AND (
        entry.is_create
        OR entry.created_at <= ${now - (options?.openerGraceMs ?? DEFAULT_OPENER_GRACE_MS)}
        OR EXISTS (
          SELECT 1 FROM outbox AS opener
          WHERE opener.tenant_id = entry.tenant_id AND opener.session_key = entry.session_key
            AND opener.publication_id = entry.publication_id AND opener.is_create
        )
      )`

  const claimDue = (now: number, leaseMs: number, limit: number, options?: ClaimOptions) =>
    sql`WITH due AS (
        SELECT entry.tenant_id, entry.id FROM outbox AS entry
        WHERE entry.status = 'pending' AND entry.next_attempt_at <= ${now} AND ${firstOfSession(now, options)}
        ORDER BY entry.next_attempt_at LIMIT ${limit}
        FOR UPDATE OF entry SKIP LOCKED
      )
      UPDATE outbox SET next_attempt_at = ${now + leaseMs}, attempts = outbox.attempts + 1, updated_at = ${now}
      FROM due WHERE outbox.tenant_id = due.tenant_id AND outbox.id = due.id
      RETURNING ${sql.literal(columns)}`.pipe(
      Effect.flatMap(decodeAll(OutboxStoreSql.OutboxRow)),
      Effect.map(OutboxStoreSql.oldestFirst),
      storeOperation("OutboxStore.claimDue")
    )

  const claim = (tenantId: TenantId, id: string, now: number, leaseMs: number, options?: ClaimOptions) =>
    sql`WITH due AS (
        SELECT entry.tenant_id, entry.id FROM outbox AS entry
        WHERE entry.tenant_id = ${tenantId} AND entry.id = ${id} AND entry.status = 'pending'
          AND entry.next_attempt_at <= ${now} AND ${firstOfSession(now, options)}
        FOR UPDATE OF entry SKIP LOCKED
      )
      UPDATE outbox SET next_attempt_at = ${now + leaseMs}, attempts = outbox.attempts + 1, updated_at = ${now}
      FROM due WHERE outbox.tenant_id = due.tenant_id AND outbox.id = due.id
      RETURNING ${sql.literal(columns)}`.pipe(
      Effect.flatMap(decodeFirst(OutboxStoreSql.OutboxRow)),
      storeOperation("OutboxStore.claim")
    )

  return OutboxStore.of({ ...base, claimDue, claim })
})

export const layer: Layer.Layer<OutboxStore, never, SqlClient.SqlClient> = Layer.effect(OutboxStore, make)
