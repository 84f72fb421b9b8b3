import type { Clock } from '../lib/clock.ts';

/** Float error in slot sums (1000 / 3 ms spacings): a release this close to a full spacing counts as spaced. */
const SPACING_SLACK_MS = 0.001;

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
  let lastSlotAt = -Infinity;
  let lastReleaseAt = -Infinity;
  return {
    async wait() {
      const now = deps.clock.now();
      const at = Math.max(now, nextFreeAt);
      nextFreeAt = at + spacingMs;
      // The gap planned between this slot and the one before (at most one spacing), which the
      // releases must keep too.
      const gap = Math.min(at - lastSlotAt, spacingMs);
      lastSlotAt = at;
      await deps.clock.sleep(at - now);
      // A stalled event loop (a busy machine) fires several reserved slots' timers at once: each
      // release waits until the one before is its planned gap behind, so the portal never sees
      // the burst (issue 17's crash test caught 5 requests in 843 ms at a 4/s host after a stall).
      for (let t = deps.clock.now(); t < lastReleaseAt + gap - SPACING_SLACK_MS; t = deps.clock.now()) {
        await deps.clock.sleep(lastReleaseAt + gap - t);
      }
      lastReleaseAt = deps.clock.now();
    },
    setRate(requestsPerSecond) {
      spacingMs = 1000 / requestsPerSecond;
    },
  };
}
