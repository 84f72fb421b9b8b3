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
  {
    // Issue 16: INSERT OR REPLACE (and REPLACE) deletes the conflicting row by conflict
    // resolution, which fires no DELETE trigger, so the old triggers let history be rewritten. An
    // insert whose position or (stream, version) exists is refused before any conflict handling;
    // that also covers upserts and INSERT OR IGNORE. Two index seeks per append. An auto-assigned
    // position reads as -1 in a BEFORE INSERT trigger (sqlite.org/lang_createtrigger.html), which
    // matches no row.
    id: '0002_store_events_no_replace',
    sql: `
CREATE TRIGGER events_no_replace BEFORE INSERT ON events
WHEN EXISTS (SELECT 1 FROM events WHERE position = NEW.position)
  OR EXISTS (SELECT 1 FROM events WHERE stream = NEW.stream AND version = NEW.version)
BEGIN SELECT RAISE(ABORT, 'events are immutable: an insert may not replace an existing position or (stream, version)'); END;
`,
  },
];
