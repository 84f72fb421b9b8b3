/**
 * When to try a portal again, as data (STYLE.md §9). Pure: the caller passes the clock's `now` and
 * the rng, so the schedule is tested to the millisecond.
 */

/**
 * Waits before the 2nd and 3rd attempt. The first retry rides over a blip (a dropped keep-alive
 * socket, one 502 from a load balancer); the second gives a recycling app pool time to come back.
 * Two retries keep a live lookup's worst case near 2.5 s of back-off on top of the attempts, and a
 * portal that is still failing after that is treated as down (503 to our caller) rather than hammered.
 */
export const RETRY_DELAYS_MS: readonly number[] = [500, 2000];

/**
 * The longest `Retry-After` we wait out inside one fetch. A live lookup should not hang longer; past
 * this we stop and hand the portal's delay to our caller as `retry_after_seconds`.
 */
export const MAX_RETRY_AFTER_MS = 10_000;

/** Each delay is spread by ±this fraction so lookups that failed together do not retry in lockstep. */
export const RETRY_JITTER_RATIO = 0.2;

/** Statuses worth another attempt: the portal is overloaded or failing, not refusing this request. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * Parses a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Returns the wait
 * in ms from `nowMs` (0 for a date in the past), or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // All three HTTP-date forms (IMF-fixdate, RFC 850, asctime) open with the day name; requiring it
  // keeps Date.parse from reading junk like "5.5" as a date. asctime carries no zone but means GMT.
  if (!/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)/.test(text)) return undefined;
  const at = Date.parse(/GMT$/.test(text) ? text : `${text} GMT`);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: 'attempts_exhausted' | 'retry_after_too_long' };

/**
 * Decides whether attempt number `attempt` (1-based) that just failed retryably gets another go,
 * and after how long: the scheduled delay with jitter, or the portal's `Retry-After` if longer.
 */
export function nextRetry(input: {
  attempt: number;
  retryAfterMs?: number;
  rng: () => number;
  delaysMs?: readonly number[];
  maxRetryAfterMs?: number;
}): RetryDecision {
  const base = (input.delaysMs ?? RETRY_DELAYS_MS)[input.attempt - 1];
  if (base === undefined) return { retry: false, reason: 'attempts_exhausted' };
  const retryAfter = input.retryAfterMs ?? 0;
  const maxRetryAfterMs = input.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS;
  if (retryAfter > maxRetryAfterMs) return { retry: false, reason: 'retry_after_too_long' };
  const jittered = Math.round(base * (1 + RETRY_JITTER_RATIO * (2 * input.rng() - 1)));
  return { retry: true, delayMs: Math.max(jittered, retryAfter) };
}
