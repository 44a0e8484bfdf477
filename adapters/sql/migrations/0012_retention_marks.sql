-- Retention (SWITCHBOARD_RETENTION_DAYS, kernel/retention/Retention.ts): past it an event's body
-- and headers are emptied (its row, status and dedupe keys stay, so a replay of an old capture is
-- still a duplicate) and its finished dispatches deleted. Emptying goes oldest first per tenant;
-- `events_before` is how far it has got, so a pass starts there instead of walking again every
-- row emptied before (they stay in the tenant's index for good). Postgres has the same in 0005.

CREATE TABLE IF NOT EXISTS retention_marks (
  tenant_id TEXT NOT NULL PRIMARY KEY,
  events_before INTEGER NOT NULL
);
