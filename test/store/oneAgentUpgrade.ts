/**
 * Upgrading a database that already holds the same agent twice on one installation (possible
 * before migration 0010 made it a unique index): the migration keeps the oldest publication of
 * the agent (the lower id when two were made in the same millisecond), removes the newer copies
 * with their session bindings, and leaves every other publication alone; afterwards the index
 * refuses another copy. Run on SQLite (oneAgentUpgrade.test.ts) and Postgres (conformance-postgres).
 */
import { Effect, Option, Result } from "effect"
import type { SqlClient } from "effect/sql"
import { SessionKey } from "../../kernel/domain/Ids.ts"
import type { StoreError } from "../../kernel/domain/Errors.ts"
import type { Migration } from "../../adapters/sql/migrations/Migration.ts"
import { InstallationStore } from "../../kernel/store/InstallationStore.ts"
import { PublicationStore } from "../../kernel/store/PublicationStore.ts"
import { SessionBindingStore } from "../../kernel/store/SessionBindingStore.ts"
import { TenantStore } from "../../kernel/store/TenantStore.ts"
import { binding, installation, publication, secret, T0, tenantA } from "./fixtures.ts"

/** The migration that adds the unique index: everything before it is the old schema. */
export const ONE_AGENT_MIGRATION = "one_agent_per_installation"

export const oneAgentUpgrade = (
  migrations: ReadonlyArray<Migration>,
  apply: (list: ReadonlyArray<Migration>) => Effect.Effect<unknown, StoreError, SqlClient.SqlClient>
) =>
  Effect.gen(function*() {
    const index = migrations.findIndex((migration) => migration.name === ONE_AGENT_MIGRATION)
    if (index < 0) throw new Error(`no migration named ${ONE_AGENT_MIGRATION}`)
    yield* apply(migrations.slice(0, index))
    yield* (yield* TenantStore).createTenant({ id: tenantA, name: "Tenant A", createdAt: T0 })
    yield* (yield* InstallationStore).upsert(installation(tenantA, "ins_a", { externalAccountId: "org_a" }), secret("c"))
    const publications = yield* PublicationStore
    const bindings = yield* SessionBindingStore
    const rows = [
      publication(tenantA, "pub_2_newer", "ins_a", { createdAt: T0 + 5 }),
      publication(tenantA, "pub_1_kept", "ins_a", { createdAt: T0 }),
      publication(tenantA, "pub_3_same_ms", "ins_a", { createdAt: T0 }),
      publication(tenantA, "pub_4_other_agent", "ins_a", { agentId: "agent_2", createdAt: T0 + 9 })
    ]
    for (const row of rows) {
      yield* publications.insert(row)
      yield* bindings.bind(binding(tenantA, row.id, "issue:1", `ses_${row.id}`))
    }
    yield* apply(migrations)
    const kept = (yield* publications.listByInstallation(tenantA, rows[1]!.installationId)).map((row) => row.id).sort()
    const bound: Array<string> = []
    for (const row of rows) {
      if (Option.isSome(yield* bindings.find(tenantA, row.id, SessionKey.make("issue:1")))) bound.push(row.id)
    }
    const again = yield* Effect.result(publications.insert(publication(tenantA, "pub_5_again", "ins_a")))
    return { kept, bound: bound.sort(), refusedAgain: Result.isFailure(again) }
  })

/** What `oneAgentUpgrade` must find. */
export const expectedUpgrade = {
  kept: ["pub_1_kept", "pub_4_other_agent"],
  bound: ["pub_1_kept", "pub_4_other_agent"],
  refusedAgain: true
}
