/**
 * `InstallationStore` over any `SqlClient`. The sealed secret lives in the same row (key id,
 * ciphertext, token expiry) but is only ever read by `getSecret`. Every method is scoped by
 * tenant except `findByAccount`, the webhook pipeline's lookup of a vendor workspace.
 */
import { Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { InstallationId, ProviderId, TenantId } from "../../../kernel/domain/Ids.ts"
import { Installation, type InstallationStatus } from "../../../kernel/domain/Installation.ts"
import { type InstallationSecret, InstallationStore, type VersionedSecret } from "../../../kernel/store/InstallationStore.ts"
import { decodeAll, decodeFirst, decodeReturned, JsonStrings, storeOperation, touched } from "./SqlRows.ts"

export const InstallationRow = Schema.Struct({
  ...Installation.fields,
  grantedScopes: JsonStrings,
  metadata: Schema.fromJsonString(Schema.Record(Schema.String, Schema.String))
}).pipe(Schema.encodeKeys({
  tenantId: "tenant_id",
  providerId: "provider_id",
  externalAccountId: "external_account_id",
  displayName: "display_name",
  grantedScopes: "granted_scopes",
  registrationId: "registration_id",
  createdAt: "created_at",
  updatedAt: "updated_at"
}))

export const SecretRow = Schema.Struct({
  secret_key_id: Schema.String,
  secret_ciphertext: Schema.String,
  token_expires_at: Schema.NullOr(Schema.Number),
  secret_version: Schema.Number,
  refresh_claimed_until: Schema.NullOr(Schema.Number)
})

export const toSecret = (row: typeof SecretRow.Type): VersionedSecret => ({
  sealed: { keyId: row.secret_key_id, ciphertext: row.secret_ciphertext },
  expiresAt: row.token_expires_at,
  version: row.secret_version,
  refreshClaimedUntil: row.refresh_claimed_until
})

/** Oldest first, then by tenant: the order the webhook pipeline sees an account's installations in. */
export const byCreation = (left: Installation, right: Installation) =>
  left.createdAt - right.createdAt || (left.tenantId < right.tenantId ? -1 : left.tenantId > right.tenantId ? 1 : 0)

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const encode = Schema.encodeEffect(InstallationRow)

  // One statement, so two installs of the same account racing end with one row and one id.
  // The registration is set as given, never kept from the old row: it names the app the new
  // secret's tokens were granted to, so it must change with the secret (the caller passes the
  // existing one to keep it).
  const upsert = (installation: Installation, secret: InstallationSecret) =>
    encode(installation).pipe(
      Effect.flatMap((row) =>
        sql`INSERT INTO installations ${
          sql.insert({
            ...row,
            secret_key_id: secret.sealed.keyId,
            secret_ciphertext: secret.sealed.ciphertext,
            token_expires_at: secret.expiresAt
          })
        }
        ON CONFLICT (tenant_id, provider_id, external_account_id) DO UPDATE SET
          display_name = excluded.display_name,
          status = 'active',
          granted_scopes = excluded.granted_scopes,
          metadata = excluded.metadata,
          registration_id = excluded.registration_id,
          secret_key_id = excluded.secret_key_id,
          secret_ciphertext = excluded.secret_ciphertext,
          token_expires_at = excluded.token_expires_at,
          secret_version = installations.secret_version + 1,
          refresh_claimed_until = NULL,
          updated_at = excluded.updated_at
        RETURNING *`
      ),
      Effect.flatMap(decodeReturned(InstallationRow, "InstallationStore.upsert")),
      storeOperation("InstallationStore.upsert")
    )

  const get = (tenantId: TenantId, id: InstallationId) =>
    sql`SELECT * FROM installations WHERE tenant_id = ${tenantId} AND id = ${id}`.pipe(
      Effect.flatMap(decodeFirst(InstallationRow)),
      storeOperation("InstallationStore.get")
    )

  const list = (tenantId: TenantId) =>
    sql`SELECT * FROM installations WHERE tenant_id = ${tenantId} ORDER BY created_at, id`.pipe(
      Effect.flatMap(decodeAll(InstallationRow)),
      storeOperation("InstallationStore.list")
    )

  // Ordered here rather than by the statement: an account has a handful of installations at
  // most, and ORDER BY on a column outside the index made every webhook's lookup build a sorter.
  const findByAccount = (providerId: ProviderId, externalAccountId: string) =>
    sql`SELECT * FROM installations
      WHERE provider_id = ${providerId} AND external_account_id = ${externalAccountId}`.pipe(
      Effect.flatMap(decodeAll(InstallationRow)),
      Effect.map((found) => found.length < 2 ? found : [...found].sort(byCreation)),
      storeOperation("InstallationStore.findByAccount")
    )

  const setStatus = (tenantId: TenantId, id: InstallationId, status: InstallationStatus, at: number) =>
    sql`UPDATE installations SET status = ${status}, updated_at = ${at}
      WHERE tenant_id = ${tenantId} AND id = ${id}
      RETURNING id`.pipe(Effect.map(touched), storeOperation("InstallationStore.setStatus"))

  const getVersionedSecret = (tenantId: TenantId, id: InstallationId) =>
    sql`SELECT secret_key_id, secret_ciphertext, token_expires_at, secret_version, refresh_claimed_until
      FROM installations WHERE tenant_id = ${tenantId} AND id = ${id}`.pipe(
      Effect.flatMap(decodeFirst(SecretRow)),
      Effect.map(Option.map(toSecret)),
      storeOperation("InstallationStore.getVersionedSecret")
    )

  const getSecret = (tenantId: TenantId, id: InstallationId) =>
    getVersionedSecret(tenantId, id).pipe(
      Effect.map(Option.map(({ sealed, expiresAt }): InstallationSecret => ({ sealed, expiresAt }))),
      Effect.withSpan("InstallationStore.getSecret")
    )

  const setSecret = (tenantId: TenantId, id: InstallationId, secret: InstallationSecret, at: number) =>
    sql`UPDATE installations SET
        secret_key_id = ${secret.sealed.keyId},
        secret_ciphertext = ${secret.sealed.ciphertext},
        token_expires_at = ${secret.expiresAt},
        secret_version = secret_version + 1,
        refresh_claimed_until = NULL,
        updated_at = ${at}
      WHERE tenant_id = ${tenantId} AND id = ${id}
      RETURNING id`.pipe(Effect.map(touched), storeOperation("InstallationStore.setSecret"))

  // One statement each: the WHERE clause is the compare, so of racing callers one row matches.
  const claimRefresh = (tenantId: TenantId, id: InstallationId, version: number, now: number, until: number) =>
    sql`UPDATE installations SET refresh_claimed_until = ${until}
      WHERE tenant_id = ${tenantId} AND id = ${id} AND secret_version = ${version}
        AND (refresh_claimed_until IS NULL OR refresh_claimed_until <= ${now})
      RETURNING id`.pipe(Effect.map(touched), storeOperation("InstallationStore.claimRefresh"))

  const setSecretIfVersion = (
    tenantId: TenantId,
    id: InstallationId,
    secret: InstallationSecret,
    version: number,
    at: number
  ) =>
    sql`UPDATE installations SET
        secret_key_id = ${secret.sealed.keyId},
        secret_ciphertext = ${secret.sealed.ciphertext},
        token_expires_at = ${secret.expiresAt},
        secret_version = ${version + 1},
        refresh_claimed_until = NULL,
        updated_at = ${at}
      WHERE tenant_id = ${tenantId} AND id = ${id} AND secret_version = ${version}
      RETURNING id`.pipe(Effect.map(touched), storeOperation("InstallationStore.setSecretIfVersion"))

  const releaseRefresh = (tenantId: TenantId, id: InstallationId, version: number) =>
    sql`UPDATE installations SET refresh_claimed_until = NULL
      WHERE tenant_id = ${tenantId} AND id = ${id} AND secret_version = ${version}`.pipe(
      Effect.asVoid,
      storeOperation("InstallationStore.releaseRefresh")
    )

  return InstallationStore.of({
    upsert,
    get,
    list,
    findByAccount,
    setStatus,
    getSecret,
    getVersionedSecret,
    setSecret,
    claimRefresh,
    setSecretIfVersion,
    releaseRefresh
  })
})

export const layer: Layer.Layer<InstallationStore, never, SqlClient.SqlClient> = Layer.effect(InstallationStore, make)
