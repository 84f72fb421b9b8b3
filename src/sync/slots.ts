import { createHash } from 'node:crypto';

/** SignedOff re-syncs tracked permits "every 4 hours"; the cache window is the same 4 hours. */
export const DEFAULT_SYNC_INTERVAL_SECONDS = 4 * 60 * 60;
/** Shorter intervals only multiply portal traffic for pages that rarely change within minutes. */
export const MIN_SYNC_INTERVAL_SECONDS = 60;
/** A permit with an inspection scheduled within INSPECTION_SOON_MS is re-checked this often (issue 17: "e.g. hourly"). */
export const SOON_INTERVAL_MS = 60 * 60 * 1000;
/** "Within a day": an inspection this close makes its result worth knowing within the hour. */
export const INSPECTION_SOON_MS = 24 * 60 * 60 * 1000;
/**
 * Waits after a failed check, by consecutive failures (the last repeats), each capped at the
 * permit's interval: a portal that is down is asked again soon, then ever more rarely.
 */
export const FAILURE_BACKOFF_MS: readonly number[] = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000];

/**
 * Where in every interval a permit's checks fall, as a fraction in [0, 1): the first 48 bits of
 * SHA-256 of its stream. Stable across processes and restarts, and uniform, so a watchlist's
 * checks are spread evenly over the interval instead of coming due together.
 */
export function spreadFraction(stream: string): number {
  return createHash('sha256').update(stream).digest().readUIntBE(0, 6) / 2 ** 48;
}

/**
 * The permit's next check: the first instant strictly after `nowMs` on its grid, the times
 * `spreadFraction(stream) × interval + k × interval` since the epoch. Checks late by any amount
 * still land on the grid, so one late pass neither drifts a permit nor bunches the watchlist, and
 * every interval-long window of the grid holds exactly one slot per permit.
 */
export function nextSlot(stream: string, nowMs: number, intervalMs: number): number {
  const phase = Math.floor(spreadFraction(stream) * intervalMs);
  return phase + (Math.floor((nowMs - phase) / intervalMs) + 1) * intervalMs;
}

/** When to ask again after the `failures`-th failure in a row: the back-off, never past the interval. */
export function retryAfterFailure(failures: number, nowMs: number, intervalMs: number): number {
  const wait = FAILURE_BACKOFF_MS[Math.min(Math.max(failures, 1), FAILURE_BACKOFF_MS.length) - 1]!;
  return nowMs + Math.min(wait, intervalMs);
}
