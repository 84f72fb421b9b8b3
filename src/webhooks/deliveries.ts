import type { Queryable } from '../db/db.ts';

/** `?limit=` of the deliveries log (reference: 1–100, default 20). */
export const DELIVERIES_LIMIT_DEFAULT = 20;
export const DELIVERIES_LIMIT_MAX = 100;
/** Attempts shown per delivery in the log; the newest ones. */
export const ATTEMPTS_SHOWN_MAX = 10;

export interface DeliveryAttempt {
  attempt: number;
  started_at: string;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_preview: string | null;
}

export interface DeliveryView {
  id: string;
  event_type: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  stream: string;
  stream_version: number;
  payload: unknown;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  last_attempt_at: string | null;
  next_attempt_at: string | null;
  delivered_at: string | null;
  attempt_log: DeliveryAttempt[];
}

interface Row {
  id: string;
  event_type: string;
  status: DeliveryView['status'];
  attempts: number;
  stream: string;
  stream_version: number;
  payload: string;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  last_attempt_at: string | null;
  next_attempt_at: number | null;
  delivered_at: string | null;
}

async function view(db: Queryable, row: Row): Promise<DeliveryView> {
  const attempts = await db.all<DeliveryAttempt>(
    `SELECT attempt, started_at, duration_ms, status_code, error, response_preview FROM webhook_attempts
     WHERE delivery_id = ? ORDER BY rowid DESC LIMIT ?`,
    [row.id, ATTEMPTS_SHOWN_MAX],
  );
  return {
    ...row,
    payload: JSON.parse(row.payload) as unknown,
    next_attempt_at: row.status === 'pending' && row.next_attempt_at !== null ? new Date(row.next_attempt_at).toISOString() : null,
    attempt_log: attempts,
  };
}

/** A subscription's deliveries, newest first, each with its exact payload and recent attempts. */
export async function listDeliveries(
  db: Queryable,
  webhookId: string,
  options: { limit: number; status?: DeliveryView['status'] },
): Promise<DeliveryView[]> {
  const rows = await db.all<Row>(
    `SELECT id, event_type, status, attempts, stream, stream_version, payload, last_status_code, last_error, created_at,
       last_attempt_at, next_attempt_at, delivered_at
     FROM webhook_deliveries WHERE webhook_id = ? ${options.status ? 'AND status = ?' : ''} ORDER BY seq DESC LIMIT ?`,
    options.status ? [webhookId, options.status, options.limit] : [webhookId, options.limit],
  );
  return Promise.all(rows.map((r) => view(db, r)));
}

export async function getDelivery(db: Queryable, webhookId: string, deliveryId: string): Promise<DeliveryView | undefined> {
  const row = await db.get<Row>(
    `SELECT id, event_type, status, attempts, stream, stream_version, payload, last_status_code, last_error, created_at,
       last_attempt_at, next_attempt_at, delivered_at
     FROM webhook_deliveries WHERE webhook_id = ? AND id = ?`,
    [webhookId, deliveryId],
  );
  return row ? view(db, row) : undefined;
}

/**
 * Manual redelivery (Plotwise: "manually retry from logs"): the same delivery, same id and
 * body, is due again now, whatever its state. If that attempt fails, the rest of the retry
 * schedule applies; a delivery whose schedule is spent is dead again after this one attempt.
 */
export async function requeueDelivery(db: Queryable, deliveryId: string, nowMs: number): Promise<void> {
  await db.run(
    `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ?`,
    [nowMs, deliveryId],
  );
}

/** Counts per status, for the subscription view and the CLI. */
export async function deliveryCounts(db: Queryable, webhookId: string): Promise<Record<DeliveryView['status'], number>> {
  const rows = await db.all<{ status: DeliveryView['status']; n: number }>(
    'SELECT status, COUNT(*) AS n FROM webhook_deliveries WHERE webhook_id = ? GROUP BY status',
    [webhookId],
  );
  const counts = { pending: 0, delivered: 0, dead: 0 };
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}
