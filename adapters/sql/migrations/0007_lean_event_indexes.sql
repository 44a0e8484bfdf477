-- Leaner indexes for the hot paths (issue 14), measured by bench/scale.ts and checked by
-- test/store/queryPlans.test.ts. Idempotent, as every migration here.
--
-- The recovery sweep (listUndecided) reads only events still `received`, which deciding moves on
-- within seconds of their receipt: a partial index holds just those, so it stays a few rows deep
-- however many events are kept, costs nothing for events stored as ignored, and is no longer an
-- index a tenant's listing filtered by status can pick over the tenant's own (it scanned every
-- tenant's events of that status).
DROP INDEX IF EXISTS webhook_events_by_status;
CREATE INDEX IF NOT EXISTS webhook_events_undecided
  ON webhook_events (received_at, id) WHERE status = 'received';

-- An event's dispatches, newest first (the deliveries API): the order within the index, so the
-- planner takes it over outbox_by_created (which read the tenant's whole outbox).
DROP INDEX IF EXISTS outbox_by_event;
CREATE INDEX IF NOT EXISTS outbox_by_event ON outbox (tenant_id, event_id, created_at);
