-- API key lifecycle and tenant administration.
--
-- tenants.disabled_at: a disabled tenant's keys are refused (the key lookup joins tenants), so
-- disabling takes effect on the next request on every instance; NULL is active.
-- api_keys.last_used_at: when a key last authenticated, to the minute (the kernel writes it at
-- most once a minute per key, so a busy key costs no write per request).
-- api_keys_by_prefix: a failed attempt's key prefix finds the tenant it aims at, whose failures
-- are limited together (kernel/limits/Limits.ts).
--
-- Idempotent: Migrate.ts treats "duplicate column" on an ADD COLUMN as already applied.

ALTER TABLE tenants ADD COLUMN disabled_at INTEGER;

ALTER TABLE api_keys ADD COLUMN last_used_at INTEGER;

CREATE INDEX IF NOT EXISTS api_keys_by_prefix ON api_keys (prefix);
