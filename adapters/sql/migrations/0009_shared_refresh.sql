-- Several instances sharing one database (Postgres has the same columns in its 0001).
--
-- installations.secret_version: counts every write of the sealed secret. A token refresh is
-- claimed by a compare-and-swap on it (refresh_claimed_until set while the version is the one
-- read and no unexpired claim stands), and stored only while the version is still the claimed
-- one: of instances racing to refresh, exactly one calls the vendor, and the others wait for its
-- tokens (kernel/install/InstallationTokens.ts). A rotating refresh token is spent once.
-- rate_limit_gates: until when a vendor asked a key (GitHub: an installation) to wait, so every
-- instance refuses calls in that window, not only the one that was told.
--
-- Idempotent: Migrate.ts treats "duplicate column" on an ADD COLUMN as already applied.

ALTER TABLE installations ADD COLUMN secret_version INTEGER NOT NULL DEFAULT 0;

ALTER TABLE installations ADD COLUMN refresh_claimed_until INTEGER;

CREATE TABLE IF NOT EXISTS rate_limit_gates (
  provider_id TEXT NOT NULL,
  key TEXT NOT NULL,
  blocked_until INTEGER NOT NULL,
  PRIMARY KEY (provider_id, key)
);
