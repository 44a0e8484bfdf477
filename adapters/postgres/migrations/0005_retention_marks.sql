-- Retention marks (the SQLite and D1 schema's 0012, which says more): per tenant, the receipt
-- time before which events' bodies are already emptied.

CREATE TABLE IF NOT EXISTS retention_marks (
  tenant_id TEXT NOT NULL PRIMARY KEY,
  events_before BIGINT NOT NULL
);
