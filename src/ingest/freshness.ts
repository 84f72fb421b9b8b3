import type { Queryable } from '../db/db.ts';
import type { Migration } from '../db/migrate.ts';
import { insertRows } from '../db/batch-statement.ts';

/**
 * When each permit was last checked at its portal. A check is not a fact: an unchanged
 * re-check appends nothing to the log and only moves this row (DESIGN.md §3). Not a projection,
 * so a rebuild leaves it alone.
 */
export const FRESHNESS_MIGRATIONS: Migration[] = [
  {
    id: '0030_lookup_freshness',
    sql: `CREATE TABLE permit_freshness (
  stream TEXT PRIMARY KEY,
  last_checked_at TEXT NOT NULL,
  checks INTEGER NOT NULL DEFAULT 1
)`,
  },
];

const FRESHNESS_UPSERT = ' ON CONFLICT(stream) DO UPDATE SET last_checked_at = excluded.last_checked_at, checks = checks + 1';
const touchRows = insertRows('permit_freshness', ['stream', 'last_checked_at'], FRESHNESS_UPSERT);

export async function touchFreshness(tx: Queryable, stream: string, checkedAt: string): Promise<void> {
  await touchRows(tx, [[stream, checkedAt]]);
}

/**
 * touchFreshness for many checks in few statements (a feed page), applied in the order given: a
 * stream checked twice counts two checks and keeps the later time.
 */
export async function touchFreshnessMany(tx: Queryable, checks: readonly (readonly [stream: string, checkedAt: string])[]): Promise<void> {
  await touchRows(tx, checks);
}

/**
 * Whole seconds since a permit was last checked, never negative (clock skew between processes);
 * null for never. Keeps the last timestamp it parsed: cached lookups of one permit ask about the
 * same string again and again. One per lookup service.
 */
export function createAgeReader(): (checkedAt: string | null, nowMs: number) => number | null {
  let last = { text: '', ms: NaN };
  return (checkedAt, nowMs) => {
    if (!checkedAt) return null;
    if (last.text !== checkedAt) last = { text: checkedAt, ms: Date.parse(checkedAt) };
    return Math.max(0, Math.floor((nowMs - last.ms) / 1000));
  };
}
