-- Switchboard schema, version 1. One file for SQLite (Bun, Deno, Node) and D1.
--
-- Rules for every migration in this folder (Migrate.ts and wrangler both apply them):
--   * statements end with `;` (Migrate splits on it outside quotes and comments: no triggers);
--   * statements are idempotent (IF NOT EXISTS), because D1 has no interactive transactions
--     and a migration interrupted half way must be safe to run again;
--   * after editing, regenerate index.ts: `npx tsx test/store/generate-migrations.ts`.
--
-- Conventions: every row carries tenant_id and entity keys are (tenant_id, id), so one tenant
-- can neither collide with nor probe another tenant's ids. Timestamps are INTEGER epoch ms,
-- JSON is TEXT. Enumerations are not CHECK-constrained: adding a value later would need a
-- table rebuild in SQLite; the stores decode every row with Schema instead.

CREATE TABLE IF NOT EXISTS tenants (
  tenant_id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS api_keys (
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  prefix TEXT NOT NULL,
  -- SHA-256 of the key: the one cross-tenant lookup, hence globally unique.
  hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE IF NOT EXISTS installations (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  external_account_id TEXT NOT NULL,
  display_name TEXT NOT NULL,
  status TEXT NOT NULL,
  granted_scopes TEXT NOT NULL,
  metadata TEXT NOT NULL,
  -- The tenant's own app (app_registrations.id) the tokens were granted to; NULL for the
  -- deployment's app. No foreign key: deleting a registration leaves its installations, revoked.
  registration_id TEXT,
  -- The sealed secret (Vault): key id, ciphertext (base64url), access token expiry.
  secret_key_id TEXT NOT NULL,
  secret_ciphertext TEXT NOT NULL,
  token_expires_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, provider_id, external_account_id)
);

-- findByAccount: the webhook pipeline's cross-tenant lookup of a vendor workspace.
CREATE INDEX IF NOT EXISTS installations_by_account
  ON installations (provider_id, external_account_id);

CREATE TABLE IF NOT EXISTS oauth_state (
  -- The random state is the lookup key of the callback, which does not know its tenant yet.
  state TEXT NOT NULL PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  code_verifier TEXT,
  return_url TEXT,
  registration_id TEXT,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE INDEX IF NOT EXISTS oauth_state_by_expiry ON oauth_state (expires_at);

CREATE TABLE IF NOT EXISTS app_registrations (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  status TEXT NOT NULL,
  -- The vendor's id of the app; NULL while pending.
  external_app_id TEXT,
  display_name TEXT NOT NULL,
  metadata TEXT NOT NULL,
  -- The sealed secrets (Vault): NULL while pending, both set when the registration completes.
  secret_key_id TEXT,
  secret_ciphertext TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id),
  -- The webhook route finds a registration by its id alone (findById), before it knows the
  -- tenant: the id must name one registration across tenants.
  UNIQUE (id)
);

-- list: a tenant's registrations, oldest first.
CREATE INDEX IF NOT EXISTS app_registrations_by_tenant
  ON app_registrations (tenant_id, created_at);

CREATE TABLE IF NOT EXISTS publications (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  installation_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  scopes TEXT NOT NULL,
  granularity TEXT NOT NULL,
  filters TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id),
  -- Installations are revoked, never deleted, so this only rejects dangling references.
  FOREIGN KEY (tenant_id, installation_id) REFERENCES installations (tenant_id, id)
);

CREATE INDEX IF NOT EXISTS publications_by_installation
  ON publications (tenant_id, installation_id);

CREATE TABLE IF NOT EXISTS webhook_events (
  -- Events that matched no installation live under the `_unrouted` pseudo-tenant, which has no
  -- tenants row: hence no foreign key here.
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  external_account_id TEXT,
  status TEXT NOT NULL,
  reason TEXT,
  headers TEXT NOT NULL,
  body TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id),
  -- The dedupe key: a vendor's redelivery of the same delivery id is a duplicate.
  UNIQUE (tenant_id, provider_id, delivery_id)
);

-- list (newest first, paged by received_at).
CREATE INDEX IF NOT EXISTS webhook_events_by_received
  ON webhook_events (tenant_id, received_at);

-- listUndecided: events still `received`, oldest first, any tenant.
CREATE INDEX IF NOT EXISTS webhook_events_by_status
  ON webhook_events (status, received_at);

CREATE TABLE IF NOT EXISTS session_bindings (
  tenant_id TEXT NOT NULL,
  publication_id TEXT NOT NULL,
  session_key TEXT NOT NULL,
  session_id TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, publication_id, session_key),
  -- A binding means nothing without its publication.
  FOREIGN KEY (tenant_id, publication_id) REFERENCES publications (tenant_id, id) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS session_bindings_by_updated
  ON session_bindings (tenant_id, updated_at);

CREATE TABLE IF NOT EXISTS outbox (
  tenant_id TEXT NOT NULL,
  -- Equals the dispatch id: one entry per delivery and publication.
  id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  dispatch TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  -- For a pending entry, when it is due; a claim moves it forward (the lease).
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

-- claimDue: pending entries by due time, any tenant.
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (status, next_attempt_at);

-- list (newest first) and list by event.
CREATE INDEX IF NOT EXISTS outbox_by_created ON outbox (tenant_id, created_at);
CREATE INDEX IF NOT EXISTS outbox_by_event ON outbox (tenant_id, event_id);
