import type { Migration } from '../db/migrate.ts';

/** The checkpoint name of the outbox projection (projection_checkpoints.name). */
export const OUTBOX_PROJECTION = 'webhook_outbox';

/**
 * Subscriptions, the outbox of deliveries and the log of attempts. The secret is stored in
 * clear because HMAC signing needs it (a hash could only verify); it leaves the database only
 * in the create, rotate and admin `/secret` responses.
 */
export const WEBHOOK_MIGRATIONS: Migration[] = [
  {
    id: '0070_webhooks',
    sql: `
CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  key_id TEXT NOT NULL,
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  jurisdiction_filter TEXT,
  city TEXT,
  state TEXT,
  category TEXT,
  zip_code TEXT,
  is_active INTEGER NOT NULL,
  secret TEXT NOT NULL,
  previous_secret TEXT,
  previous_secret_expires_at INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_triggered_at TEXT,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  disabled_reason TEXT,
  disabled_at TEXT,
  deleted_at TEXT
);
CREATE INDEX webhooks_by_key ON webhooks (key_id, created_at);
CREATE TABLE webhook_deliveries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  webhook_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  stream TEXT NOT NULL,
  stream_version INTEGER NOT NULL,
  position INTEGER NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  lease_owner TEXT,
  lease_until INTEGER,
  created_at TEXT NOT NULL,
  last_attempt_at TEXT,
  last_status_code INTEGER,
  last_error TEXT,
  delivered_at TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (webhook_id, stream, status, seq);
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, seq);
CREATE TABLE webhook_attempts (
  delivery_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  started_at TEXT NOT NULL,
  duration_ms INTEGER NOT NULL,
  status_code INTEGER,
  error TEXT,
  response_preview TEXT,
  worker TEXT NOT NULL
);
CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts (delivery_id, attempt);
-- A database that already has a log starts the outbox at its head: subscriptions created from
-- now on hear about events from now on, and the first catch-up does not walk the whole history.
INSERT INTO projection_checkpoints (name, position)
  SELECT 'webhook_outbox', COALESCE(MAX(position), 0) FROM events WHERE true
  ON CONFLICT(name) DO NOTHING;
`,
  },
];
