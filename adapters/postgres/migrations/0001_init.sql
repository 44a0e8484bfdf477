-- Switchboard schema for Postgres: the SQLite/D1 schema of adapters/sql/migrations (0001 to
-- 0009) in one file, with Postgres types. Column names and meanings are the same, so the stores
-- of adapters/sql run unchanged on it; adapters/postgres/stores holds the few that differ.
--
-- Rules for every migration in this folder:
--   * Migrate (adapters/postgres/PgMigrate.ts) runs each one in a transaction under an advisory
--     lock, so several instances starting at once apply it exactly once;
--   * a later change to the SQLite schema needs its twin here (the conformance suite runs the
--     same stores on both, and test/store/conformance-postgres.test.ts compares the columns);
--   * after editing, regenerate index.ts: `npx tsx test/store/generate-migrations.ts`.
--
-- Types: epoch-ms timestamps are BIGINT (INTEGER is 32-bit here), read back as JS numbers
-- (PgClient.ts). JSON stays TEXT, as on SQLite: the stores encode and decode it themselves.

CREATE TABLE IF NOT EXISTS tenants (
  tenant_id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  disabled_at BIGINT
);

CREATE TABLE IF NOT EXISTS api_keys (
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  prefix TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT,
  last_used_at BIGINT,
  PRIMARY KEY (tenant_id, id)
);

CREATE INDEX IF NOT EXISTS api_keys_by_prefix ON api_keys (prefix);

CREATE TABLE IF NOT EXISTS installations (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  external_account_id TEXT NOT NULL,
  display_name TEXT NOT NULL,
  status TEXT NOT NULL,
  granted_scopes TEXT NOT NULL,
  metadata TEXT NOT NULL,
  registration_id TEXT,
  secret_key_id TEXT NOT NULL,
  secret_ciphertext TEXT NOT NULL,
  token_expires_at BIGINT,
  -- Token refresh across instances (SQLite: 0009): every write of the secret counts up the
  -- version; a refresh is claimed until refresh_claimed_until by a compare-and-swap on it.
  secret_version BIGINT NOT NULL DEFAULT 0,
  refresh_claimed_until BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, provider_id, external_account_id)
);

CREATE INDEX IF NOT EXISTS installations_by_account
  ON installations (provider_id, external_account_id);

CREATE TABLE IF NOT EXISTS oauth_state (
  state TEXT NOT NULL PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  code_verifier TEXT,
  return_url TEXT,
  registration_id TEXT,
  expires_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE INDEX IF NOT EXISTS oauth_state_by_expiry ON oauth_state (expires_at);

CREATE TABLE IF NOT EXISTS app_registrations (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  status TEXT NOT NULL,
  external_app_id TEXT,
  display_name TEXT NOT NULL,
  metadata TEXT NOT NULL,
  secret_key_id TEXT,
  secret_ciphertext TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (id)
);

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
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, installation_id) REFERENCES installations (tenant_id, id)
);

CREATE INDEX IF NOT EXISTS publications_by_installation
  ON publications (tenant_id, installation_id);

CREATE TABLE IF NOT EXISTS webhook_events (
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
  content_digest TEXT,
  received_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id),
  -- The dedupe keys hold across instances: INSERT ... ON CONFLICT DO NOTHING yields to either.
  UNIQUE (tenant_id, provider_id, delivery_id)
);

CREATE UNIQUE INDEX IF NOT EXISTS webhook_events_by_digest
  ON webhook_events (tenant_id, provider_id, content_digest);

CREATE INDEX IF NOT EXISTS webhook_events_by_received
  ON webhook_events (tenant_id, received_at);

CREATE INDEX IF NOT EXISTS webhook_events_by_status
  ON webhook_events (status, received_at);

CREATE TABLE IF NOT EXISTS session_bindings (
  tenant_id TEXT NOT NULL,
  publication_id TEXT NOT NULL,
  session_key TEXT NOT NULL,
  session_id TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, publication_id, session_key),
  FOREIGN KEY (tenant_id, publication_id) REFERENCES publications (tenant_id, id) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS session_bindings_by_updated
  ON session_bindings (tenant_id, updated_at);

CREATE TABLE IF NOT EXISTS outbox (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  dispatch TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  -- SQLite's rowid: insertion order, which session order is kept by.
  seq BIGINT GENERATED ALWAYS AS IDENTITY,
  -- The session an entry belongs to, read once from the dispatch JSON at insert: claims compare
  -- these instead of parsing JSON per row (SQLite indexes json_extract instead, 0002).
  session_key TEXT GENERATED ALWAYS AS ((dispatch::jsonb) ->> 'sessionKey') STORED,
  publication_id TEXT GENERATED ALWAYS AS ((dispatch::jsonb) ->> 'publicationId') STORED,
  is_create BOOLEAN GENERATED ALWAYS AS (((dispatch::jsonb) ->> 'mode') = 'create') STORED,
  PRIMARY KEY (tenant_id, id)
);

CREATE INDEX IF NOT EXISTS outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX IF NOT EXISTS outbox_by_created ON outbox (tenant_id, created_at);
CREATE INDEX IF NOT EXISTS outbox_by_event ON outbox (tenant_id, event_id);
CREATE INDEX IF NOT EXISTS outbox_by_session ON outbox (tenant_id, session_key, publication_id);

CREATE TABLE IF NOT EXISTS install_ticket_redemptions (
  ticket_id TEXT NOT NULL PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  redeemed_at BIGINT NOT NULL
);

CREATE INDEX IF NOT EXISTS install_ticket_redemptions_by_expiry
  ON install_ticket_redemptions (expires_at);

-- Webhook requests the gateway refused, bounded per provider, never the body (SQLite: 0008).
CREATE TABLE IF NOT EXISTS rejected_webhooks (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  path TEXT NOT NULL,
  status INTEGER NOT NULL,
  reason TEXT NOT NULL,
  message TEXT NOT NULL,
  headers TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE INDEX IF NOT EXISTS rejected_webhooks_by_provider
  ON rejected_webhooks (provider_id, received_at);

CREATE INDEX IF NOT EXISTS rejected_webhooks_by_tenant
  ON rejected_webhooks (tenant_id, received_at);

-- The shared rate-limit gates (SQLite: 0009): until when a vendor asked a key (GitHub: an
-- installation) to wait, so every instance refuses calls in that window, not only the one that
-- was told.
CREATE TABLE IF NOT EXISTS rate_limit_gates (
  provider_id TEXT NOT NULL,
  key TEXT NOT NULL,
  blocked_until BIGINT NOT NULL,
  PRIMARY KEY (provider_id, key)
);
