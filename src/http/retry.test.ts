import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, RETRY_DELAYS_MS, isRetryableStatus, nextRetry, parseRetryAfter } from './retry.ts';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const middle = () => 0.5; // no jitter: 1 + 0.2 * (2 * 0.5 - 1) = 1

describe('isRetryableStatus', () => {
  it.each([500, 502, 503, 504, 429])('retries %i', (status) => expect(isRetryableStatus(status)).toBe(true));
  it.each([200, 301, 400, 403, 404, 410])('does not retry %i', (status) => expect(isRetryableStatus(status)).toBe(false));
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
  });

  it('reads an IMF-fixdate as the time left until it', () => {
    expect(parseRetryAfter('Mon, 02 Mar 2026 10:00:30 GMT', NOW)).toBe(30_000);
  });

  it('reads the obsolete RFC 850 and asctime forms, asctime as GMT', () => {
    expect(parseRetryAfter('Monday, 02-Mar-26 10:01:00 GMT', NOW)).toBe(60_000);
    expect(parseRetryAfter('Mon Mar  2 10:00:05 2026', NOW)).toBe(5_000);
  });

  it('gives 0 for a date already past', () => {
    expect(parseRetryAfter('Mon, 02 Mar 2026 09:00:00 GMT', NOW)).toBe(0);
  });

  it.each([undefined, '', '5.5', '-3', '2 minutes', 'soon', 'Mon, not a date'])('ignores %j', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });
});

describe('nextRetry', () => {
  it('follows RETRY_DELAYS_MS, then gives up', () => {
    expect(RETRY_DELAYS_MS).toEqual([500, 2000]);
    expect(nextRetry({ attempt: 1, rng: middle })).toEqual({ retry: true, delayMs: 500 });
    expect(nextRetry({ attempt: 2, rng: middle })).toEqual({ retry: true, delayMs: 2000 });
    expect(nextRetry({ attempt: 3, rng: middle })).toEqual({ retry: false, reason: 'attempts_exhausted' });
  });

  it('spreads each delay by ±20% from the rng', () => {
    expect(nextRetry({ attempt: 1, rng: () => 0 })).toEqual({ retry: true, delayMs: 400 });
    expect(nextRetry({ attempt: 2, rng: () => 0.999_999 })).toEqual({ retry: true, delayMs: 2400 });
  });

  it('waits out a Retry-After longer than the schedule', () => {
    expect(nextRetry({ attempt: 1, rng: middle, retryAfterMs: 3000 })).toEqual({ retry: true, delayMs: 3000 });
  });

  it('keeps the schedule when Retry-After is shorter', () => {
    expect(nextRetry({ attempt: 2, rng: middle, retryAfterMs: 1000 })).toEqual({ retry: true, delayMs: 2000 });
  });

  it('stops instead of waiting past MAX_RETRY_AFTER_MS', () => {
    expect(nextRetry({ attempt: 1, rng: middle, retryAfterMs: MAX_RETRY_AFTER_MS })).toEqual({
      retry: true,
      delayMs: MAX_RETRY_AFTER_MS,
    });
    expect(nextRetry({ attempt: 1, rng: middle, retryAfterMs: MAX_RETRY_AFTER_MS + 1 })).toEqual({
      retry: false,
      reason: 'retry_after_too_long',
    });
  });

  it('takes a schedule and cap from config', () => {
    expect(nextRetry({ attempt: 1, rng: middle, delaysMs: [] })).toEqual({ retry: false, reason: 'attempts_exhausted' });
    expect(nextRetry({ attempt: 3, rng: middle, delaysMs: [1, 2, 30] })).toEqual({ retry: true, delayMs: 30 });
    expect(nextRetry({ attempt: 1, rng: middle, retryAfterMs: 2000, maxRetryAfterMs: 1000 })).toEqual({
      retry: false,
      reason: 'retry_after_too_long',
    });
  });
});
