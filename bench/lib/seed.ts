/**
 * Databases the bench starts servers on, written before the server starts: one tenant with one
 * GitHub installation (its bot `bench-bot`) and one publication, through the kernel's own stores
 * and Vault (so the server reads them as it would its own); and, for the scale section, bulk rows
 * written with plain SQL in one transaction (millions of store calls would take the whole bench).
 */
import Database from "better-sqlite3"
import { Effect, Layer, ManagedRuntime, Option, Redacted } from "effect"
import * as BetterSqlite3 from "../../adapters/sqlite/drivers/better-sqlite3.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import { InstallationId, ProviderId, PublicationId, TenantId } from "../../kernel/domain/Ids.ts"
import { InstallationStore } from "../../kernel/store/InstallationStore.ts"
import { PublicationStore } from "../../kernel/store/PublicationStore.ts"
import { TenantStore } from "../../kernel/store/TenantStore.ts"
import { sealTokens } from "../../kernel/vault/TokenCodec.ts"
import { Vault } from "../../kernel/vault/Vault.ts"
import { runtimeDependencies } from "../../runtimes/shared/dependencies.ts"
import { GITHUB_INSTALLATION_ID } from "./payloads.ts"

export const BOT = "bench-bot"

/** Migrates the file and writes one tenant, one GitHub installation of the bench's account and one publication. */
export const seedOneInstallation = async (filename: string, env: Readonly<Record<string, string>>): Promise<void> => {
  const dependencies = runtimeDependencies({ env, sql: SqliteClient.layer(BetterSqlite3.driver, { filename }), migrate: true })
  const runtime = ManagedRuntime.make(Vault.layer.pipe(Layer.provideMerge(dependencies)))
  try {
    await runtime.runPromise(Effect.gen(function*() {
      const now = Date.now()
      const tenantId = TenantId.make("tnt_bench")
      const installationId = InstallationId.make("inst_bench")
      yield* (yield* TenantStore).createTenant({ id: tenantId, name: "bench", createdAt: now })
      const sealed = yield* sealTokens(yield* Vault, tenantId, installationId, {
        accessToken: Redacted.make("ghs_bench_token_never_used"),
        refreshToken: Option.none(),
        expiresAt: Option.none(),
        scopes: [],
        extra: {}
      })
      yield* (yield* InstallationStore).upsert({
        id: installationId,
        tenantId,
        providerId: ProviderId.make("github"),
        externalAccountId: String(GITHUB_INSTALLATION_ID),
        displayName: "bench-org",
        status: "active",
        grantedScopes: ["issues:read", "issues:write"],
        registrationId: null,
        metadata: { appSlug: BOT, appId: "1000001" },
        createdAt: now,
        updatedAt: now
      }, { sealed, expiresAt: null })
      yield* (yield* PublicationStore).insert({
        id: PublicationId.make("pub_bench"),
        tenantId,
        installationId,
        agentId: "bench-agent",
        scopes: ["issues:read"],
        granularity: "issue",
        filters: {},
        status: "active",
        createdAt: now,
        updatedAt: now
      })
    }))
  } finally {
    await runtime.dispose()
  }
}

/** Migrates the file only (the kernel's migrations, as the server would at start). */
export const migrateOnly = async (filename: string, env: Readonly<Record<string, string>>): Promise<void> => {
  const runtime = ManagedRuntime.make(runtimeDependencies({ env, sql: SqliteClient.layer(BetterSqlite3.driver, { filename }), migrate: true }))
  try {
    await runtime.runPromise(Effect.void)
  } finally {
    await runtime.dispose()
  }
}

export interface ScaleCounts {
  readonly installations: number
  readonly publications: number
  readonly events: number
}

/**
 * Bulk rows on a migrated file: tenants of 10 installations each, a publication on every tenth
 * installation, and events spread over the tenants and over the last 30 days, each with its own
 * delivery id and digest. Installations carry a placeholder sealed secret: no bench opens it.
 * Event bodies are 1 KB (not 8): the indexes, not the bodies, are what scale changes.
 */
export const seedScale = (filename: string, counts: ScaleCounts): void => {
  const db = new Database(filename)
  db.pragma("journal_mode = WAL")
  db.pragma("synchronous = OFF")
  const now = Date.now()
  const tenants = Math.max(1, Math.ceil(counts.installations / 10))
  const insertTenant = db.prepare("INSERT INTO tenants (tenant_id, name, created_at) VALUES (?, ?, ?)")
  const insertInstallation = db.prepare(
    `INSERT INTO installations (tenant_id, id, provider_id, external_account_id, display_name, status, granted_scopes, metadata,
      registration_id, secret_key_id, secret_ciphertext, token_expires_at, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, 'active', '[]', ?, NULL, 'k1', 'placeholder', NULL, ?, ?)`
  )
  const insertPublication = db.prepare(
    `INSERT INTO publications (tenant_id, id, installation_id, agent_id, scopes, granularity, filters, status, created_at, updated_at)
      VALUES (?, ?, ?, 'agent', '["issues:read"]', 'issue', '{}', 'active', ?, ?)`
  )
  const insertEvent = db.prepare(
    `INSERT INTO webhook_events (tenant_id, id, provider_id, delivery_id, event_type, external_account_id, status, reason, headers, body,
      received_at, updated_at, content_digest) VALUES (?, ?, 'github', ?, 'issue_comment.created', ?, ?, NULL, '{}', ?, ?, ?, ?)`
  )
  const body = JSON.stringify({ action: "created", text: "x".repeat(960) })
  const providers = ["github", "linear", "slack", "jira"]
  db.transaction(() => {
    for (let tenant = 0; tenant < tenants; tenant++) insertTenant.run(`tnt_scale_${tenant}`, `scale ${tenant}`, now)
    for (let index = 0; index < counts.installations; index++) {
      const tenant = `tnt_scale_${index % tenants}`
      insertInstallation.run(tenant, `inst_scale_${index}`, providers[index % providers.length]!, `acct-scale-${index}`, `scale ${index}`,
        JSON.stringify({ appSlug: "scale-bot" }), now, now)
    }
    for (let index = 0; index < counts.publications; index++) {
      const installation = (index * 10) % counts.installations
      insertPublication.run(`tnt_scale_${installation % tenants}`, `pub_scale_${index}`, `inst_scale_${installation}`, now, now)
    }
    const month = 30 * 24 * 60 * 60 * 1000
    for (let index = 0; index < counts.events; index++) {
      const at = now - month + Math.floor((index / counts.events) * month)
      const id = `evt_${at.toString(36).padStart(9, "0")}${index.toString(36).padStart(8, "0")}`
      insertEvent.run(`tnt_scale_${index % tenants}`, id, `scale-delivery-${index}`, `acct-scale-${index % counts.installations}`,
        index % 50 === 0 ? "ignored" : "dispatched", body, at, at, `${index.toString(16).padStart(16, "0")}${"0".repeat(48)}`)
    }
  })()
  db.pragma("wal_checkpoint(TRUNCATE)")
  db.close()
}
