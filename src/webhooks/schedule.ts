/**
 * When to try a failed delivery again, as data (STYLE.md §9, svix's retry schedule): entry n is
 * the wait before attempt n+1. Default: the first attempt at once; a failed one is retried after
 * 1 min, then 10 min, 1 h, 4 h (five attempts); a delivery whose last attempt fails is dead.
 */
export const DEFAULT_RETRY_SCHEDULE_SECONDS: readonly number[] = [0, 60, 600, 3_600, 14_400];
/** ± this share of each wait, so many receivers failing together do not retry in lockstep. */
export const RETRY_JITTER_RATIO = 0.1;
/** A receiver's Retry-After is honoured up to this; longer asks are clamped, not obeyed. */
export const MAX_RETRY_AFTER_SECONDS = 24 * 3_600;

export type NextAttempt = { retry: true; delayMs: number } | { retry: false; reason: 'schedule_exhausted' };

/**
 * The wait after a failed attempt, given how many attempts have now been made. The first
 * attempt is schedule[0] (due when enqueued); after attempt n, the next waits schedule[n],
 * jittered, or the receiver's Retry-After if that is longer.
 */
export function nextAttempt(input: {
  attemptsMade: number;
  schedule: readonly number[];
  rng: () => number;
  /** The receiver's Retry-After, in ms from now (http/retry.ts parseRetryAfter). */
  retryAfterMs?: number;
}): NextAttempt {
  const { attemptsMade, schedule } = input;
  if (attemptsMade >= schedule.length) return { retry: false, reason: 'schedule_exhausted' };
  const base = schedule[attemptsMade]! * 1_000;
  const jittered = base * (1 + RETRY_JITTER_RATIO * (2 * input.rng() - 1));
  const asked = input.retryAfterMs === undefined ? 0 : Math.min(input.retryAfterMs, MAX_RETRY_AFTER_SECONDS * 1_000);
  return { retry: true, delayMs: Math.round(Math.max(jittered, asked)) };
}

/** How long a claim holds a delivery; longer than one attempt (DELIVERY_TIMEOUT_MS) can take. */
export const DEFAULT_LEASE_MS = 30_000;
/** Dead deliveries in a row that disable a subscription (PermitStack: 10). */
export const DEFAULT_MAX_CONSECUTIVE_FAILURES = 10;
