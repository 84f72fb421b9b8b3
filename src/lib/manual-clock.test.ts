import { describe, expect, it } from 'vitest';
import { createManualClock } from './manual-clock.ts';

describe('manual clock', () => {
  it('stands still until advanced', async () => {
    const clock = createManualClock(1_000);
    expect(clock.now()).toBe(1_000);
    await clock.advance(250);
    expect(clock.now()).toBe(1_250);
  });

  it('wakes sleepers in deadline order, each seeing its own deadline as now', async () => {
    const clock = createManualClock(0);
    const woke: string[] = [];
    const nap = (name: string, ms: number) => clock.sleep(ms).then(() => woke.push(`${name}@${clock.now()}`));
    void nap('late', 300);
    void nap('early', 100);
    void nap('tie-first', 200);
    void nap('tie-second', 200);
    void nap('beyond', 301);
    await clock.advance(300);
    expect(woke).toEqual(['early@100', 'tie-first@200', 'tie-second@200', 'late@300']);
    expect(clock.pendingSleeps()).toBe(1);
  });

  it('wakes sleeps started by woken code when they fall inside the window', async () => {
    const clock = createManualClock(0);
    const ticks: number[] = [];
    void (async () => {
      for (let i = 0; i < 4; i++) {
        await clock.sleep(100);
        ticks.push(clock.now());
      }
    })();
    await clock.advance(350);
    expect(ticks).toEqual([100, 200, 300]);
  });

  it('resolves a zero or negative sleep at once', async () => {
    const clock = createManualClock(0);
    await clock.sleep(0);
    await clock.sleep(-5);
    expect(clock.pendingSleeps()).toBe(0);
  });

  it('runs a flow to completion by jumping to each pending deadline', async () => {
    const clock = createManualClock(0);
    const flow = (async () => {
      await clock.sleep(500);
      await new Promise((resolve) => setTimeout(resolve, 5)); // real I/O between clock waits
      await clock.sleep(2_000);
      return clock.now();
    })();
    await expect(clock.runUntilSettled(flow)).resolves.toBe(2_500);
  });

  it('passes a rejection through', async () => {
    const clock = createManualClock(0);
    const flow = clock.sleep(10).then(() => Promise.reject(new Error('portal down')));
    await expect(clock.runUntilSettled(flow)).rejects.toThrow('portal down');
  });
});
