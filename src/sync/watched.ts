import type { Queryable } from '../db/db.ts';

/** A permit someone watches, as the scheduler needs it. */
export interface WatchedPermit {
  stream: string;
  jurisdiction: string;
  permit_number: string;
}

/**
 * The only place the scheduler reads the watchlist (issue 17 item 1's projection): watched
 * permits with no schedule row yet. A permit watched by several keys is one permit to check.
 */
export function unscheduledWatches(db: Queryable): Promise<WatchedPermit[]> {
  return db.all<WatchedPermit>(
    `SELECT DISTINCT w.stream, w.jurisdiction, w.permit_number FROM watchlist w
     WHERE NOT EXISTS (SELECT 1 FROM sync_schedule s WHERE s.stream = w.stream)`,
  );
}

/** Scheduled permits nobody watches any more. */
export async function unwatchedSchedules(db: Queryable): Promise<string[]> {
  const rows = await db.all<{ stream: string }>(
    'SELECT s.stream FROM sync_schedule s WHERE NOT EXISTS (SELECT 1 FROM watchlist w WHERE w.stream = s.stream)',
  );
  return rows.map((r) => r.stream);
}

/**
 * Whether the watchlist projection's table exists in this database. The watchlist (issue 17
 * item 1) lands separately from the scheduler; until it has, nothing is watched.
 */
export async function hasWatchlist(db: Queryable): Promise<boolean> {
  return !!(await db.get("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'watchlist'"));
}
