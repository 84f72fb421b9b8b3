/**
 * A FIFO async lock. The embedded driver has one write connection; transactions whose bodies
 * await must not interleave on it, so they queue here.
 */
export function createMutex() {
  let tail: Promise<void> = Promise.resolve();
  let queued = 0;
  return {
    /** Whether a call is running or waiting. */
    held: () => queued > 0,
    async run<T>(fn: () => Promise<T>): Promise<T> {
      queued++;
      const previous = tail;
      let release!: () => void;
      tail = new Promise<void>((resolve) => (release = resolve));
      await previous;
      try {
        return await fn();
      } finally {
        queued--;
        release();
      }
    },
  };
}
