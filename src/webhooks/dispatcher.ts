import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Agent } from 'undici';
import type { Db } from '../db/db.ts';
import type { Clock } from '../lib/clock.ts';
import { claimDue, type Claimed } from './claim.ts';
import { Lanes } from './lanes.ts';
import { DELIVERY_TIMEOUT_MS } from './post.ts';
import { recordAttempt, releaseLease, type AttemptOutcome, type FinishedAttempt, type RecordPolicy } from './record-attempt.ts';
import { DEFAULT_LEASE_MS, DEFAULT_MAX_CONSECUTIVE_FAILURES } from './schedule.ts';
import { signAndPost } from './sign-and-post.ts';
import { disableKeySubscriptions, findSubscription, isSubscriptionActive, type Subscription } from './subscriptions.ts';

/** Attempts in flight at once per dispatcher; lanes.ts bounds each subscription's, origin's and key's share. */
export const DISPATCH_CONCURRENCY = 256;
/** Idle wait between claims when nothing is due; bounds the append → first attempt latency when idle. */
export const DEFAULT_POLL_MS = 50;
/**
 * The share of the lease an attempt may take (connect, send, read), capped by
 * DELIVERY_TIMEOUT_MS: the rest covers claim-to-start and writing the outcome, so every attempt
 * ends and is recorded inside the lease it was claimed under.
 */
export const ATTEMPT_SHARE_OF_LEASE = 0.5;
/**
 * While attempts are in flight, the loop lets ended ones gather before it writes them and
 * claims again, up to this long or until a quarter of those in flight have ended: one commit
 * and one claim per batch instead of per attempt (each a synchronous write on the embedded
 * driver), at the cost of at most this much added latency.
 */
export const COALESCE_MS = 25;

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
  /**
   * Whether a key may still have its webhooks served, read from the accounts database (never a
   * cache) before each send; absent, keys are not checked (the subscription's own flag is).
   */
  keyActive?: (keyId: string) => Promise<boolean>;
  /** Told the outcome of every attempt (the app's Prometheus counters). */
  onAttempt?: (outcome: AttemptOutcome, durationMs: number) => void;
}

export type { AttemptOutcome };

export interface Dispatcher {
  /** Claims what is due and fits the free lanes, sends it, records the outcomes. Returns how many it sent. */
  runOnce(): Promise<number>;
  /** Claims continuously until stopped: a free slot is refilled as soon as an attempt ends. */
  start(): void;
  /** Cuts an idle sleep short (an event was just enqueued). */
  wake(): void;
  /** Stops claiming, lets the attempts in flight end, records them, and stops. */
  stop(): Promise<void>;
}

