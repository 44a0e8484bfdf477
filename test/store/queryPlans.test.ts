/**
 * Every hot query uses an index. The stores' own statements are recorded while the hot paths run
 * against a migrated SQLite file (webhook ingest, deciding, the outbox, sessions, API keys,
 * listings), then each one is explained with its own parameters: no plan step may scan a whole
 * table, and a statement scoped to a tenant searches by the tenant. At 1,000,000 stored events a
 * scan is what turns a millisecond into seconds (bench/scale.ts). Plans are those of a database
 * without statistics (no ANALYZE), as in production.
 */
import { assert, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Migrate from "../../adapters/sql/Migrate.ts"
import * as LimitBucketStoreSql from "../../adapters/sql/stores/LimitBucketStoreSql.ts"
import * as StoresSql from "../../adapters/sql/StoresSql.ts"
import * as BetterSqlite3 from "../../adapters/sqlite/drivers/better-sqlite3.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import type { SqliteDriverFactory, SqliteValue } from "../../adapters/sqlite/SqliteDriver.ts"
import { EventId, InstallationId, PublicationId, SessionKey } from "../../kernel/domain/Ids.ts"
import { LimitBucketStore } from "../../kernel/store/LimitBucketStore.ts"
import { binding, linear, outboxEntry, seededStores, T0, tenantA, webhookEvent } from "./fixtures.ts"

interface Recorded {
  readonly sql: string
  readonly params: ReadonlyArray<SqliteValue>
}

/** better-sqlite3, recording the statements run while `recording` is on; `explain` runs beside them. */
const recordingDriver = () => {
  const recorded = new Map<string, Recorded>()
  let recording = false
  let explain: ((sql: string, params: ReadonlyArray<SqliteValue>) => ReadonlyArray<string>) | undefined
  const factory: SqliteDriverFactory = (options) => {
    const driver = BetterSqlite3.driver(options)
    explain = (sql, params) => driver.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params).map((row) => String(row["detail"]))
    const record = (sql: string, params: ReadonlyArray<SqliteValue>) => {
      if (recording && !recorded.has(sql)) recorded.set(sql, { sql, params })
    }
    return {
      ...driver,
      prepare: (sql) => {
        const statement = driver.prepare(sql)
        return {
          all: (params) => (record(sql, params), statement.all(params)),
          values: (params) => (record(sql, params), statement.values(params))
        }
      }
    }
  }
  return {
    factory,
    recorded,
    start: () => (recording = true),
    stop: () => (recording = false),
    explain: (sql: string, params: ReadonlyArray<SqliteValue>) => explain?.(sql, params) ?? []
  }
}

/** A plan step that reads a whole table: `SCAN t` without an index (`SCAN t USING INDEX i` walks an index). */
const fullScan = (detail: string) => /^SCAN \S+$/.test(detail) || /^SCAN \S+ (?!USING)/.test(detail)

