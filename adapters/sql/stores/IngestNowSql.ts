/**
 * `IngestNow` over a synchronous SQL connection (`adapters/sqlite`): the same two statements as
 * `InstallationStore.findByAccount` and `WebhookEventStore.insertIfAbsent`, run in place. The
 * insert's text and both row codecs are the stores' own; the routing read's text is written out
 * again here in SQLite's placeholders (the store's is a tagged template, compiled per dialect for
 * SQLite, D1 and Postgres), and test/store/ingestNow.test.ts holds the two to the same answers.
 */
import { Schema } from "effect"
import { EventId } from "../../../kernel/domain/Ids.ts"
import type { IngestNowStore, IngestStatements } from "../../../kernel/store/IngestNow.ts"
import { byCreation, InstallationRow } from "./InstallationStoreSql.ts"
import { insertText, rowOf } from "./WebhookEventStoreSql.ts"

/** Runs one statement on the connection: its rows as objects. */
export type RunNow = (sql: string, params: ReadonlyArray<string | number | null>) => ReadonlyArray<unknown>

/** Runs `use` alone on the connection, or answers `undefined` when the connection is in use. */
export type Exclusive = <A>(use: (run: RunNow) => A) => A | undefined

const FIND_BY_ACCOUNT = "SELECT * FROM installations\n      WHERE provider_id = ? AND external_account_id = ?"

const decodeInstallations = Schema.decodeUnknownSync(Schema.Array(InstallationRow))
const Inserted = Schema.Array(Schema.Struct({ id: EventId }))
const decodeInserted = Schema.decodeUnknownSync(Inserted)

/** Statement texts by row count, built once each. */
const texts = new Map<number, string>()
const textOf = (rows: number): string => {
  let text = texts.get(rows)
  if (text === undefined) texts.set(rows, text = insertText(rows, false))
  return text
}

export const make = (exclusive: Exclusive): IngestNowStore => ({
  now: (use) =>
    exclusive((run) => {
      const statements: IngestStatements = {
        findByAccount: (providerId, externalAccountId) => {
          const rows = run(FIND_BY_ACCOUNT, [providerId, externalAccountId])
          if (rows.length === 0) return []
          const found = decodeInstallations(rows)
          return found.length < 2 ? found : [...found].sort(byCreation)
        },
        insertIfAbsent: (rows) =>
          rows.length === 0 ? [] : decodeInserted(run(textOf(rows.length), rows.flatMap((row) => rowOf(row.event, row.contentDigest)))).map((row) => row.id)
      }
      return use(statements)
    })
})
