/**
 * `SessionBindingStore` over any `SqlClient`, every method scoped by tenant. `bind` is one
 * upsert whose conflict branch changes nothing and returns the existing row, so two deliveries
 * racing for a session key both get the binding that won, whatever its status. Binds are
 * group-committed (`GroupStatement.ts`): the keys bound by every decision in flight go in with one
 * statement, one commit (a key twice in a group in a second statement: Postgres refuses to
 * upsert one row twice in a statement); the lookups of a turn share one statement likewise.
 */
import { Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { StoreError } from "../../../kernel/domain/Errors.ts"
import { PublicationId, SessionKey, TenantId } from "../../../kernel/domain/Ids.ts"
import { type SessionBinding, SessionBindingStore } from "../../../kernel/store/SessionBindingStore.ts"
import { makeGroupStatement } from "./GroupStatement.ts"
import { decodeAll, decodeFirst, storeOperation, touched } from "./SqlRows.ts"

/** D1 binds at most 100 parameters per statement: 14 bindings of 7 columns. */
const MAX_BIND_ROWS = 14
/** Three parameters a lookup: within D1's 100. */
const MAX_FIND_ROWS = 30

const SessionBindingRow = Schema.Struct({
  tenantId: TenantId,
  publicationId: PublicationId,
  sessionKey: SessionKey,
  sessionId: Schema.String,
  status: Schema.Literals(["live", "closed"]),
  createdAt: Schema.Number,
  updatedAt: Schema.Number
}).pipe(Schema.encodeKeys({
  tenantId: "tenant_id",
  publicationId: "publication_id",
  sessionKey: "session_key",
  sessionId: "session_id",
  createdAt: "created_at",
  updatedAt: "updated_at"
}))

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const encode = Schema.encodeEffect(SessionBindingRow)
  const decodeRow = Schema.decodeUnknownEffect(SessionBindingRow)

  type Row = typeof SessionBindingRow.Encoded
  type Key = Pick<Row, "tenant_id" | "publication_id" | "session_key">
  const keyOf = (row: Key) =>
    JSON.stringify([row.tenant_id, row.publication_id, row.session_key])

  // Every decision looks its session key up: the lookups of a turn share one statement.
  const findGroup = makeGroupStatement<Key, ReadonlyArray<unknown>>({
    maxRows: MAX_FIND_ROWS,
    write: (keys) => {
      const unique = new Map(keys.map((key) => [keyOf(key), key]))
      return Effect.map(
        sql<Key>`SELECT * FROM session_bindings WHERE ${
          sql.or([...unique.values()].map((key) =>
            sql`(tenant_id = ${key.tenant_id} AND publication_id = ${key.publication_id} AND session_key = ${key.session_key})`
          ))
        }`,
        (rows) => {
          const found = new Map(rows.map((row) => [keyOf(row), row]))
          return keys.map((key) => {
            const row = found.get(keyOf(key))
            return row === undefined ? [] : [row]
          })
        }
      )
    }
  })

  const find = (tenantId: TenantId, publicationId: PublicationId, sessionKey: SessionKey) =>
    findGroup({ tenant_id: tenantId, publication_id: publicationId, session_key: sessionKey }).pipe(
      Effect.flatMap(decodeFirst(SessionBindingRow)),
      storeOperation("SessionBindingStore.find")
    )

  // The no-op DO UPDATE (rather than DO NOTHING) is what makes RETURNING yield the existing row.
  const upsert = ([first, ...rest]: ReadonlyArray<Row>) =>
    first === undefined ? Effect.succeed([]) : sql<Key>`INSERT INTO session_bindings ${sql.insert([{ ...first }, ...rest.map((row) => ({ ...row }))])}
      ON CONFLICT (tenant_id, publication_id, session_key) DO UPDATE SET session_id = session_bindings.session_id
      RETURNING *`

  // Each row's answer is the stored row of its key (undecoded: `bind` decodes its own).
  const bindGroup = makeGroupStatement<Row, unknown>({
    maxRows: MAX_BIND_ROWS,
    write: (rows) => {
      const statements: Array<Array<Row>> = []
      const seen: Array<Set<string>> = []
      for (const row of rows) {
        const key = keyOf(row)
        let round = seen.findIndex((keys) => !keys.has(key))
        if (round === -1) round = seen.push(new Set()) - 1
        seen[round]!.add(key)
        ;(statements[round] ??= []).push(row)
      }
      return Effect.map(Effect.forEach(statements, upsert), (returned) => {
        const stored = new Map<string, unknown>()
        for (const row of returned.flat()) stored.set(keyOf(row), row)
        return rows.map((row) => stored.get(keyOf(row)))
      })
    }
  })

  const bind = (binding: SessionBinding) =>
    encode(binding).pipe(
      Effect.flatMap(bindGroup),
      Effect.flatMap((row): Effect.Effect<SessionBinding, StoreError | Schema.SchemaError> =>
        row === undefined
          ? Effect.fail(new StoreError({ operation: "SessionBindingStore.bind", message: "the statement returned no row" }))
          : decodeRow(row)
      ),
      storeOperation("SessionBindingStore.bind")
    )

  const setStatus = (
    tenantId: TenantId,
    publicationId: PublicationId,
    sessionKey: SessionKey,
    status: "live" | "closed",
    at: number
  ) =>
    sql`UPDATE session_bindings SET status = ${status}, updated_at = ${at}
      WHERE tenant_id = ${tenantId} AND publication_id = ${publicationId} AND session_key = ${sessionKey}
      RETURNING session_key`.pipe(Effect.map(touched), storeOperation("SessionBindingStore.setStatus"))

  // Most recently changed first.
  const list = (tenantId: TenantId, limit: number) =>
    sql`SELECT * FROM session_bindings WHERE tenant_id = ${tenantId}
      ORDER BY updated_at DESC, publication_id, session_key LIMIT ${limit}`.pipe(
      Effect.flatMap(decodeAll(SessionBindingRow)),
      storeOperation("SessionBindingStore.list")
    )

  return SessionBindingStore.of({ find, bind, setStatus, list })
})

export const layer: Layer.Layer<SessionBindingStore, never, SqlClient.SqlClient> = Layer.effect(
  SessionBindingStore,
  make
)
