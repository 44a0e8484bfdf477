-- Install tickets are single use: the id (`jti`) of each redeemed ticket is kept until the
-- ticket expires (10 minutes), and a second redemption of the same id is refused. A table, not
-- process memory, so several instances (or Workers isolates) sharing the database agree.
-- Keyed by the random ticket id alone, as the verifier checks the signature (and so the
-- tenant) before it looks here; the tenant is kept for housekeeping (deleting a tenant).

CREATE TABLE IF NOT EXISTS install_ticket_redemptions (
  ticket_id TEXT NOT NULL PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  redeemed_at INTEGER NOT NULL
);

CREATE INDEX IF NOT EXISTS install_ticket_redemptions_by_expiry
  ON install_ticket_redemptions (expires_at);
