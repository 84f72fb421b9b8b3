import { describe, expect, it } from 'vitest';
import { hourWindow, minuteWindow, monthWindow, rollingDayBuckets } from './windows.ts';

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

  it('hour windows and the rolling day', () => {
    expect(hourWindow(t('2026-11-23T02:59:00Z'))).toEqual({ id: '2026-11-23T02', retryAfterSeconds: 60 });
    expect(rollingDayBuckets(t('2026-11-23T02:30:00Z'))).toEqual({
      current: '2026-11-23T02',
      oldest: '2026-11-22T03',
      resetsAt: new Date('2026-11-23T03:00:00Z'),
    });
  });
});
