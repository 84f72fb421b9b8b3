import { describe, expect, it } from 'vitest';
import {
  hourBucketFreesAt,
  minuteBucketFreesAt,
  minuteWindow,
  monthWindow,
  rollingDayBuckets,
  rollingHourBuckets,
  secondsUntil,
} from './windows.ts';

const t = (iso: string) => Date.parse(iso);

describe('limit windows (UTC)', () => {
  it('months reset at the first instant of the next month, across the year end', () => {
    expect(monthWindow(t('2026-11-30T23:59:59.999Z'))).toEqual({ id: '2026-11', resetsAtIso: '2026-12-01T00:00:00.000Z' });
    expect(monthWindow(t('2026-12-01T00:00:00Z'))).toEqual({ id: '2026-12', resetsAtIso: '2027-01-01T00:00:00.000Z' });
    // Formatted once per minute: going back to an earlier minute must not reuse the later one.
    expect(monthWindow(t('2026-11-30T23:59:00Z')).id).toBe('2026-11');
    expect(monthWindow(t('2026-12-31T12:00:00Z')).resetsAtIso).toBe('2027-01-01T00:00:00.000Z');
  });

  it('minute windows give the seconds to the next minute, at least 1', () => {
    expect(minuteWindow(t('2026-11-23T02:05:00.000Z'))).toEqual({ id: '2026-11-23T02:05', retryAfterSeconds: 60 });
    expect(minuteWindow(t('2026-11-23T02:05:59.500Z'))).toEqual({ id: '2026-11-23T02:05', retryAfterSeconds: 1 });
    expect(minuteWindow(t('2026-11-23T02:05:20.100Z')).retryAfterSeconds).toBe(40);
  });

  it('the rolling hour in minute buckets: a call counts for at least 60 and at most 61 minutes', () => {
    expect(rollingHourBuckets(t('2026-11-23T02:30:40Z'))).toEqual({ current: '2026-11-23T02:30', oldest: '2026-11-23T01:30' });
    // A call at 01:30:59 (bucket 01:30) still counts at 02:30:59, and no longer at 02:31:00.
    expect(rollingHourBuckets(t('2026-11-23T02:30:59.999Z')).oldest <= '2026-11-23T01:30').toBe(true);
    expect(rollingHourBuckets(t('2026-11-23T02:31:00Z')).oldest > '2026-11-23T01:30').toBe(true);
    expect(new Date(minuteBucketFreesAt('2026-11-23T01:30')).toISOString()).toBe('2026-11-23T02:31:00.000Z');
  });

  it('the rolling day in hour buckets: an hour frees up 24 hours after it began', () => {
    expect(rollingDayBuckets(t('2026-11-23T02:30:00Z'))).toEqual({ current: '2026-11-23T02', oldest: '2026-11-22T03' });
    expect(new Date(hourBucketFreesAt('2026-11-22T03')).toISOString()).toBe('2026-11-23T03:00:00.000Z');
  });

  it('seconds until an instant are whole and at least 1', () => {
    expect(secondsUntil(10_500, 10_000)).toBe(1);
    expect(secondsUntil(10_000, 10_000)).toBe(1);
    expect(secondsUntil(12_001, 10_000)).toBe(3);
  });
});
