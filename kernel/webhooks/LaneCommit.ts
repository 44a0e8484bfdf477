/**
 * The webhook lane's group commit: the deliveries that arrive within one event-loop turn are
 * stored by one statement, one commit (on SQLite a commit with its five index updates is most of
 * a delivery's cost; rows of eight per commit cost about a third less each, issue 14's bench).
 * Nobody is answered before the statement that holds their row has returned.
 *
 * For each delivery, when its turn comes and alone on the connection: the account's
 * installations are read (once a round per account), the tenants' limits admit it, its rows
 * (`EventRows.ts`) are written with the others'. A delivery the limits refuse is not written, and
 * answers `undefined`, as does every delivery of a round that found the connection in use or that
 * the database refused (one statement: none of its rows is written): the lane then gives them to
 * the Effect pipeline, which reads, admits and stores them as it always has.
 */
import { Option } from "effect"
import type { Installation } from "../domain/Installation.ts"
import type { WebhookEvent } from "../domain/WebhookEvent.ts"
import type { IntegrationProvider } from "../provider/Provider.ts"
import { nextTurn } from "../runtime/NextTurn.ts"
import type { IngestNowStore, IngestStatements, StoredRow } from "../store/IngestNow.ts"
import { eventRows } from "./EventRows.ts"
import { ownersFor } from "./Owners.ts"
import type { DecodedWebhook } from "./Receiver.ts"

export interface Arrival {
  readonly provider: Pick<IntegrationProvider, "id" | "webhook">
  readonly delivery: DecodedWebhook
  readonly headers: Headers
  readonly receivedAt: number
}

export interface Stored {
  readonly owners: ReadonlyArray<Installation>
  /** The rows that were new (none for a duplicate). */
  readonly inserted: ReadonlyArray<WebhookEvent>
  /** Deliveries the same statement wrote (this one included), for its trace. */
  readonly round: number
}

/** Rows per statement: far under SQLite's 32,766 parameters at 13 columns a row. */
const MAX_ROWS = 64

interface Pending extends Arrival {
  readonly done: (stored: Stored | undefined) => void
}

export const makeLaneCommit = (
  ingest: IngestNowStore,
  /** Spends the tenants' allowance; false when a limit refuses the delivery. */
  admit: (owners: ReadonlyArray<Installation>) => boolean
) => {
  let queue: Array<Pending> = []

  const plan = (accountOwners: IngestStatements["findByAccount"], arrival: Arrival) => {
    const account = arrival.delivery.externalAccountId
    const owners = ownersFor(Option.isSome(account) ? accountOwners(arrival.provider.id, account.value) : [], Option.none())
    if (!admit(owners)) return undefined
    return { owners, rows: eventRows(arrival.provider, arrival.delivery, owners, arrival.headers, arrival.receivedAt) }
  }

  const write = (taken: ReadonlyArray<Pending>): ReadonlyArray<Stored | undefined> => {
    try {
      const written = ingest.now((statements) => {
        // An account's installations are read once a round: a burst mostly comes from a few vendor
        // accounts, and nothing writes installations between the round's reads (one snapshot).
        const read = new Map<string, ReadonlyArray<Installation>>()
        const accountOwners: IngestStatements["findByAccount"] = (providerId, account) => {
          const key = `${providerId}\u0000${account}`
          let owners = read.get(key)
          if (owners === undefined) read.set(key, owners = statements.findByAccount(providerId, account))
          return owners
        }
        const plans = taken.map((arrival) => plan(accountOwners, arrival))
        const rows: Array<StoredRow> = []
        plans.forEach((planned, index) => {
          if (planned !== undefined) for (const event of planned.rows) rows.push({ event, contentDigest: taken[index]!.delivery.contentDigest })
        })
        const ids = new Set<string>(statements.insertIfAbsent(rows))
        const round = plans.filter((planned) => planned !== undefined).length
        return plans.map((planned): Stored | undefined =>
          planned === undefined ? undefined : { owners: planned.owners, inserted: planned.rows.filter((row) => ids.has(row.id)), round }
        )
      })
      return written ?? taken.map(() => undefined)
    } catch {
      return taken.map(() => undefined)
    }
  }

  const flush = () => {
    while (queue.length > 0) {
      const taken = queue.length <= MAX_ROWS ? queue : queue.slice(0, MAX_ROWS)
      queue = queue.length <= MAX_ROWS ? [] : queue.slice(MAX_ROWS)
      const results = write(taken)
      taken.forEach((pending, index) => pending.done(results[index]))
    }
  }

  /** Stores one delivery with the others of its turn; `undefined` when the lane must step aside. */
  return (arrival: Arrival): Promise<Stored | undefined> =>
    new Promise((done) => {
      if (queue.push({ ...arrival, done }) === 1) nextTurn(flush)
    })
}
