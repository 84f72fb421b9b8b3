import type { Clock } from './clock.ts';

/** A clock for tests: time moves only when the test says so. */
export interface ManualClock extends Clock {
  /**
   * Moves time forward by `ms`, waking due sleepers one at a time in deadline order (ties in the
   * order they began). Each wakes seeing `now()` equal to its own deadline, and the code it resumes
   * runs before the next one wakes, so sleeps it starts inside the window are woken too.
   */
  advance(ms: number): Promise<void>;
  /** How many sleeps are waiting. */
  pendingSleeps(): number;
  /**
   * Awaits `promise`, advancing the clock to the next sleeper's deadline whenever the code under
   * test is blocked on this clock. For flows that mix clock waits with real I/O (a local server).
   */
  runUntilSettled<T>(promise: Promise<T>): Promise<T>;
}

interface Sleeper {
  wakeAt: number;
  seq: number;
  wake: () => void;
}

/** Lets everything the last wake-up set in motion run (all microtasks, then one macrotask turn). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A manual clock starting at `startMs` (epoch ms). */
export function createManualClock(startMs = 0): ManualClock {
  let now = startMs;
  let seq = 0;
  const sleepers: Sleeper[] = [];
  let onSleep: Array<() => void> = [];

  const earliest = (): Sleeper | undefined =>
    sleepers.reduce<Sleeper | undefined>(
      (best, s) => (!best || s.wakeAt < best.wakeAt || (s.wakeAt === best.wakeAt && s.seq < best.seq) ? s : best),
      undefined,
    );

  const whenSleeping = (): Promise<void> => (sleepers.length > 0 ? Promise.resolve() : new Promise((resolve) => onSleep.push(resolve)));

  const clock: ManualClock = {
    now: () => now,
    sleep(ms) {
      if (ms <= 0) return Promise.resolve();
      return new Promise((resolve) => {
        sleepers.push({ wakeAt: now + ms, seq: seq++, wake: resolve });
        const waiting = onSleep;
        onSleep = [];
        for (const notify of waiting) notify();
      });
    },
    async advance(ms) {
      const until = now + ms;
      await flush(); // work already set in motion starts its sleeps at the current time
      for (let next = earliest(); next && next.wakeAt <= until; next = earliest()) {
        sleepers.splice(sleepers.indexOf(next), 1);
        now = next.wakeAt;
        next.wake();
        await flush();
      }
      now = until;
      await flush();
    },
    pendingSleeps: () => sleepers.length,
    async runUntilSettled(promise) {
      let settled = false;
      const done = promise.then(
        () => void (settled = true),
        () => void (settled = true),
      );
      while (!settled) {
        await Promise.race([done, whenSleeping()]);
        const next = earliest();
        if (settled || !next) continue;
        await clock.advance(next.wakeAt - now);
      }
      return promise;
    },
  };
  return clock;
}
