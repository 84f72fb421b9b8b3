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
  {
    // Issue 16 (defect 3 and 6): who may hear about a permit, and an index of what subscriptions
    // filter on, so the outbox finds a event's audience with index seeks instead of parsing
    // every subscription inside the write transaction.
    id: '0071_webhook_audience',
    sql: `
-- Which key may see which permit, and why: 'lookup' (the key looked it up; a lookup is never
-- undone) or 'watch' (its watchlist, issue "Watch"; a row it deletes on unwatch). A table, not
-- an event: a lookup is not a permit fact, a cached lookup must append nothing to the log, and
-- this is account data a key's deletion may remove, which an append-only log cannot.
CREATE TABLE subscriber_permits (
  stream TEXT NOT NULL,
  key_id TEXT NOT NULL,
  via TEXT NOT NULL CHECK (via IN ('lookup', 'watch')),
  since TEXT NOT NULL,
  PRIMARY KEY (stream, key_id, via)
) WITHOUT ROWID;
CREATE INDEX subscriber_permits_by_key ON subscriber_permits (key_id, stream);
-- What a subscription hearing permit.created filters on, one row per jurisdiction it names
-- ('*' for a filter left unset; city and state folded as filters.ts folds them, ZIP cut to five
-- digits): a feed discovery's audience is found by exact seeks on (value, '*') per column.
CREATE TABLE webhook_feed_filters (
  jurisdiction TEXT NOT NULL,
  city TEXT NOT NULL,
  state TEXT NOT NULL,
  category TEXT NOT NULL,
  zip5 TEXT NOT NULL,
  webhook_id TEXT NOT NULL,
  PRIMARY KEY (jurisdiction, city, state, category, zip5, webhook_id)
) WITHOUT ROWID;
CREATE INDEX webhook_feed_filters_by_webhook ON webhook_feed_filters (webhook_id);
-- Existing subscriptions, folded in SQL (filters.ts also collapses runs of spaces; the outbox
-- re-checks every candidate with matchesFilters, so this only has to find a superset).
INSERT INTO webhook_feed_filters (jurisdiction, city, state, category, zip5, webhook_id)
  SELECT COALESCE(j.value, '*'), COALESCE(upper(trim(w.city)), '*'), COALESCE(upper(trim(w.state)), '*'),
         COALESCE(lower(w.category), '*'), COALESCE(substr(w.zip_code, 1, 5), '*'), w.id
  FROM webhooks w
  LEFT JOIN json_each(CASE WHEN w.jurisdiction_filter IS NULL OR w.jurisdiction_filter = '[]' THEN '[null]' ELSE w.jurisdiction_filter END) j
  WHERE EXISTS (SELECT 1 FROM json_each(w.events) e WHERE e.value = 'permit.created')
  ON CONFLICT DO NOTHING;
`,
  },
  {
    // Issue 18: a `near` filter ({lat, lng, radius_m} as JSON; null: anywhere). Not in the feed
    // filter index: the outbox checks it on each candidate the index finds (matchesFilters).
    id: '0072_webhook_near',
    sql: `ALTER TABLE webhooks ADD COLUMN near TEXT;`,
  },
];
