-- Per-minute allowances shared by every instance on the database (Postgres has the same table in
-- its 0004): one token bucket per key (`webhooks:<tenant>`, `toolCalls:<tenant>`,
-- `authFailures:client:<address>`, ...), refilled continuously, taken from by one upsert
-- (adapters/sql/stores/LimitBucketStoreSql.ts). `granted` is what the last take granted, for its
-- RETURNING. A bucket untouched for a minute is full, the same as no row, and is pruned.
-- Used where instances share the database (Postgres; Workers' isolates on D1); one process on a
-- SQLite file counts in memory and leaves this table empty.

CREATE TABLE IF NOT EXISTS limit_buckets (
  key TEXT NOT NULL PRIMARY KEY,
  tokens REAL NOT NULL,
  granted INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE INDEX IF NOT EXISTS limit_buckets_by_update ON limit_buckets (updated_at);
