import type { Queryable } from '../db/db.ts';
import type { Clock } from '../lib/clock.ts';

/**
 * Why a key may see a permit: it looked the permit up, or (issue "Watch") it watches it. The
 * outbox joins `subscriber_permits` on the event's stream, so each source of visibility only
 * has to write rows here; the watchlist adds and removes its 'watch' rows.
 */
export type SeenVia = 'lookup' | 'watch';

/**
 * (key, permit) pairs a recorder remembers having written, so a cached lookup, the hot path,
 * does not write again. Cleared whole when full: the cost of forgetting is one idempotent
 * INSERT per pair, and 100,000 pairs are a few MB.
 */
export const SEEN_MEMO_MAX = 100_000;

/** Records that `keyId` may see `stream` from now on; idempotent. */
export async function markSeen(db: Queryable, keyId: string, stream: string, via: SeenVia, at: string): Promise<void> {
  await db.run('INSERT INTO subscriber_permits (stream, key_id, via, since) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [
    stream,
    keyId,
    via,
    at,
  ]);
}

/** A `via` row goes away (an unwatched permit); others that grant the same view remain. */
export async function unmarkSeen(db: Queryable, keyId: string, stream: string, via: SeenVia): Promise<void> {
  await db.run('DELETE FROM subscriber_permits WHERE stream = ? AND key_id = ? AND via = ?', [stream, keyId, via]);
}

/**
 * The lookup service's viewer hook: writes each (key, permit) pair once per process. It runs
 * before the lookup fetches, so the observation a first live lookup appends already reaches
 * the looking key's subscriptions (its `permit.created`).
 */
export function createLookupRecorder(db: Queryable, clock: Clock): (keyId: string, stream: string) => Promise<void> {
  const written = new Set<string>();
  return async (keyId, stream) => {
    const pair = `${keyId}\n${stream}`;
    if (written.has(pair)) return;
    await markSeen(db, keyId, stream, 'lookup', new Date(clock.now()).toISOString());
    if (written.size >= SEEN_MEMO_MAX) written.clear();
    written.add(pair);
  };
}
