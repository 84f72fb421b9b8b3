import type { Migration } from '../db/migrate.ts';

/**
 * The event log (DESIGN.md §3). Append-only is enforced by the database itself: triggers abort
 * any UPDATE or DELETE, so no code path, migration or operator query can rewrite history.
 */
export const STORE_MIGRATIONS: Migration[] = [
  {
    id: '0001_store_events',
    sql: `
CREATE TABLE events (
  position INTEGER PRIMARY KEY AUTOINCREMENT,
  stream TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  type TEXT NOT NULL,
  schema_version INTEGER NOT NULL,
  data TEXT NOT NULL,
  meta TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  UNIQUE (stream, version)
);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are immutable: UPDATE is not allowed'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are immutable: DELETE is not allowed'); END;
`,
  },
];
