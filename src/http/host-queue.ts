import PQueue from 'p-queue';
import type { Clock } from '../lib/clock.ts';
import type { Politeness } from './politeness.ts';
import { createRateGate, type RateGate } from './rate-gate.ts';



/** Runs calls to portal hosts, each host at its catalog rate and concurrency. */
export interface HostQueues {
  /**
   * Runs `call` once `host` has a free concurrency slot and its next rate slot has come. Slots are
   * taken in the order calls were queued.
   */
  run<T>(host: string, politeness: Politeness, call: () => Promise<T>): Promise<T>;
}

interface HostLane {
  queue: PQueue;
  gate: RateGate;
  politeness: Politeness;
}

/**
 * One lane per host: p-queue caps calls in flight (it needs no timers for that), and a clock-driven
 * rate gate spaces their start times. The gate is passed inside the concurrency slot, so a call
 * waiting for its rate slot also holds back the calls behind it, as the portal would see them.
 *
 * Several jurisdictions can share one host (every Accela agency sits on aca-prod.accela.com), and
 * that host sees the sum of our calls, so a lane keeps the strictest politeness any caller asked for.
 */
export function createHostQueues(deps: { clock: Clock }): HostQueues {
  const lanes = new Map<string, HostLane>();

  function laneFor(host: string, politeness: Politeness): HostLane {
    const lane = lanes.get(host);
    if (!lane) {
      const created: HostLane = {
        queue: new PQueue({ concurrency: politeness.concurrency }),
        gate: createRateGate({ clock: deps.clock, requestsPerSecond: politeness.requests_per_second }),
        politeness,
      };
      lanes.set(host, created);
      return created;
    }
    const strictest: Politeness = {
      concurrency: Math.min(lane.politeness.concurrency, politeness.concurrency),
      requests_per_second: Math.min(lane.politeness.requests_per_second, politeness.requests_per_second),
    };
    lane.queue.concurrency = strictest.concurrency;
    lane.gate.setRate(strictest.requests_per_second);
    lane.politeness = strictest;
    return lane;
  }

  return {
    run(host, politeness, call) {
      const lane = laneFor(host, politeness);
      return lane.queue.add(async () => {
        await lane.gate.wait();
        return call();
      });
    },
  };
}
