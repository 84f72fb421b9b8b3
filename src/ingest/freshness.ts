import type { Queryable } from '../db/db.ts';
import type { Migration } from '../db/migrate.ts';

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

export async function touchFreshness(tx: Queryable, stream: string, checkedAt: string): Promise<void> {
  await tx.run(
    `INSERT INTO permit_freshness (stream, last_checked_at) VALUES (?, ?)
     ON CONFLICT(stream) DO UPDATE SET last_checked_at = excluded.last_checked_at, checks = checks + 1`,
    [stream, checkedAt],
  );
}

// The last timestamp parsed: cached lookups of one permit ask about the same string again and again.
let lastParsed = { text: '', ms: NaN };

/** Whole seconds since `checkedAt`, never negative (clock skew between processes). */
export function ageSeconds(checkedAt: string | null, nowMs: number): number | null {
  if (!checkedAt) return null;
  if (lastParsed.text !== checkedAt) lastParsed = { text: checkedAt, ms: Date.parse(checkedAt) };
  return Math.max(0, Math.floor((nowMs - lastParsed.ms) / 1000));
}
