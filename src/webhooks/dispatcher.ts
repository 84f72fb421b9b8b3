import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Agent } from 'undici';
import type { Db, Queryable } from '../db/db.ts';
import type { Clock } from '../lib/clock.ts';
import type { PostOutcome } from './post.ts';
import { DEFAULT_LEASE_MS, DEFAULT_MAX_CONSECUTIVE_FAILURES, nextAttempt } from './schedule.ts';
import { signAndPost } from './sign-and-post.ts';
import { disableSubscription, findSubscription, isSubscriptionActive, type Subscription } from './subscriptions.ts';

/** Deliveries claimed per round: one claim query and one result transaction cover them all. */
export const CLAIM_BATCH = 200;
/** Requests in flight at once per dispatcher. */
export const DISPATCH_CONCURRENCY = 64;
/** Idle wait between claim rounds; bounds the append → first attempt latency when idle. */
export const DEFAULT_POLL_MS = 50;

export interface DispatcherOptions {
  db: Db;
  clock: Clock;
  agent: Agent;
  log: Logger;
  schedule: readonly number[];
  rng?: () => number;
  maxConsecutiveFailures?: number;
  leaseMs?: number;
  pollMs?: number;
  /** Names this worker in leases and attempt rows; random per process by default. */
  workerId?: string;
  /** Told the outcome of every attempt (the app's Prometheus counters). */
  onAttempt?: (outcome: AttemptOutcome, durationMs: number) => void;
}

export type AttemptOutcome = 'delivered' | 'retry' | 'dead' | 'gone';

export interface Dispatcher {
  /** Claims due deliveries, sends them, records the outcomes. Returns how many it sent. */
  runOnce(): Promise<number>;
  /** Runs rounds until stopped, sleeping `pollMs` when nothing is due. */
  start(): void;
  /** Cuts an idle sleep short (an event was just enqueued). */
  wake(): void;
  /** Finishes the round in progress and stops. */
  stop(): Promise<void>;
}

interface Claimed {
  id: string;
  webhook_id: string;
  event_type: string;
  payload: string;
  attempts: number;
}

/**
 * The webhook dispatcher (DESIGN.md §8). Several may run against one database: each claims due
 * rows with a lease in a single UPDATE, so a row is in one worker's hands at a time, and a
 * worker that dies mid-round (SIGKILL) only delays its rows until the lease lapses: delivery is
 * at least once. For one subscription a permit's deliveries go in log order: a row is due only
 * when no earlier row of the same stream is still pending.
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { db, clock, agent, log, schedule } = options;
  const rng = options.rng ?? Math.random;
  const maxFailures = options.maxConsecutiveFailures ?? DEFAULT_MAX_CONSECUTIVE_FAILURES;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const worker = options.workerId ?? `worker_${randomUUID().slice(0, 8)}`;
  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;

  async function claim(now: number): Promise<Claimed[]> {
    return db.all<Claimed>(
      `UPDATE webhook_deliveries SET lease_owner = ?, lease_until = ?
       WHERE seq IN (
         SELECT d.seq FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
         WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND (d.lease_until IS NULL OR d.lease_until < ?) AND w.is_active = 1
           AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
                           WHERE e.webhook_id = d.webhook_id AND e.stream = d.stream AND e.status = 'pending' AND e.seq < d.seq)
         ORDER BY d.next_attempt_at, d.seq LIMIT ?)
       RETURNING id, webhook_id, event_type, payload, attempts`,
      [worker, now + leaseMs, now, now, CLAIM_BATCH],
    );
  }

  function send(row: Claimed, sub: Subscription): Promise<PostOutcome> {
    return signAndPost({
      agent,
      sub,
      eventType: row.event_type,
      body: row.payload,
      deliveryId: row.id,
      test: false,
      clock,
    });
  }

  async function record(tx: Queryable, row: Claimed, sub: Subscription, out: PostOutcome, startedAt: number): Promise<AttemptOutcome> {
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

  async function runOnce(): Promise<number> {
    const claimed = await claim(clock.now());
    if (claimed.length === 0) return 0;
    const subs = new Map<string, Subscription>();
    for (const id of new Set(claimed.map((c) => c.webhook_id))) {
      const sub = await findSubscription(db, id);
      // Disabled since the claim (revoked key, owner, failures): its rows wait, unsent.
      if (sub?.is_active) subs.set(id, sub);
    }
    const results: { row: Claimed; sub: Subscription; out: PostOutcome; startedAt: number }[] = [];
    let next = 0;
    async function lane() {
      while (next < claimed.length) {
        const row = claimed[next++]!;
        const sub = subs.get(row.webhook_id);
        if (!sub) continue;
        // A row may wait behind slow sends for most of a lease: a subscription disabled meanwhile
        // (its key revoked) must not send it (issue 16). One primary-key read per send.
        if (!(await isSubscriptionActive(db, sub.id))) continue;
        const startedAt = clock.now();
        results.push({ row, sub, out: await send(row, sub), startedAt });
      }
    }
    await Promise.all(Array.from({ length: Math.min(DISPATCH_CONCURRENCY, claimed.length) }, lane));
    const outcomes = await db.transaction(async (tx) => {
      const recorded: AttemptOutcome[] = [];
      for (const r of results) recorded.push(await record(tx, r.row, r.sub, r.out, r.startedAt));
      return recorded;
    });
    // Counted once committed: a rolled-back round is retried, not double-counted.
    outcomes.forEach((outcome, i) => options.onAttempt?.(outcome, results[i]!.out.duration_ms));
    return results.length;
  }

  async function run() {
    while (running) {
      let sent = 0;
      try {
        sent = await runOnce();
      } catch (err) {
        log.error({ err }, 'webhook dispatch round failed');
      }
      if (sent === 0 && running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wakeUp = undefined;
      }
    }
  }

  return {
    runOnce,
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    wake() {
      wakeUp?.();
    },
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
    },
  };
}
