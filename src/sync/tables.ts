import type { Migration } from '../db/migrate.ts';

/**
 * The scheduler's working state. Not a projection: it holds leases and due times, which are not
 * facts and must survive a rebuild untouched; its rows are reconciled from the watchlist instead.
 * - `sync_schedule`: one row per watched permit: when its next check is due (epoch ms), who holds
 *   it (lease), and how its last check went.
 * - `sync_hosts`: which process checks each portal host's permits, so the catalog's politeness
 *   budget for a host is kept by one host queue however many processes run.
 * - `sync_workers`: which scheduler processes are alive, so hosts are shared out between them.
 * - `feed_cursors` (issue 18): per feed jurisdiction, how far its changedSince feed has been read
 *   and how its runs went (feed-cursors.ts). Moved in the transaction of the events it covers.
 */
export const SYNC_MIGRATIONS: Migration[] = [
  {
    id: '0080_sync_schedule',
    sql: `
CREATE TABLE sync_schedule (
  stream TEXT PRIMARY KEY,
  jurisdiction TEXT NOT NULL,
  permit_number TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  lease_owner TEXT,
  lease_until INTEGER,
  last_checked_at TEXT,
  last_result TEXT,
  failures INTEGER NOT NULL DEFAULT 0,
  checks INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sync_schedule_due ON sync_schedule (jurisdiction, due_at);
CREATE TABLE sync_hosts (
  host TEXT PRIMARY KEY,
  lease_owner TEXT,
  lease_until INTEGER
);
CREATE TABLE sync_workers (
  worker TEXT PRIMARY KEY,
  seen_until INTEGER NOT NULL
);
`,
  },
  {
    id: '0086_feed_cursors',
    sql: `
CREATE TABLE feed_cursors (
  jurisdiction TEXT PRIMARY KEY,
  since TEXT,
  run_since TEXT,
  run_started_at TEXT,
  run_rows INTEGER NOT NULL DEFAULT 0,
  due_at INTEGER NOT NULL DEFAULT 0,
  last_run_at TEXT,
  last_success_at TEXT,
  last_rows INTEGER NOT NULL DEFAULT 0,
  last_appended INTEGER NOT NULL DEFAULT 0,
  rows_total INTEGER NOT NULL DEFAULT 0,
  appended_total INTEGER NOT NULL DEFAULT 0,
  errors_total INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  last_error_at TEXT
);
`,
  },
  {
    // Checks in someone's hands are few (a batch per host in flight, or a dead worker's until its
    // lease lapses): indexed apart, a host's next claimable time is two short index reads, not a
    // scan of its whole schedule after every batch (bench/sync-simulated.ts, 100,000 permits).
    id: '0087_sync_schedule_leased',
    sql: `CREATE INDEX sync_schedule_leased ON sync_schedule (lease_until) WHERE lease_until IS NOT NULL;`,
  },
];
