-- The twin of SQLite/D1's 0007 (leaner indexes for the hot paths, issue 14).
--
-- The recovery sweep (claimUndecided) reads only events still `received`: a partial index holds
-- just those, so it stays a few rows deep however many events are kept, and a tenant's listing
-- filtered by status uses the tenant's own index instead.
DROP INDEX IF EXISTS webhook_events_by_status;
CREATE INDEX IF NOT EXISTS webhook_events_undecided
  ON webhook_events (received_at, id) WHERE status = 'received';

-- An event's dispatches, newest first (the deliveries API): the order within the index.
DROP INDEX IF EXISTS outbox_by_event;
CREATE INDEX IF NOT EXISTS outbox_by_event ON outbox (tenant_id, event_id, created_at);
