import type { CounterStore } from './counters.ts';
import type { Plan } from './plans.ts';
import { hourWindow, minuteWindow, monthWindow, rollingDayBuckets } from './windows.ts';

/** Reference: "A single force_refresh call deducts 10 calls from your monthly quota." */
export const FORCE_REFRESH_COST = 10;
/** Reference: "Max 10 force_refresh calls per hour." */
export const FORCE_REFRESH_PER_HOUR = 10;

export interface RateHeaders {
  limit: number;
  remaining: number;
  reset: string;
}

function rateHeaders(limit: number, used: number, reset: string): RateHeaders {
  return { limit, remaining: Math.max(0, limit - used), reset };
}

export type Admission =
  | { ok: true; headers: RateHeaders }
  | { ok: false; reason: 'burst_limit_exceeded'; retryAfterSeconds: number; headers: RateHeaders }
  | { ok: false; reason: 'rate_limit_exceeded'; headers: RateHeaders }
  | { ok: false; reason: 'force_refresh_limit_exceeded'; retryAfterSeconds: number; headers: RateHeaders };

/**
 * Admits one metered request of an API key, or says which limit refused it. Order matters
 * (reference): the burst limit is checked first and burst-refused calls cost no quota; a
 * force_refresh costs FORCE_REFRESH_COST credits and at most FORCE_REFRESH_PER_HOUR an hour.
 * The check and the increments run under the counter store's lock, so they are exact under
 * concurrency; the store writes them behind to the database, so they survive a restart.
 */
export async function admitKey(
  counters: CounterStore,
  input: { keyId: string; plan: Plan; cost: number; forceRefresh: boolean; now: number },
): Promise<Admission> {
  const { keyId, plan, now } = input;
  const month = monthWindow(now);
  const minute = minuteWindow(now);
  const limit = plan.monthly_limit;
  const cost = input.cost + (input.forceRefresh ? FORCE_REFRESH_COST - 1 : 0);
  const monthBucket = `m:${month.id}`;
  const minuteBucket = `b:${minute.id}`;
  return counters.atomically([keyId], (tx): Admission => {
    const used = tx.get(keyId, monthBucket);
    const burst = tx.get(keyId, minuteBucket);
    if (burst >= plan.burst_per_minute) {
      return {
        ok: false,
        reason: 'burst_limit_exceeded',
        retryAfterSeconds: minute.retryAfterSeconds,
        headers: rateHeaders(limit, used, month.resetsAtIso),
      };
    }
    tx.add(keyId, minuteBucket, 1);
    if (used + cost > limit) return { ok: false, reason: 'rate_limit_exceeded', headers: rateHeaders(limit, used, month.resetsAtIso) };
    if (input.forceRefresh) {
      const hour = hourWindow(now);
      if (tx.get(keyId, `f:${hour.id}`) >= FORCE_REFRESH_PER_HOUR) {
        return {
          ok: false,
          reason: 'force_refresh_limit_exceeded',
          retryAfterSeconds: hour.retryAfterSeconds,
          headers: rateHeaders(limit, used, month.resetsAtIso),
        };
      }
      tx.add(keyId, `f:${hour.id}`, 1);
    }
    tx.add(keyId, monthBucket, cost);
    return { ok: true, headers: rateHeaders(limit, used + cost, month.resetsAtIso) };
  });
}

export type DemoAdmission = { ok: true; headers: RateHeaders } | { ok: false; headers: RateHeaders };

/** Anonymous demo calls: a rolling 24-hour cap per client address, counted in hourly buckets. */
export async function admitDemo(counters: CounterStore, input: { address: string; cap: number; now: number }): Promise<DemoAdmission> {
  const subject = `addr:${input.address}`;
  const buckets = rollingDayBuckets(input.now);
  return counters.atomically([subject], (tx): DemoAdmission => {
    const used = tx.sum(subject, 'h:', `h:${buckets.oldest}`);
    if (used >= input.cap) return { ok: false, headers: rateHeaders(input.cap, used, buckets.resetsAt.toISOString()) };
    tx.add(subject, `h:${buckets.current}`, 1);
    return { ok: true, headers: rateHeaders(input.cap, used + 1, buckets.resetsAt.toISOString()) };
  });
}
