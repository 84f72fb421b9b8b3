/**
 * Time as a dependency (STYLE.md §10): backoff, rate spacing, circuit cool-downs and cache windows
 * read `now()` and wait with `sleep()`, so tests drive them with a manual clock to the millisecond.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolves once `ms` milliseconds have passed on this clock (at once for `ms <= 0`). */
  sleep(ms: number): Promise<void>;
}

/** The wall clock and real timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
