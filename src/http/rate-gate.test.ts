import { describe, expect, it } from 'vitest';
import type { Clock } from '../lib/clock.ts';
import { createRateGate } from './rate-gate.ts';

/** A clock whose sleepers wake only when the test says, all due ones at once: an event loop that stalled. */
function stallingClock() {
  let now = 0;
  const sleepers: { at: number; wake: () => void }[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: (ms) => (ms <= 0 ? Promise.resolve() : new Promise((wake) => sleepers.push({ at: now + ms, wake }))),
  };
  /** Moves to `t` and wakes every sleeper due by then together, then lets them run. */
  async function resumeAt(t: number) {
    now = t;
    for (const s of sleepers.splice(0).filter((s) => (s.at <= t ? (s.wake(), false) : true))) sleepers.push(s);
    await new Promise((r) => setImmediate(r));
  }
  return { clock, resumeAt };
}

describe('rate gate', () => {
  it('keeps releases a spacing apart when a stalled event loop wakes several slots at once', async () => {
    const { clock, resumeAt } = stallingClock();
    const gate = createRateGate({ clock, requestsPerSecond: 4 });
    const released: number[] = [];
    for (let i = 0; i < 3; i++) void gate.wait().then(() => released.push(clock.now()));
    await resumeAt(0);
    expect(released).toEqual([0]);
    await resumeAt(1_000); // slots 250 and 500 fire together, late
    expect(released).toEqual([0, 1_000]);
    await resumeAt(1_250);
    expect(released).toEqual([0, 1_000, 1_250]);
  });
});
