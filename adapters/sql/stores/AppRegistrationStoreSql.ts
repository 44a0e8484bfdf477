/**
 * `AppRegistrationStore` over any `SqlClient`. The sealed secrets live in the same row but are
 * only ever read by `getSecret`: every other statement names its columns, so the ciphertext
 * never leaves the database otherwise. Scoped by tenant except `findById`, the webhook route's
 * lookup, which the globally unique id makes unambiguous. Single statements only (D1).
 */
import { Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { AppRegistration, type AppRegistrationId } from "../../../kernel/domain/AppRegistration.ts"
import type { TenantId } from "../../../kernel/domain/Ids.ts"
import { type AppRegistrationCompletion, AppRegistrationStore } from "../../../kernel/store/AppRegistrationStore.ts"
import type { Sealed } from "../../../kernel/store/Sealed.ts"
import { decodeAll, decodeFirst, storeOperation, touched } from "./SqlRows.ts"

const Metadata = Schema.fromJsonString(Schema.Record(Schema.String, Schema.String))

const AppRegistrationRow = Schema.Struct({
  ...AppRegistration.fields,
  metadata: Metadata
}).pipe(Schema.encodeKeys({
  tenantId: "tenant_id",
  providerId: "provider_id",
  externalAppId: "external_app_id",
  displayName: "display_name",
  createdAt: "created_at",
  updatedAt: "updated_at"
}))

/** Every column but the secrets. */
const COLUMNS =
  "tenant_id, id, provider_id, status, external_app_id, display_name, metadata, created_at, updated_at"

const SecretRow = Schema.Struct({
  secret_key_id: Schema.String,
  secret_ciphertext: Schema.String
})

const toSealed = (row: typeof SecretRow.Type): Sealed => ({
  keyId: row.secret_key_id,
  ciphertext: row.secret_ciphertext
})

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const encode = Schema.encodeEffect(AppRegistrationRow)
  const encodeMetadata = Schema.encodeEffect(Metadata)
  const columns = sql.literal(COLUMNS)

  // The secret columns stay NULL: a registration gets its secrets when it completes. An id
  // already used by any tenant fails (UNIQUE (id)).
  const insert = (registration: AppRegistration) =>
    encode(registration).pipe(
      Effect.flatMap((row) => sql`INSERT INTO app_registrations ${sql.insert(row)}`),
      Effect.asVoid,
      storeOperation("AppRegistrationStore.insert")
    )

  const get = (tenantId: TenantId, id: AppRegistrationId) =>
    sql`SELECT ${columns} FROM app_registrations WHERE tenant_id = ${tenantId} AND id = ${id}`.pipe(
      Effect.flatMap(decodeFirst(AppRegistrationRow)),
      storeOperation("AppRegistrationStore.get")
    )

  const findById = (id: AppRegistrationId) =>
    sql`SELECT ${columns} FROM app_registrations WHERE id = ${id}`.pipe(
      Effect.flatMap(decodeFirst(AppRegistrationRow)),
      storeOperation("AppRegistrationStore.findById")
    )

  const list = (tenantId: TenantId) =>
    sql`SELECT ${columns} FROM app_registrations WHERE tenant_id = ${tenantId} ORDER BY created_at, id`.pipe(
      Effect.flatMap(decodeAll(AppRegistrationRow)),
      storeOperation("AppRegistrationStore.list")
    )

  // Not limited to pending rows: completing an active registration again replaces the vendor's
  // answer and the secrets (credentials pasted anew). One UPDATE, so the status and the secrets
  // change together: no reader sees an active registration without its secrets.
  const complete = (tenantId: TenantId, id: AppRegistrationId, completion: AppRegistrationCompletion) =>
    encodeMetadata(completion.metadata).pipe(
      Effect.flatMap((metadata) =>
        sql`UPDATE app_registrations SET
            status = 'active',
            external_app_id = ${completion.externalAppId},
            display_name = ${completion.displayName},
            metadata = ${metadata},
            secret_key_id = ${completion.sealed.keyId},
            secret_ciphertext = ${completion.sealed.ciphertext},
            updated_at = ${completion.at}
          WHERE tenant_id = ${tenantId} AND id = ${id}
          RETURNING ${columns}`
      ),
      Effect.flatMap(decodeFirst(AppRegistrationRow)),
      storeOperation("AppRegistrationStore.complete")
    )

  const getSecret = (tenantId: TenantId, id: AppRegistrationId) =>
    sql`SELECT secret_key_id, secret_ciphertext FROM app_registrations
      WHERE tenant_id = ${tenantId} AND id = ${id} AND status = 'active'
        AND secret_key_id IS NOT NULL AND secret_ciphertext IS NOT NULL`.pipe(
      Effect.flatMap(decodeFirst(SecretRow)),
      Effect.map(Option.map(toSealed)),
      storeOperation("AppRegistrationStore.getSecret")
    )

  const delete_ = (tenantId: TenantId, id: AppRegistrationId) =>
    sql`DELETE FROM app_registrations WHERE tenant_id = ${tenantId} AND id = ${id} RETURNING id`.pipe(
      Effect.map(touched),
      storeOperation("AppRegistrationStore.delete")
    )

  return AppRegistrationStore.of({ insert, get, findById, list, complete, getSecret, delete: delete_ })
})

export const layer: Layer.Layer<AppRegistrationStore, never, SqlClient.SqlClient> = Layer.effect(
  AppRegistrationStore,
  make
)