/**
 * The webhook dispatcher (DESIGN.md §8). Several may run against one database: each claims due
 * rows with a lease per row (claim.ts), so a row is in one worker's hands at a time, and a
 * worker that dies (SIGKILL) only delays its rows until their leases lapse: delivery is at least
 * once. For one subscription a permit's deliveries go in log order.
 *
 * Fair and bounded (issue 16, defect 4): attempts run in slots, not rounds. Whenever attempts
 * end, their outcomes are written in one transaction and the freed slots are claimed again at
 * once, so no delivery waits for another's slow receiver; each subscription, receiver origin
 * and API key may hold only its lane's share of the slots (lanes.ts); and an attempt's timeout
 * is shorter than its lease.
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { db, clock, agent, log, schedule } = options;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const worker = options.workerId ?? `worker_${randomUUID().slice(0, 8)}`;
  const attemptTimeoutMs = Math.min(DELIVERY_TIMEOUT_MS, Math.floor(leaseMs * ATTEMPT_SHARE_OF_LEASE));
  const policy: RecordPolicy = {
    clock,
    worker,
    schedule,
    rng: options.rng ?? Math.random,
    maxFailures: options.maxConsecutiveFailures ?? DEFAULT_MAX_CONSECUTIVE_FAILURES,
    log,
  };
  const lanes = new Lanes();
  const inFlight = new Set<Promise<void>>();
  let finished: FinishedAttempt[] = [];
  /** Claimed rows not sent (their subscription disabled or gone since the claim), to release. */
  let unsent: Claimed[] = [];
  let running = false;
  let loop: Promise<void> | undefined;
  let nudge: (() => void) | undefined;

  /** Starts one claimed attempt; when it ends, its outcome waits in `finished` and the loop is nudged. */
  function launch(row: Claimed, sub: Subscription | undefined): Promise<void> {
    const startedAt = clock.now();
    const send = async () => {
      // Asked of the database right before the send, not of the subscription read at the claim:
      // one disabled since (its key revoked, here or in another process) must not send (issue 16).
      // Its row goes back unsent and unleased, so it is claimable again if the subscription is
      // re-enabled (this worker never re-claims a row it still holds: claim.ts).
      if (!sub || !(await isSubscriptionActive(db, sub.id))) {
        unsent.push(row);
        return;
      }
      if (options.keyActive && !(await options.keyActive(sub.key_id))) {
        // Its key is revoked yet the subscription is on: a sandbox key's subscriptions are in the
        // demo database, turned off only after the revocation commits in the accounts database (a
        // crash in between, or a CLI run with the demo plane off, leaves them on). Finish it here.
        const n = await disableKeySubscriptions(db, sub.key_id, new Date(clock.now()));
        log.warn({ key_id: sub.key_id, webhooks: n }, 'webhooks of a revoked key were still on: disabled before sending');
        unsent.push(row);
        return;
      }
      const out = await signAndPost({
        agent,
        sub,
        eventType: row.event_type,
        body: row.payload,
        deliveryId: row.id,
        test: false,
        clock,
        timeoutMs: attemptTimeoutMs,
      });
      finished.push({ row, sub, out, startedAt });
    };
    const attempt: Promise<void> = send()
      .catch((err: unknown) => log.error({ err, delivery_id: row.id }, 'webhook attempt failed before it was sent'))
      .finally(() => {
        lanes.leave(row.lanes);
        inFlight.delete(attempt);
        nudge?.();
      });
    inFlight.add(attempt);
    return attempt;
  }

  /** Claims into the free slots and starts each attempt; returns the started attempts. */
  async function fill(): Promise<Promise<void>[]> {
    const now = clock.now();
    const claimed = await claimDue(db, { worker, now, leaseUntil: now + leaseMs, slots: DISPATCH_CONCURRENCY - inFlight.size, lanes });
    if (claimed.length === 0) return [];
    const subs = new Map<string, Subscription | undefined>();
    for (const id of new Set(claimed.map((c) => c.webhook_id))) subs.set(id, await findSubscription(db, id));
    return claimed.map((row) => launch(row, subs.get(row.webhook_id)));
  }

  /**
   * Writes every ended attempt, and releases every unsent row, in one transaction; on failure
   * they wait for the next flush. Returns how many attempts it wrote.
   */
  async function flush(): Promise<number> {
    if (finished.length === 0 && unsent.length === 0) return 0;
    const batch = finished;
    const release = unsent;
    finished = [];
    unsent = [];
    let outcomes: AttemptOutcome[];
    try {
      outcomes = await db.transaction(async (tx) => {
        for (const row of release) await releaseLease(tx, worker, row);
        const recorded: AttemptOutcome[] = [];
        for (const a of batch) recorded.push(await recordAttempt(tx, policy, a));
        return recorded;
      });
    } catch (err) {
      finished = [...batch, ...finished];
      unsent = [...release, ...unsent];
      throw err;
    }
    // Counted once committed: a rolled-back write is retried, not double-counted.
    outcomes.forEach((outcome, i) => options.onAttempt?.(outcome, batch[i]!.out.duration_ms));
    // A failed attempt is one warn line (issue 21), with the words the attempt log keeps.
    for (const [i, { row, sub, out }] of batch.entries()) {
      if (out.ok) continue;
      const fields = { webhook_id: sub.id, delivery_id: row.id, attempt: row.attempts + 1, outcome: outcomes[i], error: out.error };
      log.warn({ ...fields, status_code: out.status_code }, 'webhook delivery attempt failed');
    }
    return batch.length;
  }

  async function runOnce(): Promise<number> {
    await Promise.all(await fill());
    return flush();
  }

  /** Waits for an attempt to end, a wake-up, or `ms`. */
  function pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        nudge = undefined;
        resolve();
      }
      nudge = done;
    });
  }

  /** Waits while attempts end, until a quarter of those in flight have, or COALESCE_MS passes. */
  async function gather(): Promise<void> {
    const until = performance.now() + COALESCE_MS;
    while (running && inFlight.size > 0 && finished.length < Math.max(1, inFlight.size / 4)) {
      const left = until - performance.now();
      if (left <= 0) return;
      await pause(left);
    }
  }

  async function run() {
    while (running) {
      let started = 0;
      try {
        await flush();
        started = (await fill()).length;
      } catch (err) {
        log.error({ err }, 'webhook dispatch failed');
      }
      if (!running) break;
      // Claim again at once while slots fill; otherwise sleep until an attempt ends or work arrives.
      if (started === 0 || inFlight.size >= DISPATCH_CONCURRENCY) {
        if (finished.length === 0) await pause(pollMs);
      }
      await gather();
    }
    await Promise.all(inFlight);
    try {
      await flush();
    } catch (err) {
      log.error({ err }, 'webhook dispatch failed to record its last attempts');
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
      nudge?.();
    },
    async stop() {
      running = false;
      nudge?.();
      await loop;
    },
  };
}
