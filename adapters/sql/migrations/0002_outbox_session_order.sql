-- Switchboard schema, version 2: the outbox keeps each session's order.
--
-- A claim checks that nothing of the same session (tenant, publication, session key) is ahead
-- of the entry (OutboxStoreSql.ts). The session key lives in the dispatch JSON; indexing the
-- expression keeps that check a lookup instead of a scan of every pending entry. An expression
-- index needs no new column, so this migration stays idempotent (SQLite has no
-- ADD COLUMN IF NOT EXISTS).
CREATE INDEX IF NOT EXISTS outbox_by_session ON outbox (tenant_id, json_extract(dispatch, '$.sessionKey'));
