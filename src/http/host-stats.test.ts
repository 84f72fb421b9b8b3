import { describe, expect, it } from 'vitest';
import { createHostStats, median } from './host-stats.ts';

const AT = Date.parse('2026-03-02T10:00:00Z');

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([300, 100, 200])).toBe(200);
    expect(median([400, 100, 300, 200])).toBe(250);
    expect(median([])).toBeUndefined();
  });
});

describe('host stats', () => {
  it('starts empty', () => {
    expect(createHostStats().snapshot()).toEqual({ requests: 0, errors: 0, last_success_at: null, median_fetch_ms: null });
  });

  it('counts every attempt, errors apart, and times only usable answers', () => {
    const stats = createHostStats();
    stats.record({ ok: true, at: AT, durationMs: 120 });
    stats.record({ ok: false, at: AT + 1000, durationMs: 20_000 });
    stats.record({ ok: true, at: AT + 2000, durationMs: 80 });
    expect(stats.snapshot()).toEqual({
      requests: 3,
      errors: 1,
      last_success_at: '2026-03-02T10:00:02.000Z',
      median_fetch_ms: 100,
    });
  });

  it('keeps only the last N durations', () => {
    const stats = createHostStats(3);
    for (const durationMs of [5000, 5000, 5000, 10, 20, 30]) stats.record({ ok: true, at: AT, durationMs });
    expect(stats.snapshot().median_fetch_ms).toBe(20);
  });
});
