-- Per-minute allowances shared by every instance (the SQLite and D1 schema's 0011, which says
-- more): one token bucket per key, taken from by one upsert, pruned once full.

CREATE TABLE IF NOT EXISTS limit_buckets (
  key TEXT NOT NULL PRIMARY KEY,
  tokens DOUBLE PRECISION NOT NULL,
  granted INTEGER NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE INDEX IF NOT EXISTS limit_buckets_by_update ON limit_buckets (updated_at);
