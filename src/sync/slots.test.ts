import { describe, expect, it } from 'vitest';
import { FAILURE_BACKOFF_MS, nextSlot, retryAfterFailure, spreadFraction } from './slots.ts';

const HOUR = 3_600_000;
const INTERVAL = 4 * HOUR;

describe('spreadFraction', () => {
  it('is stable and spreads a watchlist evenly: 10,000 permits fall about equally into 10 tenths', () => {
    expect(spreadFraction('permit/ladbs/16041-10000-23545')).toBe(spreadFraction('permit/ladbs/16041-10000-23545'));
    const buckets = Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) buckets[Math.floor(spreadFraction(`permit/ladbs/26014-10000-${i}`) * 10)]! += 1;
    for (const n of buckets) (expect(n).toBeGreaterThan(900), expect(n).toBeLessThan(1_100));
  });
});

describe('nextSlot', () => {
  const stream = 'permit/socrata:chicago/100858762';
  const phase = Math.floor(spreadFraction(stream) * INTERVAL);

  it('is the first grid time strictly after now, on the permit’s phase', () => {
    const now = 1_796_000_000_000;
    const slot = nextSlot(stream, now, INTERVAL);
    expect(slot).toBeGreaterThan(now);
    expect(slot - now).toBeLessThanOrEqual(INTERVAL);
    expect((slot - phase) % INTERVAL).toBe(0);
  });

  it('a check at its slot, or late within the interval, is next due one interval after the slot', () => {
    const slot = nextSlot(stream, 1_796_000_000_000, INTERVAL);
    expect(nextSlot(stream, slot, INTERVAL)).toBe(slot + INTERVAL);
    expect(nextSlot(stream, slot + INTERVAL - 1, INTERVAL)).toBe(slot + INTERVAL);
    // Late by more than an interval: the missed slot is skipped, not made up in a burst.
    expect(nextSlot(stream, slot + INTERVAL, INTERVAL)).toBe(slot + 2 * INTERVAL);
  });
});

describe('retryAfterFailure', () => {
  it('backs off by consecutive failures, the last step repeating, never past the interval', () => {
    expect(retryAfterFailure(1, 0, INTERVAL)).toBe(FAILURE_BACKOFF_MS[0]);
    expect(retryAfterFailure(2, 0, INTERVAL)).toBe(FAILURE_BACKOFF_MS[1]);
    expect(retryAfterFailure(99, 0, INTERVAL)).toBe(FAILURE_BACKOFF_MS.at(-1));
    expect(retryAfterFailure(99, 0, 10 * 60_000)).toBe(10 * 60_000);
  });
});
