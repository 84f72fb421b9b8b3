import type { CounterStore } from './counters.ts';
import type { Plan } from './plans.ts';
import {
  hourBucketFreesAt,
  minuteBucketFreesAt,
  minuteWindow,
  monthWindow,
  rollingDayBuckets,
  rollingHourBuckets,
  secondsUntil,
} from './windows.ts';

/** Reference: "A single force_refresh call deducts 10 calls from your monthly quota." */
export const FORCE_REFRESH_COST = 10;
/** Reference: "Max 10 force_refresh calls per hour." Counted over a rolling hour (issue 21, defect 3). */
export const FORCE_REFRESH_PER_HOUR = 10;

export interface RateHeaders {
  limit: number;
  remaining: number;
  /** When a credit next frees up: the month's end for keys, the oldest counted hour's end for the demo. */
  reset: string;
}

function rateHeaders(limit: number, used: number, reset: string): RateHeaders {
  return { limit, remaining: Math.max(0, limit - used), reset };
}

/**
 * What an admitted call added to its caller's credit counters, so that a call that got no
 * answer (a 5xx) can be given it back (issue 21, defect 4: only answered calls are charged).
 * `units` is what the route asked to charge (a batch: its valid numbers); `credits` what that
 * cost (a force_refresh: 10; an anonymous demo call: 1 whatever its size).
 */
export interface Charge {
  subject: string;
  creditBucket: string;
  credits: number;
  units: number;
  /** The rolling-hour bucket a force_refresh was counted in. */
  refreshBucket?: string;
}

export type Admission =
  | { ok: true; headers: RateHeaders; charge: Charge }
  | { ok: false; reason: 'burst_limit_exceeded'; retryAfterSeconds: number; headers: RateHeaders }
  | { ok: false; reason: 'rate_limit_exceeded'; retryAfterSeconds: number; headers: RateHeaders }
  | { ok: false; reason: 'force_refresh_limit_exceeded'; retryAfterSeconds: number; headers: RateHeaders };

/**
 * Admits one metered request of an API key, or says which limit refused it. Order matters
 * (reference): the burst limit is checked first and burst-refused calls cost no quota; a
 * force_refresh costs FORCE_REFRESH_COST credits and at most FORCE_REFRESH_PER_HOUR in any
 * rolling hour. Every refusal says when to retry. The check and the increments run under the
 * counter store's lock, so they are exact under concurrency; the store writes them behind to
 * the database, so they survive a restart.
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
    const headers = rateHeaders(limit, used, month.resetsAtIso);
    if (used + cost > limit) {
      return { ok: false, reason: 'rate_limit_exceeded', retryAfterSeconds: secondsUntil(Date.parse(month.resetsAtIso), now), headers };
    }
    let refreshBucket: string | undefined;
    if (input.forceRefresh) {
      const hour = rollingHourBuckets(now);
      const from = `f:${hour.oldest}`;
      if (tx.sum(keyId, 'f:', from) >= FORCE_REFRESH_PER_HOUR) {
        const first = tx.earliest(keyId, 'f:', from)!;
        return {
          ok: false,
          reason: 'force_refresh_limit_exceeded',
          retryAfterSeconds: secondsUntil(minuteBucketFreesAt(first.slice(2)), now),
          headers,
        };
      }
      refreshBucket = `f:${hour.current}`;
      tx.add(keyId, refreshBucket, 1);
    }
    tx.add(keyId, monthBucket, cost);
    const charge: Charge = {
      subject: keyId,
      creditBucket: monthBucket,
      credits: cost,
      units: input.cost,
      ...(refreshBucket ? { refreshBucket } : {}),
    };
    return { ok: true, headers: rateHeaders(limit, used + cost, month.resetsAtIso), charge };
  });
}

export type DemoAdmission =
  { ok: true; headers: RateHeaders; charge: Charge } | { ok: false; retryAfterSeconds: number; headers: RateHeaders };

/**
 * Anonymous demo calls: a rolling 24-hour cap per client address, counted in hourly buckets
 * (one credit per call, a batch too). `reset` and Retry-After are when the oldest counted hour
 * leaves the window, which is when a call frees up: up to a day away when the calls were recent.
 */
export async function admitDemo(
  counters: CounterStore,
  input: { address: string; cap: number; now: number; units?: number },
): Promise<DemoAdmission> {
  const subject = `addr:${input.address}`;
  const buckets = rollingDayBuckets(input.now);
  const from = `h:${buckets.oldest}`;
  return counters.atomically([subject], (tx): DemoAdmission => {
    const used = tx.sum(subject, 'h:', from);
    const freesAt = () => {
      const first = tx.earliest(subject, 'h:', from);
      return first ? hourBucketFreesAt(first.slice(2)) : hourBucketFreesAt(buckets.current);
    };
    if (used >= input.cap) {
      const at = freesAt();
      return {
        ok: false,
        retryAfterSeconds: secondsUntil(at, input.now),
        headers: rateHeaders(input.cap, used, new Date(at).toISOString()),
      };
    }
    const creditBucket = `h:${buckets.current}`;
    tx.add(subject, creditBucket, 1);
    const charge: Charge = { subject, creditBucket, credits: 1, units: input.units ?? 1 };
    return { ok: true, headers: rateHeaders(input.cap, used + 1, new Date(freesAt()).toISOString()), charge };
  });
}

/**
 * Gives back what `charge` took for `units` of it that got no answer (all by default): every
 * credit when all units failed; otherwise one credit per failed unit where credits are per unit
 * (a key's batch), none where they are not (an anonymous batch costs 1 however many failed).
 * Returns the credits given back.
 */
export async function refundCharge(counters: CounterStore, charge: Charge, units = charge.units): Promise<number> {
  const all = units >= charge.units;
  const credits = all ? charge.credits : charge.credits === charge.units ? units : 0;
  if (credits <= 0) return 0;
  await counters.atomically([charge.subject], (tx) => {
    tx.add(charge.subject, charge.creditBucket, -credits);
    if (all && charge.refreshBucket) tx.add(charge.subject, charge.refreshBucket, -1);
  });
  return credits;
}
