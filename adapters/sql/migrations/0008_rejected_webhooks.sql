-- Webhook requests the gateway refused (bad signature, stale, malformed, too large, unknown
-- provider, over a tenant's limit): reason, time and headers (signatures redacted), never the
-- body. Bounded: the store keeps the newest rows of each provider and deletes older ones on
-- insert. `tenant_id` is `_unrouted` unless the request named its tenant; no foreign key, as for
-- webhook_events.

CREATE TABLE IF NOT EXISTS rejected_webhooks (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  path TEXT NOT NULL,
  status INTEGER NOT NULL,
  reason TEXT NOT NULL,
  message TEXT NOT NULL,
  headers TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

-- The operator's list and the pruning, per provider, newest first.
CREATE INDEX IF NOT EXISTS rejected_webhooks_by_provider
  ON rejected_webhooks (provider_id, received_at);

-- A tenant's own refusals.
CREATE INDEX IF NOT EXISTS rejected_webhooks_by_tenant
  ON rejected_webhooks (tenant_id, received_at);
