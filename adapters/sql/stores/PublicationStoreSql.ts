/**
 * `PublicationStore` over any `SqlClient`, every method scoped by tenant. `update` applies a
 * partial patch in one statement (absent fields keep their value) and returns the new row.
 * Deleting a publication deletes its session bindings (foreign key, ON DELETE CASCADE).
 */
import { Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { InstallationId, PublicationId, TenantId } from "../../../kernel/domain/Ids.ts"
import { Publication, type PublicationStatus } from "../../../kernel/domain/Publication.ts"
import { type PublicationPatch, PublicationStore } from "../../../kernel/store/PublicationStore.ts"
import { InstallationRow, SecretRow, toSecret } from "./InstallationStoreSql.ts"
import { readNow, SqlNow } from "../SqlNow.ts"
import { makeGroupStatement } from "./GroupStatement.ts"
import { decodeAll, decodeFirst, JsonStrings, keptByRow, storeOperation, touched } from "./SqlRows.ts"

const JsonFilters = Schema.fromJsonString(Schema.Record(Schema.String, Schema.Array(Schema.String)))

const PublicationRow = Schema.Struct({
  ...Publication.fields,
  scopes: JsonStrings,
  filters: JsonFilters
}).pipe(Schema.encodeKeys({
  tenantId: "tenant_id",
  installationId: "installation_id",
  agentId: "agent_id",
  createdAt: "created_at",
  updatedAt: "updated_at"
}))

/** The patch as column values; null means "keep the stored value" (no patch field is nullable). */
const PatchColumns = Schema.Struct({
  agentId: Schema.NullOr(Schema.String),
  scopes: Schema.NullOr(JsonStrings),
  granularity: Schema.NullOr(Publication.fields.granularity),
  filters: Schema.NullOr(JsonFilters),
  status: Schema.NullOr(Publication.fields.status)
})

/**
 * `sessionReach`'s one row, found by the tenant's primary key (no row: no tenant): its
 * `disabled_at`, then the publication's columns prefixed `p_`, the installation's prefixed `i_`
 * (the tables share column names) and its secret's, null where that row is missing. One scalar
 * subquery per column, each a primary key lookup under the tenant: on SQLite that costs what three
 * single-table reads do, where a LEFT JOIN of the three tables cost three times as much. The text
 * is built once per dialect (placeholders `?` or `$n`); each subquery binds its own id.
 */
const publicationColumns = ["id", "tenant_id", "installation_id", "agent_id", "scopes", "granularity", "filters", "status", "created_at", "updated_at"]
const installationColumns = [
  "id",
  "tenant_id",
  "provider_id",
  "external_account_id",
  "display_name",
  "status",
  "granted_scopes",
  "registration_id",
  "metadata",
  "created_at",
  "updated_at"
]
const secretColumns = ["secret_key_id", "secret_ciphertext", "token_expires_at", "secret_version", "refresh_claimed_until"]

const reachStatement = (placeholder: (index: number) => string) => {
  let index = 0
  const next = () => placeholder(++index)
  const columns = [
    "t.disabled_at AS t_disabled_at",
    ...publicationColumns.map((column) =>
      `(SELECT p.${column} FROM publications p WHERE p.tenant_id = t.tenant_id AND p.id = ${next()}) AS p_${column}`
    ),
    ...[...installationColumns.map((column) => [column, `i_${column}`]), ...secretColumns.map((column) => [column, column])].map(
      ([column, alias]) =>
        `(SELECT i.${column} FROM installations i WHERE i.tenant_id = t.tenant_id AND i.id = ${next()}) AS ${alias}`
    )
  ]
  return `SELECT ${columns.join(", ")} FROM tenants t WHERE t.tenant_id = ${next()}`
}

const reachParams = (tenantId: TenantId, publicationId: PublicationId, installationId: InstallationId) => [
  ...publicationColumns.map(() => publicationId),
  ...installationColumns.map(() => installationId),
  ...secretColumns.map(() => installationId),
  tenantId
]

const TenantState = Schema.Struct({ t_disabled_at: Schema.NullOr(Schema.Number) })

const isRow = (row: unknown): row is Readonly<Record<string, unknown>> => typeof row === "object" && row !== null

/** No tenant row: nothing the session could reach. */
const noReach = { tenant: Option.none(), publication: Option.none(), installation: Option.none(), secret: Option.none() } as const

/** The columns under `prefix`, unprefixed; none when that row was missing (its id is null). */
const joined = (row: Readonly<Record<string, unknown>>, prefix: string): ReadonlyArray<Record<string, unknown>> => {
  const id = row[`${prefix}id`]
  if (id === null || id === undefined) return []
  const columns: Record<string, unknown> = {}
  for (const key of Object.keys(row)) if (key.startsWith(prefix)) columns[key.slice(prefix.length)] = row[key]
  return [columns]
}

/** Two parameters a lookup: within D1's 100. */
const MAX_LOOKUPS = 45

/** Oldest first, then by id: the order `list` reads them in. */
const byCreation = (left: Publication, right: Publication) =>
  left.createdAt - right.createdAt || (left.id < right.id ? -1 : left.id > right.id ? 1 : 0)

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const encode = Schema.encodeEffect(PublicationRow)
  const encodePatch = Schema.encodeEffect(PatchColumns)

  const insert = (publication: Publication) =>
    encode(publication).pipe(
      Effect.flatMap((row) => sql`INSERT INTO publications ${sql.insert(row)}`),
      Effect.asVoid,
      storeOperation("PublicationStore.insert")
    )

  // Every delivery reads its publication, every decision its installation's: the lookups of a
  // turn share one statement each (a key asked twice is read once).
  const groupedLookup = <Key>(
    column: "id" | "installation_id",
    keyOf: (key: Key) => readonly [tenantId: string, value: string]
  ) =>
    makeGroupStatement<Key, ReadonlyArray<unknown>>({
      maxRows: MAX_LOOKUPS,
      write: (keys) => {
        const unique = new Map(keys.map((key) => {
          const [tenantId, value] = keyOf(key)
          return [JSON.stringify([tenantId, value]), { tenantId, value }] as const
        }))
        return Effect.map(
          sql<{ readonly tenant_id: string; readonly id: string; readonly installation_id: string }>`SELECT * FROM publications
            WHERE ${sql.or([...unique.values()].map(({ tenantId, value }) => sql`(tenant_id = ${tenantId} AND ${sql(column)} = ${value})`))}`,
          (rows) => {
            const found = new Map<string, Array<unknown>>()
            for (const row of rows) {
              const key = JSON.stringify([row.tenant_id, column === "id" ? row.id : row.installation_id])
              const same = found.get(key)
              if (same === undefined) found.set(key, [row])
              else same.push(row)
            }
            return keys.map((key) => found.get(JSON.stringify(keyOf(key))) ?? [])
          }
        )
      }
    })
  const readById = groupedLookup("id", (key: { readonly tenantId: TenantId; readonly id: PublicationId }) => [key.tenantId, key.id])
  const readByInstallation = groupedLookup("installation_id", (key: { readonly tenantId: TenantId; readonly installationId: InstallationId }) =>
    [key.tenantId, key.installationId]
  )

  const get = (tenantId: TenantId, id: PublicationId) =>
    readById({ tenantId, id }).pipe(
      Effect.flatMap(decodeFirst(PublicationRow)),
      storeOperation("PublicationStore.get")
    )

  const list = (tenantId: TenantId) =>
    sql`SELECT * FROM publications WHERE tenant_id = ${tenantId} ORDER BY created_at, id`.pipe(
      Effect.flatMap(decodeAll(PublicationRow)),
      storeOperation("PublicationStore.list")
    )

  // Sorted here: an installation has a publication or two, and ORDER BY made SQLite build a
  // sorter for them on every webhook's decision (several times the lookup's own cost).
  const listByInstallation = (tenantId: TenantId, installationId: InstallationId) =>
    readByInstallation({ tenantId, installationId }).pipe(
      Effect.flatMap(decodeAll(PublicationRow)),
      Effect.map((found) => found.length < 2 ? found : [...found].sort(byCreation)),
      storeOperation("PublicationStore.listByInstallation")
    )

  const update = (tenantId: TenantId, id: PublicationId, patch: PublicationPatch, at: number) =>
    encodePatch({
      agentId: patch.agentId ?? null,
      scopes: patch.scopes ?? null,
      granularity: patch.granularity ?? null,
      filters: patch.filters ?? null,
      status: patch.status ?? null
    }).pipe(
      Effect.flatMap((columns) =>
        sql`UPDATE publications SET
            agent_id = COALESCE(${columns.agentId}, agent_id),
            scopes = COALESCE(${columns.scopes}, scopes),
            granularity = COALESCE(${columns.granularity}, granularity),
            filters = COALESCE(${columns.filters}, filters),
            status = COALESCE(${columns.status}, status),
            updated_at = ${at}
          WHERE tenant_id = ${tenantId} AND id = ${id}
          RETURNING *`
      ),
      Effect.flatMap(decodeFirst(PublicationRow)),
      storeOperation("PublicationStore.update")
    )

  // Counts the publications whose status changed; those already in `status` are left untouched.
  const setStatusByInstallation = (
    tenantId: TenantId,
    installationId: InstallationId,
    status: PublicationStatus,
    at: number
  ) =>
    sql`UPDATE publications SET status = ${status}, updated_at = ${at}
      WHERE tenant_id = ${tenantId} AND installation_id = ${installationId} AND status <> ${status}
      RETURNING id`.pipe(
      Effect.map((rows) => rows.length),
      storeOperation("PublicationStore.setStatusByInstallation")
    )

  const delete_ = (tenantId: TenantId, id: PublicationId) =>
    sql`DELETE FROM publications WHERE tenant_id = ${tenantId} AND id = ${id} RETURNING id`.pipe(
      Effect.map(touched),
      storeOperation("PublicationStore.delete")
    )

  const decodeTenant = decodeFirst(TenantState)
  const decodePublication = decodeFirst(PublicationRow)
  const decodeInstallation = decodeFirst(InstallationRow)
  const decodeSecret = decodeFirst(SecretRow)

  // Read on every tool call and seldom changed: each distinct row is decoded once (`keptByRow`).
  const decodeReach = keptByRow((row: Readonly<Record<string, unknown>>) =>
    Effect.gen(function*() {
      const tenant = yield* decodeTenant([row])
      if (Option.isNone(tenant)) return noReach
      const installation = yield* decodeInstallation(joined(row, "i_"))
      return {
        tenant: Option.some({ disabledAt: tenant.value.t_disabled_at }),
        publication: yield* decodePublication(joined(row, "p_")),
        installation,
        secret: Option.isNone(installation) ? Option.none() : Option.map(yield* decodeSecret([row]), toSecret)
      }
    })
  )

  // On SQLite the read runs in place when the connection is free (`SqlNow`): every tool call makes it.
  const now = yield* SqlNow
  const reachText = sql.onDialectOrElse({ pg: () => reachStatement((index) => `$${index}`), orElse: () => reachStatement(() => "?") })
  const sessionReach = (tenantId: TenantId, publicationId: PublicationId, installationId: InstallationId) => {
    const params = reachParams(tenantId, publicationId, installationId)
    return Effect.suspend(() => {
      const rows = readNow(now, reachText, params)
      return rows === undefined ? sql.unsafe<Record<string, unknown>>(reachText, params) : Effect.succeed(rows)
    }).pipe(
      Effect.flatMap((rows) => {
        const row = rows[0]
        return isRow(row) ? decodeReach(row) : Effect.succeed(noReach)
      }),
      storeOperation("PublicationStore.sessionReach")
    )
  }

  return PublicationStore.of({
    insert,
    get,
    list,
    listByInstallation,
    update,
    setStatusByInstallation,
    delete: delete_,
    sessionReach
  })
})

export const layer: Layer.Layer<PublicationStore, never, SqlClient.SqlClient> = Layer.effect(PublicationStore, make)
