/**
 * `SessionBindingStore` over any `SqlClient`, every method scoped by tenant. `bind` is one
 * upsert whose conflict branch changes nothing and returns the existing row, so two deliveries
 * racing for a session key both get the binding that won, whatever its status.
 */
import { Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { PublicationId, SessionKey, TenantId } from "../../../kernel/domain/Ids.ts"
import { type SessionBinding, SessionBindingStore } from "../../../kernel/store/SessionBindingStore.ts"
import { decodeAll, decodeFirst, decodeReturned, storeOperation, touched } from "./SqlRows.ts"

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

  const find = (tenantId: TenantId, publicationId: PublicationId, sessionKey: SessionKey) =>
    sql`SELECT * FROM session_bindings
      WHERE tenant_id = ${tenantId} AND publication_id = ${publicationId} AND session_key = ${sessionKey}`.pipe(
      Effect.flatMap(decodeFirst(SessionBindingRow)),
      storeOperation("SessionBindingStore.find")
    )

  // The no-op DO UPDATE (rather than DO NOTHING) is what makes RETURNING yield the existing row.
  const bind = (binding: SessionBinding) =>
    encode(binding).pipe(
      Effect.flatMap((row) =>
        sql`INSERT INTO session_bindings ${sql.insert(row)}
          ON CONFLICT (tenant_id, publication_id, session_key) DO UPDATE SET session_id = session_bindings.session_id
          RETURNING *`
      ),
      Effect.flatMap(decodeReturned(SessionBindingRow, "SessionBindingStore.bind")),
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
