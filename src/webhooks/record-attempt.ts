import type { Logger } from 'pino';
import type { Queryable } from '../db/db.ts';
import type { Clock } from '../lib/clock.ts';
import type { Claimed } from './claim.ts';
import type { PostOutcome } from './post.ts';
import { nextAttempt } from './schedule.ts';
import { disableSubscription, type Subscription } from './subscriptions.ts';

export type AttemptOutcome = 'delivered' | 'retry' | 'dead' | 'gone';

/** One attempt that has ended, waiting to be written. */
export interface FinishedAttempt {
  row: Claimed;
  sub: Subscription;
  out: PostOutcome;
  startedAt: number;
}

export interface RecordPolicy {
  clock: Clock;
  worker: string;
  schedule: readonly number[];
  rng: () => number;
  maxFailures: number;
  log: Logger;
}

/**
 * Writes one attempt and what follows from it: delivered; 410 Gone (the subscription stops);
 * a retry on the schedule; or dead after the last attempt, counting towards disabling the
 * subscription. Row updates check the lease is still this worker's, so a worker whose lease
 * lapsed cannot overwrite the outcome of the worker that took the row over.
 */
export async function recordAttempt(tx: Queryable, policy: RecordPolicy, a: FinishedAttempt): Promise<AttemptOutcome> {
  const { row, sub, out, startedAt } = a;
  const { clock, worker, schedule, rng, maxFailures, log } = policy;
  const now = clock.now();
  const at = new Date(now).toISOString();
  const attempt = row.attempts + 1;
  await tx.run(
    `INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status_code, error, response_preview, worker)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [row.id, attempt, new Date(startedAt).toISOString(), out.duration_ms, out.status_code, out.error, out.response_preview, worker],
  );
  const mine = 'AND lease_owner = ?';
  if (out.ok) {
    await tx.run(
      `UPDATE webhook_deliveries SET status = 'delivered', attempts = ?, last_attempt_at = ?, last_status_code = ?, last_error = NULL,
         delivered_at = ?, next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL WHERE id = ? ${mine}`,
      [attempt, at, out.status_code, at, row.id, worker],
    );
    await tx.run('UPDATE webhooks SET consecutive_failures = 0, last_triggered_at = ? WHERE id = ?', [at, sub.id]);
    return 'delivered';
  }
  await tx.run('UPDATE webhooks SET last_triggered_at = ? WHERE id = ?', [at, sub.id]);
  if (out.status_code === 410) {
    // 410 Gone: the receiver says the endpoint no longer exists. Stop at once; the delivery
    // stays pending, due now, so it goes out first if the owner re-enables the subscription.
    await tx.run(
      `UPDATE webhook_deliveries SET attempts = ?, last_attempt_at = ?, last_status_code = 410, last_error = ?, next_attempt_at = ?,
         lease_owner = NULL, lease_until = NULL WHERE id = ? ${mine}`,
      [attempt, at, out.error, now, row.id, worker],
    );
    await disableSubscription(tx, sub.id, 'gone', `the receiver answered 410 Gone at ${at}`, new Date(now));
    return 'gone';
  }
  const next = nextAttempt({ attemptsMade: attempt, schedule, rng, retryAfterMs: out.retry_after_ms });
  if (next.retry) {
    await tx.run(
      `UPDATE webhook_deliveries SET attempts = ?, last_attempt_at = ?, last_status_code = ?, last_error = ?, next_attempt_at = ?,
         lease_owner = NULL, lease_until = NULL WHERE id = ? ${mine}`,
      [attempt, at, out.status_code, out.error, now + next.delayMs, row.id, worker],
    );
    return 'retry';
  }
  await tx.run(
    `UPDATE webhook_deliveries SET status = 'dead', attempts = ?, last_attempt_at = ?, last_status_code = ?, last_error = ?,
       next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL WHERE id = ? ${mine}`,
    [attempt, at, out.status_code, out.error, row.id, worker],
  );
  const counted = await tx.get<{ consecutive_failures: number }>(
    'UPDATE webhooks SET consecutive_failures = consecutive_failures + 1 WHERE id = ? RETURNING consecutive_failures',
    [sub.id],
  );
  if (counted && counted.consecutive_failures >= maxFailures) {
    await disableSubscription(
      tx,
      sub.id,
      'failures',
      `${counted.consecutive_failures} consecutive failed deliveries; last: ${out.error}`,
      new Date(now),
    );
    log.warn({ webhook_id: sub.id, failures: counted.consecutive_failures }, 'webhook disabled after consecutive failed deliveries');
  }
  return 'dead';
}

/**
 * Hands back a claimed row that was not sent (its subscription was disabled or removed after the
 * claim): no attempt is recorded and the row is claimable again, by any worker, once its
 * subscription is active. Only this worker's lease is released.
 */
export async function releaseLease(tx: Queryable, worker: string, row: Claimed): Promise<void> {
  await tx.run('UPDATE webhook_deliveries SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?', [row.id, worker]);
}
