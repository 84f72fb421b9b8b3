import type { Queryable } from '../db/db.ts';
import { PERMIT_OBSERVED } from '../events/permit-observed.ts';
import { WATCH_ADDED, WATCH_REMOVED, WATCH_UPDATED } from '../events/watch.ts';
import { assertUnreachable } from '../lib/assert-unreachable.ts';
import type { ReadModel } from './projection.ts';

const MIGRATIONS = [
  {
    id: '0025_projection_watchlist',
    // WITHOUT ROWID: rows sit in `id` order however they were inserted, so catch-up (log order)
    // and a rebuild (stream order) leave byte-identical tables. No UNIQUE(key_id, stream): a
    // rebuild replays watch streams in id order, so a removed watch and its successor on the same
    // permit can both be present mid-replay; the write path keeps one watch per key and permit.
    sql: `
CREATE TABLE watchlist (
  id TEXT PRIMARY KEY,
  key_id TEXT NOT NULL,
  stream TEXT NOT NULL,
  jurisdiction TEXT NOT NULL,
  permit_number TEXT NOT NULL,
  label TEXT,
  note TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX watchlist_by_stream ON watchlist (stream);
CREATE INDEX watchlist_by_key ON watchlist (key_id, id);
-- No log written before this build holds a watch event: an existing log starts the watchlist at
-- its head, so the first catch-up after the upgrade does not re-read the whole history.
INSERT INTO projection_checkpoints (name, position)
  SELECT 'watchlist', COALESCE(MAX(position), 0) FROM events WHERE true
  ON CONFLICT(name) DO NOTHING;
`,
  },
];

/**
 * The watchlist (issue 17): one row per live watch, folded from the `watch/<id>` streams. A
 * removed watch's row is deleted. The scheduler reads `watchlist(stream, jurisdiction,
 * permit_number)`; the API reads a key's rows by `(key_id, id)`. Watch events are rare, so each
 * is one statement, in log order within its stream.
 */
function watchlistInto(table: string): ReadModel {
  return {
    rebuild: 'replay',
    name: 'watchlist',
    tables: ['watchlist'],
    migrations: MIGRATIONS,
    async handle(events, tx) {
      for (const e of events) {
        switch (e.event.type) {
          case WATCH_ADDED: {
            const d = e.event.data;
            await tx.run(
              `INSERT INTO ${table} (id, key_id, stream, jurisdiction, permit_number, label, note, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
              [d.watch_id, d.key_id, d.stream, d.jurisdiction, d.permit_number, d.label, d.note, d.at, d.at],
            );
            break;
          }
          case WATCH_UPDATED: {
            const d = e.event.data;
            await tx.run(`UPDATE ${table} SET label = ?, note = ?, updated_at = ? WHERE id = ?`, [
              d.label,
              d.note,
              d.at,
              watchId(e.event.stream),
            ]);
            break;
          }
          case WATCH_REMOVED:
            await tx.run(`DELETE FROM ${table} WHERE id = ?`, [e.event.data.watch_id]);
            break;
          case PERMIT_OBSERVED:
            break;
          default:
            assertUnreachable(e.event, 'event type');
        }
      }
    },
    into: (rename) => watchlistInto(rename('watchlist')),
  };
}

/** The id in `watch/<id>`. */
function watchId(stream: string): string {
  return stream.slice('watch/'.length);
}

export const watchlistProjection = watchlistInto('watchlist');

/** A watchlist row as the API shows it. */
export interface WatchRow {
  id: string;
  key_id: string;
  stream: string;
  jurisdiction: string;
  permit_number: string;
  label: string | null;
  note: string | null;
  created_at: string;
  updated_at: string;
}

const WATCH_COLUMNS = 'id, key_id, stream, jurisdiction, permit_number, label, note, created_at, updated_at';

/** One of `keyId`'s watches by id; undefined for none and for another key's (no existence leak). */
export function ownedWatch(db: Queryable, keyId: string, id: string): Promise<WatchRow | undefined> {
  return db.get<WatchRow>(`SELECT ${WATCH_COLUMNS} FROM watchlist WHERE key_id = ? AND id = ?`, [keyId, id]);
}

/** `keyId`'s watch of a permit stream, if it has one. */
export function watchOf(db: Queryable, keyId: string, stream: string): Promise<WatchRow | undefined> {
  return db.get<WatchRow>(`SELECT ${WATCH_COLUMNS} FROM watchlist WHERE stream = ? AND key_id = ? ORDER BY id LIMIT 1`, [stream, keyId]);
}

/** `keyId`'s watches in id order, after `afterId` (exclusive), at most `limit`. */
export function listWatches(db: Queryable, keyId: string, afterId: string, limit: number): Promise<WatchRow[]> {
  return db.all<WatchRow>(`SELECT ${WATCH_COLUMNS} FROM watchlist WHERE key_id = ? AND id > ? ORDER BY id LIMIT ?`, [
    keyId,
    afterId,
    limit,
  ]);
}
