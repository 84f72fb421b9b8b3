import type { Clock } from '../lib/clock.ts';

/** A clock for end-to-end tests: real time flows (so real I/O works), and the test can jump ahead. */
export interface JumpClock extends Clock {
  /** Moves time forward by `ms` at once; sleeps whose deadline has now passed wake. */
  jump(ms: number): void;
}

/**
 * The wall clock plus an offset the test moves. Sleeps are real timers that also wake on a jump
 * past their deadline, so a server waiting hours for a re-check wakes when the test skips the hours.
 */
export function createJumpClock(): JumpClock {
  let offset = 0;
  const now = () => Date.now() + offset;
  const sleepers = new Set<{ at: number; wake: () => void }>();
  return {
    now,
    sleep(ms) {
      if (ms <= 0) return Promise.resolve();
      return new Promise((resolve) => {
        const sleeper = {
          at: now() + ms,
          wake: () => {
            clearTimeout(timer);
            sleepers.delete(sleeper);
            resolve();
          },
        };
        const timer = setTimeout(sleeper.wake, ms);
        sleepers.add(sleeper);
      });
    },
    jump(ms) {
      offset += ms;
      for (const s of [...sleepers]) if (s.at <= now()) s.wake();
    },
  };
}
