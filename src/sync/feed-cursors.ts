import type { Queryable } from '../db/db.ts';

/** One feed's row of `feed_cursors` (tables.ts): how far it has been read and how its runs went. */
export interface FeedCursor {
  jurisdiction: string;
  /** Everything changed up to this instant (less the overlap) is in the log; null until the first run completes. */
  since: string | null;
  /** The window of a run that has committed pages but not finished (a crash, a failed page): the next run reads it again. */
  run_since: string | null;
  run_started_at: string | null;
  /** Rows that run has committed so far. */
  run_rows: number;
  /** When the feed is next read (epoch ms). */
  due_at: number;
  last_run_at: string | null;
  last_success_at: string | null;
  /** Rows the last completed run read, and how many of them were new or changed (appended). */
  last_rows: number;
  last_appended: number;
  rows_total: number;
  appended_total: number;
  errors_total: number;
  last_error: string | null;
  last_error_at: string | null;
}

/** The feed's cursor, or undefined before its first run. */
export async function readCursor(db: Queryable, jurisdiction: string): Promise<FeedCursor | undefined> {
  return db.get<FeedCursor>('SELECT * FROM feed_cursors WHERE jurisdiction = ?', [jurisdiction]);
}

/** Every feed's cursor, by jurisdiction (`permitwatch feeds`, /metrics). */
export function listCursors(db: Queryable): Promise<FeedCursor[]> {
  return db.all<FeedCursor>('SELECT * FROM feed_cursors ORDER BY jurisdiction');
}

/** Feeds among `slugs` due by `nowMs` (a feed never run is due). */
export async function dueFeeds(db: Queryable, slugs: readonly string[], nowMs: number): Promise<string[]> {
  if (slugs.length === 0) return [];
  const rows = await db.all<{ jurisdiction: string; due_at: number }>(
    `SELECT jurisdiction, due_at FROM feed_cursors WHERE jurisdiction IN (${slugs.map(() => '?').join(', ')})`,
    [...slugs],
  );
  const dueAt = new Map(rows.map((r) => [r.jurisdiction, r.due_at]));
  return slugs.filter((s) => (dueAt.get(s) ?? 0) <= nowMs);
}

/** The earliest next run among `slugs` (epoch ms); 0 when one was never run. */
export async function nextFeedDueAt(db: Queryable, slugs: readonly string[]): Promise<number | undefined> {
  if (slugs.length === 0) return undefined;
  const rows = await db.all<{ due_at: number }>(
    `SELECT due_at FROM feed_cursors WHERE jurisdiction IN (${slugs.map(() => '?').join(', ')})`,
    [...slugs],
  );
  return rows.length < slugs.length ? 0 : Math.min(...rows.map((r) => r.due_at));
}

/**
 * Records a committed page of a run, in the transaction of its events: the run's window and its
 * rows so far. A run that dies after this reads the same window again (its rows append nothing).
 */
export async function recordPage(
  tx: Queryable,
  p: { jurisdiction: string; runSince: string; runStartedAt: string; rows: number; appended: number },
): Promise<void> {
  await tx.run(
    `INSERT INTO feed_cursors (jurisdiction, run_since, run_started_at, run_rows, rows_total, appended_total)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(jurisdiction) DO UPDATE SET run_since = excluded.run_since, run_started_at = excluded.run_started_at,
       run_rows = CASE WHEN feed_cursors.run_started_at = excluded.run_started_at THEN feed_cursors.run_rows ELSE 0 END + excluded.run_rows,
       rows_total = feed_cursors.rows_total + excluded.rows_total, appended_total = feed_cursors.appended_total + excluded.appended_total`,
    [p.jurisdiction, p.runSince, p.runStartedAt, p.rows, p.rows, p.appended],
  );
}

/**
 * A run read its whole answer: the cursor moves to `since` (never back) and the run's state
 * clears, in the transaction of its last page's events.
 */
export async function completeRun(
  tx: Queryable,
  c: { jurisdiction: string; since: string; at: string; rows: number; appended: number; dueAt: number },
): Promise<void> {
  await tx.run(
    `INSERT INTO feed_cursors (jurisdiction, since, due_at, last_run_at, last_success_at, last_rows, last_appended)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(jurisdiction) DO UPDATE SET
       since = CASE WHEN feed_cursors.since IS NULL OR feed_cursors.since < excluded.since THEN excluded.since ELSE feed_cursors.since END,
       run_since = NULL, run_started_at = NULL, run_rows = 0, due_at = excluded.due_at, last_run_at = excluded.last_run_at,
       last_success_at = excluded.last_success_at, last_rows = excluded.last_rows, last_appended = excluded.last_appended,
       last_error = NULL`,
    [c.jurisdiction, c.since, c.dueAt, c.at, c.at, c.rows, c.appended],
  );
}

/** A run failed: counted and kept for `permitwatch feeds`; its committed pages stay, its window is read again when due. */
export async function recordFailure(tx: Queryable, f: { jurisdiction: string; at: string; error: string; dueAt: number }): Promise<void> {
  await tx.run(
    `INSERT INTO feed_cursors (jurisdiction, due_at, last_run_at, errors_total, last_error, last_error_at) VALUES (?, ?, ?, 1, ?, ?)
     ON CONFLICT(jurisdiction) DO UPDATE SET due_at = excluded.due_at, last_run_at = excluded.last_run_at,
       errors_total = feed_cursors.errors_total + 1, last_error = excluded.last_error, last_error_at = excluded.last_error_at`,
    [f.jurisdiction, f.dueAt, f.at, f.error, f.at],
  );
}
