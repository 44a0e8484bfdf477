/**
 * Conformance cases for Postgres alone: its migrations (recorded once, and applied once when
 * instances start together), claims that several instances make at the same moment (`FOR UPDATE
 * SKIP LOCKED`: disjoint), and BIGINT columns read back as numbers.
 */
import { Effect, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { applyPostgresMigrations, migrate } from "../../../adapters/postgres/PgMigrate.ts"
import { migrations } from "../../../adapters/postgres/migrations/index.ts"
import { SessionKey, TenantId } from "../../../kernel/domain/Ids.ts"
import { OutboxStore } from "../../../kernel/store/OutboxStore.ts"
import { TenantStore } from "../../../kernel/store/TenantStore.ts"
import { expectEqual, expectSome, expectTrue, outboxEntry, type StoreCase, T0, tenantA } from "../fixtures.ts"

const postgresOnly = ["postgres"] as const

const Names = Schema.Array(Schema.Struct({ table_name: Schema.String }))
const Applied = Schema.Array(Schema.Struct({ id: Schema.Number, name: Schema.String }))

export const postgresCases: ReadonlyArray<StoreCase> = [
  {
    name: "Postgres Migrate: every migration recorded once; running again applies nothing",
    engines: postgresOnly,
    body: Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* expectEqual(yield* migrate, [], "a second run")
      const applied = yield* Schema.decodeUnknownEffect(Applied)(
        yield* sql`SELECT id, name FROM switchboard_migrations ORDER BY id`
      )
      yield* expectEqual(applied, migrations.map(({ id, name }) => ({ id, name })), "switchboard_migrations")
      const tables = yield* Schema.decodeUnknownEffect(Names)(
        yield* sql`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN
          ('tenants', 'api_keys', 'installations', 'oauth_state', 'publications', 'webhook_events',
           'session_bindings', 'outbox', 'app_registrations', 'install_ticket_redemptions', 'rate_limit_gates',
           'rejected_webhooks')`
      )
      yield* expectEqual(tables.length, 12, "tables")
    })
  },
  {
    name: "Postgres Migrate: instances migrating at once apply each migration once",
    engines: postgresOnly,
    body: Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      // As if no instance had migrated yet: every one of four finds all pending, one applies them.
      yield* sql`DELETE FROM switchboard_migrations`
      const runs = yield* Effect.all(Array.from({ length: 4 }, () => applyPostgresMigrations(migrations)), {
        concurrency: "unbounded"
      })
      yield* expectEqual(runs.map((run) => run.length).sort(), [0, 0, 0, migrations.length], "applied per instance")
    })
  },
  {
    name: "Postgres OutboxStore: claims made at the same moment take disjoint entries (SKIP LOCKED)",
    engines: postgresOnly,
    body: Effect.gen(function*() {
      const store = yield* OutboxStore
      // Forty sessions, so session order holds nothing back: only the locks divide the work.
      for (let n = 0; n < 40; n++) {
        const entry = outboxEntry(tenantA, `d_${n}`)
        yield* store.enqueue({ ...entry, dispatch: { ...entry.dispatch, sessionKey: SessionKey.make(`k_${n}`) } })
      }
      const claims = yield* Effect.all(Array.from({ length: 6 }, () => store.claimDue(T0, 60_000, 10)), {
        concurrency: "unbounded"
      })
      const claimed = claims.flat().map((entry) => entry.id)
      yield* expectEqual(new Set(claimed).size, claimed.length, "no entry claimed twice")
      yield* expectTrue(claimed.length >= 10, `claimed ${claimed.length}`)
      const rest = yield* store.claimDue(T0, 60_000, 100)
      yield* expectEqual(claimed.length + rest.length, 40, "every entry claimed once in all")
    })
  },
  {
    name: "Postgres: BIGINT timestamps read back as numbers",
    engines: postgresOnly,
    body: Effect.gen(function*() {
      const tenants = yield* TenantStore
      const at = 4_102_444_800_000 // 2100-01-01, far past 32 bits
      yield* tenants.createTenant({ id: TenantId.make("ten_big"), name: "big", createdAt: at })
      const tenant = yield* expectSome(yield* tenants.getTenant(TenantId.make("ten_big")), "tenant")
      yield* expectEqual(tenant.createdAt, at, "createdAt")
    })
  }
]
