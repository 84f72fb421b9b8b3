import type { Queryable } from '../db/db.ts';
import { permitStream } from '../events/permit-observed.ts';
import { markSeen, unmarkSeen } from '../webhooks/visibility.ts';

/**
 * The watchlist projection's table (issue 17 item 1, built in parallel with the scheduler), with
 * the columns its owner announced. Tests of the scheduler create it only where no migration has.
 */
const WATCHLIST_TABLE = `CREATE TABLE IF NOT EXISTS watchlist (
  id TEXT PRIMARY KEY,
  key_id TEXT NOT NULL,
  stream TEXT NOT NULL,
  jurisdiction TEXT NOT NULL,
  permit_number TEXT NOT NULL,
  label TEXT,
  note TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
)`;

export async function ensureWatchlistTable(db: Queryable): Promise<void> {
  await db.exec(WATCHLIST_TABLE);
}

/** Watches a permit for a key as the watchlist would: its row, and the key may see the permit (its webhooks hear it). */
export async function watchPermit(
  db: Queryable,
  keyId: string,
  jurisdiction: string,
  permitNumber: string,
  at = new Date(),
): Promise<string> {
  const stream = permitStream(jurisdiction, permitNumber);
  const id = `watch_${keyId}_${stream}`;
  await db.run(
    'INSERT INTO watchlist (id, key_id, stream, jurisdiction, permit_number, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [id, keyId, stream, jurisdiction, permitNumber, at.toISOString(), at.toISOString()],
  );
  await markSeen(db, keyId, stream, 'watch', at.toISOString());
  return id;
}

export async function unwatchPermit(db: Queryable, keyId: string, jurisdiction: string, permitNumber: string): Promise<void> {
  const stream = permitStream(jurisdiction, permitNumber);
  await db.run('DELETE FROM watchlist WHERE key_id = ? AND stream = ?', [keyId, stream]);
  await unmarkSeen(db, keyId, stream, 'watch');
}
