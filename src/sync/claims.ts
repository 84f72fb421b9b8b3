import type { Db } from '../db/db.ts';

/** A due check in this worker's hands until `lease_until`. */
export interface ClaimedCheck {
  stream: string;
  jurisdiction: string;
  permit_number: string;
  due_at: number;
  failures: number;
}

export interface ClaimRequest {
  worker: string;
  /** The portal host whose lease this worker must hold: only its holder may claim its permits. */
  host: string;
  /** The jurisdictions whose portals are on that host. */
  jurisdictions: readonly string[];
  /** Claims checks due at or before this instant (epoch ms). */
  dueBy: number;
  nowMs: number;
  leaseMs: number;
  limit: number;
}

/**
 * Claims up to `limit` due, unleased checks of one host's jurisdictions, earliest due first, in
 * one UPDATE ... RETURNING on the writer (as the webhook dispatcher claims deliveries): a row is
 * in one worker's hands at a time, and a worker that dies leaves its rows to whoever claims once
 * the lease lapses. The host-lease condition fences a worker that lost its host while it slept.
 */
export function claimDue(db: Db, r: ClaimRequest): Promise<ClaimedCheck[]> {
  const slugs = r.jurisdictions.map(() => '?').join(', ');
  return db.all<ClaimedCheck>(
    `UPDATE sync_schedule SET lease_owner = ?, lease_until = ?
     WHERE stream IN (
       SELECT stream FROM sync_schedule
       WHERE jurisdiction IN (${slugs}) AND due_at <= ? AND (lease_until IS NULL OR lease_until < ?)
       ORDER BY due_at LIMIT ?)
       AND EXISTS (SELECT 1 FROM sync_hosts WHERE host = ? AND lease_owner = ? AND lease_until >= ?)
     RETURNING stream, jurisdiction, permit_number, due_at, failures`,
    [r.worker, r.nowMs + r.leaseMs, ...r.jurisdictions, r.dueBy, r.nowMs, r.limit, r.host, r.worker, r.nowMs],
  );
}

/** How a claimed check ended, and when the permit is due next. */
export interface Completion {
  stream: string;
  nextDueAt: number;
  /** `unchanged`, `changed`, `not_found`, or `failed: <why>`. */
  result: string;
  failures: number;
  checkedAt: string;
}

/**
 * Records finished checks and frees their rows, in one transaction. Only rows this worker still
 * holds are written; returns the streams it no longer held (its lease lapsed and another worker
 * claimed the row, or the permit was unwatched meanwhile).
 */
export function completeChecks(db: Db, worker: string, done: readonly Completion[]): Promise<string[]> {
  if (done.length === 0) return Promise.resolve([]);
  return db.transaction(async (tx) => {
    const lost: string[] = [];
    for (const c of done) {
      const r = await tx.run(
        `UPDATE sync_schedule SET due_at = ?, lease_owner = NULL, lease_until = NULL, last_checked_at = ?, last_result = ?,
           failures = ?, checks = checks + 1
         WHERE stream = ? AND lease_owner = ?`,
        [c.nextDueAt, c.checkedAt, c.result, c.failures, c.stream, worker],
      );
      if (r.changes === 0) lost.push(c.stream);
    }
    return lost;
  });
}

/** Gives claimed checks back unchecked (the worker is stopping): due as they were, claimable at once. */
export async function releaseChecks(db: Db, worker: string, streams: readonly string[]): Promise<void> {
  if (streams.length === 0) return;
  await db.transaction(async (tx) => {
    for (const stream of streams) {
      await tx.run('UPDATE sync_schedule SET lease_owner = NULL, lease_until = NULL WHERE stream = ? AND lease_owner = ?', [
        stream,
        worker,
      ]);
    }
  });
}
