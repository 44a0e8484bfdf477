-- Replay protection: a captured, correctly signed body re-sent under a new delivery id is a
-- duplicate. The digest (hex SHA-256 of the signed content, the raw body) is unique per tenant
-- and provider beside the delivery id; one INSERT ... ON CONFLICT DO NOTHING yields to either
-- key, so it holds across concurrent requests and across instances sharing the database.
--
-- Retention: a digest lives as long as its event row, and nothing prunes webhook_events, so a
-- body is never accepted twice. A shorter window would reopen replays for GitHub, which signs
-- no timestamp; whatever prunes events later must keep (tenant, provider, digest) for those.
-- Rows from before this migration have no digest (NULL never conflicts): they dedupe on the
-- delivery id alone, as they did.
--
-- Idempotent: SQLite has no ADD COLUMN IF NOT EXISTS, so Migrate.ts treats "duplicate column"
-- on an ADD COLUMN as already applied (a run interrupted after it).

ALTER TABLE webhook_events ADD COLUMN content_digest TEXT;

CREATE UNIQUE INDEX IF NOT EXISTS webhook_events_by_digest
  ON webhook_events (tenant_id, provider_id, content_digest);

-- Stored headers leave out signatures (a signature next to its body is all a replay needs):
-- remove those that rows written before this migration still hold. The kernel also strips
-- them when a delivery is read, whatever the header's name.
UPDATE webhook_events
  SET headers = json_remove(headers,
    '$."x-hub-signature-256"', '$."x-hub-signature"', '$."linear-signature"', '$."x-slack-signature"',
    '$."authorization"', '$."cookie"')
  WHERE headers LIKE '%signature%' OR headers LIKE '%authorization%' OR headers LIKE '%cookie%';
