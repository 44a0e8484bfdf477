/**
 * The two statements a webhook's acknowledgement needs (its account's installations, its rows),
 * run synchronously on the database connection, for the webhook lane (`webhooks/WebhookLane.ts`).
 * An embedded SQLite driver answers in place (microseconds); through the Effect `SqlClient` the
 * same two statements cost a lease on the connection, a fiber hop each and a group-commit round,
 * a large share of a delivery's cost (issue 14's bench).
 *
 * Only a synchronous engine provides it (`adapters/sqlite`): Postgres and D1 leave it undefined,
 * and every delivery takes the Effect pipeline (`Webhooks.ts`). `now` runs only when nothing else
 * holds or awaits the connection, so the lane's statements are never swept into a transaction in
 * flight (or its rollback); otherwise it answers `undefined` and the lane steps aside.
 */
import { Context } from "effect"
import type { EventId, ProviderId } from "../domain/Ids.ts"
import type { Installation } from "../domain/Installation.ts"
import type { WebhookEvent } from "../domain/WebhookEvent.ts"

export interface StoredRow {
  readonly event: WebhookEvent
  /** Hex SHA-256 of the signed body (`WebhookEventStore.InsertOptions`). */
  readonly contentDigest: string
}

export interface IngestStatements {
  /** As `InstallationStore.findByAccount`: every tenant's installation of the account, oldest first. */
  readonly findByAccount: (providerId: ProviderId, externalAccountId: string) => ReadonlyArray<Installation>
  /**
   * As `WebhookEventStore.insertIfAbsent` for each event (with its body's digest), in one
   * statement (one commit): the ids of the events stored, the others being duplicates of stored
   * rows or of an earlier row of the same statement.
   */
  readonly insertIfAbsent: (rows: ReadonlyArray<StoredRow>) => ReadonlyArray<EventId>
}

export interface IngestNowStore {
  /**
   * Runs `use` now, alone on the connection; `undefined` when the connection is held or awaited.
   * The database's own errors (another process's lock, a constraint) are thrown as they are.
   */
  readonly now: <A>(use: (statements: IngestStatements) => A) => A | undefined
}

export const IngestNow = Context.Reference<IngestNowStore | undefined>("switchboard/store/IngestNow", {
  defaultValue: () => undefined
})
