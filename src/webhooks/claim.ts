import type { Queryable } from '../db/db.ts';
import { laneKeys, type LaneKeys, type Lanes } from './lanes.ts';

/**
 * Due rows read per claim before lanes pick from them: several per free slot, so rows of full
 * lanes the query could not exclude (another subscription at a full origin) do not starve it.
 */
export const CLAIM_SCAN_MAX = 500;

export interface Claimed {
  id: string;
  webhook_id: string;
  event_type: string;
  payload: string;
  attempts: number;
  lanes: LaneKeys;
}

interface Candidate {
  seq: number;
  webhook_id: string;
  key_id: string;
  url: string;
}

/**
 * Claims up to `slots` due deliveries that fit the free lanes, each with its own lease until
 * `leaseUntil`. Due: pending, next attempt reached, not leased (or lease lapsed), subscription
 * active, and no earlier pending row of the same stream for the same subscription (a permit's
 * deliveries go in log order). Rows of full lanes are skipped in the query, so a tenant whose
 * lanes are full cannot fill the scan (the query stays an ordered walk of the due index that
 * stops at its LIMIT, not a sort of every due row). A row this worker already leased is never
 * claimed again by it, even past its lease: it is in flight here or its outcome is waiting to be
 * written (a restarted process has a new worker id). The lease is taken row by row in one UPDATE that re-checks the lease, so two workers
 * never hold one row.
 */
export async function claimDue(
  db: Queryable,
  input: { worker: string; now: number; leaseUntil: number; slots: number; lanes: Lanes },
): Promise<Claimed[]> {
  if (input.slots <= 0) return [];
  const full = input.lanes.full();
  const candidates = await db.all<Candidate>(
    `SELECT d.seq, d.webhook_id, w.key_id, w.url
     FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
     WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND (d.lease_until IS NULL OR d.lease_until < ?) AND w.is_active = 1
       AND (d.lease_owner IS NULL OR d.lease_owner != ?)
       AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
                       WHERE e.webhook_id = d.webhook_id AND e.stream = d.stream AND e.status = 'pending' AND e.seq < d.seq)
       AND d.webhook_id NOT IN (SELECT value FROM json_each(?))
       AND w.key_id NOT IN (SELECT value FROM json_each(?))
       AND NOT EXISTS (SELECT 1 FROM json_each(?) o WHERE substr(w.url, 1, length(o.value) + 1) = o.value || '/')
     ORDER BY d.next_attempt_at, d.seq LIMIT ?`,
    [
      input.now,
      input.now,
      input.worker,
      JSON.stringify(full.subscriptions),
      JSON.stringify(full.keys),
      JSON.stringify(full.origins),
      Math.min(CLAIM_SCAN_MAX, input.slots * 4),
    ],
  );
  // Pick in due order while the lanes have room, entering each so later picks see it.
  const picked: { seq: number; lanes: LaneKeys }[] = [];
  for (const c of candidates) {
    if (picked.length >= input.slots) break;
    const lanes = laneKeys({ id: c.webhook_id, key_id: c.key_id, url: c.url });
    if (!input.lanes.fits(lanes)) continue;
    input.lanes.enter(lanes);
    picked.push({ seq: c.seq, lanes });
  }
  if (picked.length === 0) return [];
  const rows = await db.all<Omit<Claimed, 'lanes'> & { seq: number }>(
    `UPDATE webhook_deliveries SET lease_owner = ?, lease_until = ?
     WHERE seq IN (SELECT value FROM json_each(?)) AND status = 'pending' AND (lease_until IS NULL OR lease_until < ?)
     RETURNING seq, id, webhook_id, event_type, payload, attempts`,
    [input.worker, input.leaseUntil, JSON.stringify(picked.map((p) => p.seq)), input.now],
  );
  // Rows another worker leased in between were not ours: their lanes are free again.
  const got = new Map(rows.map((r) => [r.seq, r]));
  const claimed: Claimed[] = [];
  for (const p of picked) {
    const row = got.get(p.seq);
    if (!row) {
      input.lanes.leave(p.lanes);
      continue;
    }
    const { seq: _seq, ...rest } = row;
    claimed.push({ ...rest, lanes: p.lanes });
  }
  return claimed;
}
