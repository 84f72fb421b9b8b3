import type { Clock } from '../lib/clock.ts';

/** Spaces calls at least `1000 / requestsPerSecond` ms apart on an injected clock. */
export interface RateGate {
  /** Reserves the next free slot (in call order) and resolves when it arrives. */
  wait(): Promise<void>;
  /** Changes the spacing for slots reserved from now on. */
  setRate(requestsPerSecond: number): void;
}

/**
 * A slot scheduler rather than p-queue's `interval`: p-queue counts intervals with `Date.now()`
 * and `setTimeout`, which an injected clock cannot drive, and its fixed windows let a burst of
 * `intervalCap` calls through at each window edge. Here each call gets its own slot, so calls are
 * released exactly `1 / rps` apart and the tests measure that on a manual clock.
 */
export function createRateGate(deps: { clock: Clock; requestsPerSecond: number }): RateGate {
  let spacingMs = 1000 / deps.requestsPerSecond;
  let nextFreeAt = -Infinity;
  return {
    wait() {
      const now = deps.clock.now();
      const at = Math.max(now, nextFreeAt);
      nextFreeAt = at + spacingMs;
      return deps.clock.sleep(at - now);
    },
    setRate(requestsPerSecond) {
      spacingMs = 1000 / requestsPerSecond;
    },
  };
}
