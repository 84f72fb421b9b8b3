import type { Clock } from '../lib/clock.ts';
import type { Politeness } from './politeness.ts';
import { createRateGate, type RateGate } from './rate-gate.ts';

/**
 * Calls one tenant (an API key) may have waiting for one host: a full batch (BATCH_MAX_PERMITS).
 * Past it the tenant's next call is refused at once, so one key's backlog can neither fill the
 * host's queue nor stretch every later caller's wait (issue 16: four batches of one key made
 * another key's single lookup wait 45 s).
 */
export const TENANT_QUEUE_LIMIT = 25;

/**
 * Calls waiting for one host, all tenants together. At LADBS's 1 request/s this is 100 s of
 * work, twice the batch deadline: a longer queue would only hold calls whose callers give up.
 */
export const HOST_QUEUE_LIMIT = 100;

/** Who a call is for when the caller names nobody (the demo seed, the CLI): one tenant of its own. */
export const BACKGROUND_TENANT = 'background';

/** How a queued call ended without running. */
export type QueueRefusal =
  { ok: false; reason: 'queue_full'; retryAfterMs: number; message: string } | { ok: false; reason: 'cancelled'; message: string };

export type QueueOutcome<T> = { ok: true; value: T } | QueueRefusal;

export interface QueueCall {
  /** Fair share: waiting calls are taken round-robin between tenants, FIFO within one. */
  tenant?: string;
  /** The caller gave up: a waiting call leaves the queue and is never run. */
  signal?: AbortSignal;
}

/** Runs calls to portal hosts, each host at its catalog rate and concurrency, shared fairly between tenants. */
export interface HostQueues {
  /**
   * Runs `call` once `host` has a free concurrency slot, its next rate slot has come and it is
   * the tenant's turn. Refuses at once (`queue_full`, with an estimate of when to retry) when the
   * tenant's or the host's queue is full; gives `cancelled` when the signal aborts before the
   * call starts. A call that has started is the caller's to cancel (pass it the signal).
   */
  run<T>(host: string, politeness: Politeness, call: () => Promise<T>, options?: QueueCall): Promise<QueueOutcome<T>>;
  /** Calls waiting for `host` (not those in flight). */
  waiting(host: string): number;
}

interface Waiting {
  tenant: string;
  start(): void;
}

interface HostLane {
  gate: RateGate;
  politeness: Politeness;
  inFlight: number;
  waiting: number;
  /**
   * Tenant → its waiting calls in arrival order. The Map's insertion order is the round-robin
   * ring: a tenant served is moved to the back; a tenant with nothing waiting leaves it.
   */
  tenants: Map<string, Waiting[]>;
}

/**
 * One lane per host: at most `concurrency` calls in flight, their start times spaced by a
 * clock-driven rate gate, and the waiting calls taken round-robin per tenant instead of first
 * come first served. The gate is passed inside the concurrency slot, so a call waiting for its
 * rate slot also holds back the calls behind it, as the portal would see them.
 *
 * p-queue did the lane's concurrency before; it has priorities but no per-tenant turns, and the
 * turn is the point here, so the lane keeps its own small queue.
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
        gate: createRateGate({ clock: deps.clock, requestsPerSecond: politeness.requests_per_second }),
        politeness,
        inFlight: 0,
        waiting: 0,
        tenants: new Map(),
      };
      lanes.set(host, created);
      return created;
    }
    const strictest: Politeness = {
      concurrency: Math.min(lane.politeness.concurrency, politeness.concurrency),
      requests_per_second: Math.min(lane.politeness.requests_per_second, politeness.requests_per_second),
    };
    lane.gate.setRate(strictest.requests_per_second);
    lane.politeness = strictest;
    return lane;
  }

  /** Starts waiting calls while the lane has free slots, one per tenant in turn. */
  function pump(lane: HostLane): void {
    while (lane.inFlight < lane.politeness.concurrency) {
      const next = lane.tenants.entries().next();
      if (next.done) return;
      const [tenant, queue] = next.value;
      const item = queue.shift()!;
      lane.tenants.delete(tenant);
      if (queue.length > 0) lane.tenants.set(tenant, queue);
      lane.waiting -= 1;
      lane.inFlight += 1;
      item.start();
    }
  }

  /**
   * About how long a call joining `tenant`'s queue now would wait, at the host's rate: the calls in
   * flight, the tenant's own queue, and as many turns of every other tenant as it has calls
   * ahead (round-robin), each one rate slot.
   */
  function expectedWaitMs(lane: HostLane, tenant: string): number {
    const own = lane.tenants.get(tenant)?.length ?? 0;
    let ahead = lane.inFlight;
    for (const queue of lane.tenants.values()) ahead += Math.min(queue.length, own + 1);
    return (ahead * 1000) / lane.politeness.requests_per_second;
  }

  return {
    run(host, politeness, call, options = {}) {
      const lane = laneFor(host, politeness);
      const tenant = options.tenant ?? BACKGROUND_TENANT;
      const { signal } = options;
      if (signal?.aborted)
        return Promise.resolve({ ok: false, reason: 'cancelled', message: 'the caller gave up before the call started' });
      const own = lane.tenants.get(tenant)?.length ?? 0;
      if (own >= TENANT_QUEUE_LIMIT || lane.waiting >= HOST_QUEUE_LIMIT) {
        const which = own >= TENANT_QUEUE_LIMIT ? `this caller's ${own}` : `${lane.waiting}`;
        return Promise.resolve({
          ok: false,
          reason: 'queue_full',
          retryAfterMs: expectedWaitMs(lane, tenant),
          message: `${which} calls already wait for ${host}`,
        });
      }
      return new Promise((resolve) => {
        const item: Waiting = {
          tenant,
          start() {
            signal?.removeEventListener('abort', onAbort);
            void (async () => {
              try {
                await lane.gate.wait();
                resolve({ ok: true, value: await call() });
              } catch (err) {
                // `call` owns its errors; a throw here is a bug, surfaced to the caller as it was.
                resolve(Promise.reject(err));
              } finally {
                lane.inFlight -= 1;
                pump(lane);
              }
            })();
          },
        };
        function onAbort() {
          const queue = lane.tenants.get(tenant);
          const at = queue?.indexOf(item) ?? -1;
          if (!queue || at < 0) return;
          queue.splice(at, 1);
          if (queue.length === 0) lane.tenants.delete(tenant);
          lane.waiting -= 1;
          resolve({ ok: false, reason: 'cancelled', message: 'the caller gave up while the call waited for its turn' });
        }
        signal?.addEventListener('abort', onAbort, { once: true });
        const queue = lane.tenants.get(tenant);
        if (queue) queue.push(item);
        else lane.tenants.set(tenant, [item]);
        lane.waiting += 1;
        pump(lane);
      });
    },
    waiting: (host) => lanes.get(host)?.waiting ?? 0,
  };
}