it.effect("every hot query's plan uses an index", () => {
  const directory = mkdtempSync(join(tmpdir(), "switchboard-plans-"))
  const driver = recordingDriver()
  const stores = Layer.merge(StoresSql.layer, LimitBucketStoreSql.layer).pipe(
    Layer.provideMerge(Migrate.layer),
    Layer.provideMerge(SqliteClient.layer(driver.factory, { filename: join(directory, "plans.sqlite") }))
  )
  return Effect.gen(function*() {
    const { tenants, installations, publications, events, outbox, sessions } = yield* seededStores
    yield* tenants.insertApiKey({ id: "key_1", tenantId: tenantA, name: "k", prefix: "sb_live_abcd", hash: "h".repeat(64), createdAt: T0, revokedAt: null })

    driver.start()
    // Webhook ingest and its decision.
    yield* installations.findByAccount(linear, "org_1")
    yield* events.insertIfAbsent(webhookEvent(tenantA, "evt_1"), { contentDigest: "d".repeat(64) })
    yield* publications.listByInstallation(tenantA, InstallationId.make("ins_1"))
    yield* tenants.getTenant(tenantA)
    yield* sessions.find(tenantA, PublicationId.make("pub_1"), SessionKey.make("linear:issue:ENG-1"))
    yield* sessions.bind(binding(tenantA, "pub_1", "linear:issue:ENG-1", "ses_1"))
    yield* outbox.enqueue(outboxEntry(tenantA, "dsp_1"))
    yield* events.setStatus(tenantA, EventId.make("evt_1"), "dispatched", null, T0 + 1)
    // Delivery.
    yield* outbox.claimDue(T0 + 10, 6_000, 10)
    yield* outbox.enqueue(outboxEntry(tenantA, "dsp_2"))
    const claimed = yield* outbox.claim(tenantA, "dsp_2", T0 + 20, 6_000)
    if (claimed._tag === "Some") {
      const lease = { attempt: claimed.value.attempts, until: claimed.value.nextAttemptAt }
      yield* outbox.renew(tenantA, "dsp_2", lease, T0 + 30_000)
    }
    yield* outbox.markDelivered(tenantA, "dsp_1", T0 + 40)
    // The poller's wake-up: when the next lease or backoff ends.
    yield* outbox.nextDueAfter(T0 + 50)
    yield* events.firstUndecidedSince(T0 - 5_000)
    yield* installations.getSecret(tenantA, InstallationId.make("ins_1"))
    // The sweep, the tool calls' reads, API keys, and the listings the API and the Console page.
    yield* events.listUndecided(T0 + 100, 100)
    yield* installations.get(tenantA, InstallationId.make("ins_1"))
    yield* publications.get(tenantA, PublicationId.make("pub_1"))
    yield* publications.sessionReach(tenantA, PublicationId.make("pub_1"), InstallationId.make("ins_1"))
    yield* tenants.findApiKeyByHash("h".repeat(64))
    yield* tenants.findTenantByKeyPrefix("sb_live_abcd")
    yield* tenants.touchApiKey(tenantA, "key_1", T0 + 60_000)
    yield* events.get(tenantA, EventId.make("evt_1"))
    yield* events.list(tenantA, { limit: 50 })
    yield* events.list(tenantA, { limit: 50, status: "received", providerId: linear, after: { receivedAt: T0, id: EventId.make("evt_1") } })
    yield* outbox.list(tenantA, { limit: 50, eventId: EventId.make("evt_1") })
    yield* outbox.get(tenantA, "dsp_1")
    // Retention.
    yield* events.pruneBodies(tenantA, T0 + 1_000, 500)
    yield* outbox.pruneDone(tenantA, T0 + 1_000, 500)
    // Shared limits (Postgres and D1 run these; the plans are SQLite's, as D1's).
    const buckets = yield* LimitBucketStore
    yield* buckets.take("webhooks:ten_a", 10, 600, T0)
    yield* buckets.take("webhooks:ten_a", 10, 600, T0 + 1_000)
    yield* buckets.prune(T0)
    driver.stop()

    const plans = [...driver.recorded.values()]
      .filter(({ sql }) => /^\s*(SELECT|UPDATE|DELETE|INSERT|WITH)/i.test(sql))
      .map(({ params, sql }) => ({ sql: sql.replace(/\s+/g, " ").trim(), plan: driver.explain(sql, params) }))
    // The recording saw the statements (a store that stopped going through SQL would pass vacuously).
    assert.isAtLeast(plans.length, 20)
    const show = ({ plan, sql }: { readonly sql: string; readonly plan: ReadonlyArray<string> }) => `${sql}\n    ${plan.join("\n    ")}`
    assert.deepStrictEqual(plans.filter(({ plan }) => plan.some(fullScan)).map(show), [], "statements whose plan reads a whole table")
    // A statement that picks its rows with a LIMITed subquery (the claims) then finds just those
    // by rowid: walking the due range again costs as much as the backlog is deep.
    assert.deepStrictEqual(
      plans.filter(({ plan, sql }) => /\browid IN \(/.test(sql) && !/^SEARCH \S+ USING (INTEGER PRIMARY KEY|INDEX sqlite_autoindex)/.test(plan[0] ?? "")).map(show),
      [],
      "statements choosing rows by a subquery that do not look them up by key"
    )
    // A statement scoped to a tenant finds its rows through an index on the tenant: never by
    // reading every tenant's rows of some status or time range and filtering them.
    assert.deepStrictEqual(
      plans.filter(({ plan, sql }) => /\btenant_id = \?/.test(sql) && plan.some((step) => step.startsWith("SEARCH") && !step.includes("tenant_id="))).map(show),
      [],
      "tenant-scoped statements whose plan searches without the tenant"
    )
  }).pipe(Effect.provide(stores), Effect.ensuring(Effect.sync(() => rmSync(directory, { recursive: true, force: true }))))
})
