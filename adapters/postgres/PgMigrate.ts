/**
 * Applies the Postgres migrations (`migrations/index.ts`) with the same runner as SQLite and D1
 * (`adapters/sql/Migrate.ts`, recording each in `switchboard_migrations`), but in one transaction
 * under an advisory lock: instances starting together queue on the lock, the first applies what
 * is pending, the others then find nothing to do. Postgres DDL is transactional, so a run that
 * dies half way leaves nothing behind.
 */
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import type { StoreError } from "../../kernel/domain/Errors.ts"
import { applyMigrations } from "../sql/Migrate.ts"
import type { Migration } from "../sql/migrations/Migration.ts"
import { storeOperation } from "../sql/stores/SqlRows.ts"
import { migrations } from "./migrations/index.ts"

/** The advisory lock's key: any constant that no other application on the server uses. */
const MIGRATION_LOCK = 0x5357_4244 // "SWBD"

export const applyPostgresMigrations = (
  list: ReadonlyArray<Migration>
): Effect.Effect<ReadonlyArray<Migration>, StoreError, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return yield* sql.withTransaction(
      Effect.gen(function*() {
        yield* sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`.pipe(storeOperation("Migrate.lock"))
        // Created here first because the shared runner's INTEGER is 32-bit on Postgres: epoch
        // ms need BIGINT. Its own CREATE TABLE IF NOT EXISTS then leaves this one be.
        yield* sql`CREATE TABLE IF NOT EXISTS switchboard_migrations (
          id INTEGER NOT NULL PRIMARY KEY,
          name TEXT NOT NULL,
          applied_at BIGINT NOT NULL
        )`.pipe(storeOperation("Migrate.init"))
        return yield* applyMigrations(list)
      })
    ).pipe(storeOperation("Migrate.transaction"))
  })

export const migrate: Effect.Effect<ReadonlyArray<Migration>, StoreError, SqlClient.SqlClient> = applyPostgresMigrations(
  migrations
)

/** Migrates when built: put it between the Postgres client layer and the stores. */
export const layer: Layer.Layer<never, StoreError, SqlClient.SqlClient> = Layer.effectDiscard(migrate)
