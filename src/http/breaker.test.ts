import { describe, expect, it } from 'vitest';
import { createManualClock } from '../lib/manual-clock.ts';
import { BREAKER_COOL_DOWN_MS, BREAKER_FAILURE_THRESHOLD, createBreaker } from './breaker.ts';

const START = Date.parse('2026-03-02T10:00:00Z');

function openBreaker() {
  const clock = createManualClock(START);
  const breaker = createBreaker({ clock });
  for (let i = 0; i < BREAKER_FAILURE_THRESHOLD; i++) breaker.recordFailure();
  return { clock, breaker };
}

describe('breaker', () => {
  it('stays closed below the threshold, and a success resets the count', () => {
    const clock = createManualClock(START);
    const breaker = createBreaker({ clock });
    for (let i = 0; i < BREAKER_FAILURE_THRESHOLD - 1; i++) breaker.recordFailure();
    expect(breaker.tryAcquire()).toEqual({ allowed: true });
    expect(breaker.snapshot()).toEqual({ state: 'closed', consecutive_failures: 4, opened_at: null, retry_after_ms: 0 });

    breaker.recordSuccess();
    for (let i = 0; i < BREAKER_FAILURE_THRESHOLD - 1; i++) breaker.recordFailure();
    expect(breaker.snapshot().state).toBe('closed');
  });

  it('opens at the threshold and refuses calls with the time left', async () => {
    const { clock, breaker } = openBreaker();
    expect(breaker.snapshot()).toEqual({
      state: 'open',
      consecutive_failures: BREAKER_FAILURE_THRESHOLD,
      opened_at: '2026-03-02T10:00:00.000Z',
      retry_after_ms: BREAKER_COOL_DOWN_MS,
    });
    expect(breaker.tryAcquire()).toEqual({ allowed: false, retryAfterMs: BREAKER_COOL_DOWN_MS });

    await clock.advance(BREAKER_COOL_DOWN_MS - 1);
    expect(breaker.tryAcquire()).toEqual({ allowed: false, retryAfterMs: 1 });
  });

  it('turns half-open after the cool-down and lets exactly one probe through', async () => {
    const { clock, breaker } = openBreaker();
    await clock.advance(BREAKER_COOL_DOWN_MS);
    expect(breaker.snapshot().state).toBe('half_open');
    expect(breaker.tryAcquire()).toEqual({ allowed: true });
    expect(breaker.tryAcquire()).toEqual({ allowed: false, retryAfterMs: BREAKER_COOL_DOWN_MS });
  });

  it('closes when the probe succeeds', async () => {
    const { clock, breaker } = openBreaker();
    await clock.advance(BREAKER_COOL_DOWN_MS);
    breaker.tryAcquire();
    breaker.recordSuccess();
    expect(breaker.snapshot()).toEqual({ state: 'closed', consecutive_failures: 0, opened_at: null, retry_after_ms: 0 });
    expect(breaker.tryAcquire()).toEqual({ allowed: true });
    expect(breaker.tryAcquire()).toEqual({ allowed: true });
  });

  it('reopens for a full cool-down when the probe fails', async () => {
    const { clock, breaker } = openBreaker();
    await clock.advance(BREAKER_COOL_DOWN_MS + 5_000);
    breaker.tryAcquire();
    breaker.recordFailure();
    expect(breaker.snapshot()).toEqual({
      state: 'open',
      consecutive_failures: BREAKER_FAILURE_THRESHOLD + 1,
      opened_at: '2026-03-02T10:00:35.000Z',
      retry_after_ms: BREAKER_COOL_DOWN_MS,
    });
    await clock.advance(BREAKER_COOL_DOWN_MS);
    expect(breaker.tryAcquire()).toEqual({ allowed: true });
  });

  it('takes its threshold and cool-down from config', async () => {
    const clock = createManualClock(START);
    const breaker = createBreaker({ clock, failureThreshold: 2, coolDownMs: 1000 });
    breaker.recordFailure();
    expect(breaker.snapshot().state).toBe('closed');
    breaker.recordFailure();
    expect(breaker.snapshot()).toMatchObject({ state: 'open', retry_after_ms: 1000 });
    await clock.advance(1000);
    expect(breaker.snapshot().state).toBe('half_open');
  });
});
