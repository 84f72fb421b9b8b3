import type { Clock } from '../lib/clock.ts';

/**
 * Consecutive failed attempts that open a host's circuit. One lookup makes at most three attempts
 * (RETRY_DELAYS_MS), so one unlucky lookup never cuts a host off, while a portal that is down stops
 * being called after about two lookups.
 */
export const BREAKER_FAILURE_THRESHOLD = 5;

/**
 * How long an open circuit refuses calls before one probe may test the host. Long enough for a
 * restarting portal to come back, short enough that a recovered city is live again within a minute.
 */
export const BREAKER_COOL_DOWN_MS = 30_000;

export type BreakerState = 'closed' | 'open' | 'half_open';

/** What a health endpoint reports for one host. */
export interface BreakerSnapshot {
  state: BreakerState;
  consecutive_failures: number;
  /** ISO 8601 time the circuit last opened; null while closed. */
  opened_at: string | null;
  /** How long until calls are let through again; 0 when they are. */
  retry_after_ms: number;
}

export type BreakerPermit = { allowed: true } | { allowed: false; retryAfterMs: number };

export interface Breaker {
  /** Asks to make one call now. In half-open, only the first caller (the probe) is allowed. */
  tryAcquire(): BreakerPermit;
  /** The host answered: close the circuit. */
  recordSuccess(): void;
  /** The host failed (5xx, 429, timeout, network): count it; open at the threshold, reopen a failed probe. */
  recordFailure(): void;
  /**
   * A call allowed by `tryAcquire` ended without a verdict on the host (its caller gave up, or it
   * was never sent): nothing is counted, and a half-open probe may be sent by the next caller.
   */
  abandon(): void;
  snapshot(): BreakerSnapshot;
}

/**
 * One host's circuit breaker: closed → open after `failureThreshold` consecutive failures →
 * half-open once `coolDownMs` has passed on `clock` → closed if the probe succeeds, open again if not.
 */
export function createBreaker(deps: { clock: Clock; failureThreshold?: number; coolDownMs?: number }): Breaker {
  const threshold = deps.failureThreshold ?? BREAKER_FAILURE_THRESHOLD;
  const coolDownMs = deps.coolDownMs ?? BREAKER_COOL_DOWN_MS;
  let consecutiveFailures = 0;
  let openedAt: number | undefined;
  let probeInFlight = false;

  const state = (): BreakerState => {
    if (openedAt === undefined) return 'closed';
    return deps.clock.now() < openedAt + coolDownMs ? 'open' : 'half_open';
  };
  const remainingMs = () => (openedAt === undefined ? 0 : Math.max(0, openedAt + coolDownMs - deps.clock.now()));

  return {
    tryAcquire() {
      switch (state()) {
        case 'closed':
          return { allowed: true };
        case 'open':
          return { allowed: false, retryAfterMs: remainingMs() };
        case 'half_open':
          // While the probe is out, others are told the worst case: the probe fails and the circuit reopens.
          if (probeInFlight) return { allowed: false, retryAfterMs: coolDownMs };
          probeInFlight = true;
          return { allowed: true };
      }
    },
    recordSuccess() {
      consecutiveFailures = 0;
      openedAt = undefined;
      probeInFlight = false;
    },
    recordFailure() {
      consecutiveFailures += 1;
      const current = state();
      if (current === 'half_open' || (current === 'closed' && consecutiveFailures >= threshold)) {
        openedAt = deps.clock.now();
      }
      probeInFlight = false;
    },
    abandon() {
      probeInFlight = false;
    },
    snapshot() {
      const current = state();
      return {
        state: current,
        consecutive_failures: consecutiveFailures,
        opened_at: openedAt === undefined ? null : new Date(openedAt).toISOString(),
        retry_after_ms: current === 'open' ? remainingMs() : 0,
      };
    },
  };
}
