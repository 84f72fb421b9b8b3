import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE_SECONDS, MAX_RETRY_AFTER_SECONDS, nextAttempt, RETRY_JITTER_RATIO } from './schedule.ts';

const mid = () => 0.5; // no jitter
const schedule = DEFAULT_RETRY_SCHEDULE_SECONDS;

describe('retry schedule', () => {
  it('waits 1 min, 10 min, 1 h, 4 h after attempts 1–4, and gives up after the 5th', () => {
    expect([1, 2, 3, 4].map((n) => nextAttempt({ attemptsMade: n, schedule, rng: mid }))).toEqual([
      { retry: true, delayMs: 60_000 },
      { retry: true, delayMs: 600_000 },
      { retry: true, delayMs: 3_600_000 },
      { retry: true, delayMs: 14_400_000 },
    ]);
    expect(nextAttempt({ attemptsMade: 5, schedule, rng: mid })).toEqual({ retry: false, reason: 'schedule_exhausted' });
  });

  it('jitters by at most ±10 %', () => {
    const low = nextAttempt({ attemptsMade: 1, schedule, rng: () => 0 });
    const high = nextAttempt({ attemptsMade: 1, schedule, rng: () => 0.999999 });
    expect(low).toEqual({ retry: true, delayMs: 60_000 * (1 - RETRY_JITTER_RATIO) });
    expect(high.retry && high.delayMs).toBeCloseTo(60_000 * (1 + RETRY_JITTER_RATIO), -1);
  });

  it('honours a longer Retry-After, clamped to a day, and ignores a shorter one', () => {
    expect(nextAttempt({ attemptsMade: 1, schedule, rng: mid, retryAfterMs: 120_000 })).toEqual({ retry: true, delayMs: 120_000 });
    expect(nextAttempt({ attemptsMade: 1, schedule, rng: mid, retryAfterMs: 5_000 })).toEqual({ retry: true, delayMs: 60_000 });
    expect(nextAttempt({ attemptsMade: 1, schedule, rng: mid, retryAfterMs: 9e9 })).toEqual({
      retry: true,
      delayMs: MAX_RETRY_AFTER_SECONDS * 1000,
    });
  });

  it('takes any schedule as data: a one-entry schedule makes the first failure final', () => {
    expect(nextAttempt({ attemptsMade: 1, schedule: [0], rng: mid })).toEqual({ retry: false, reason: 'schedule_exhausted' });
  });
});
