import type { Context } from 'hono';
import { admitDemo, admitKey, type RateHeaders } from '../accounts/meter.ts';
import type { CounterStore } from '../accounts/counters.ts';
import type { Meter } from './context.ts';
import { ApiError } from './errors.ts';
import type { Clock } from '../lib/clock.ts';

export interface MeteringDeps {
  counters: CounterStore;
  clock: Clock;
  demoDailyCap: number;
  clientAddress: (c: Context) => string;
}

/** The charge of one plain API call (reference: "Monthly API call limit"): one credit. */
export const ONE_CALL = { cost: 1, forceRefresh: false } as const;

/** The quota headers, set on the context so the answer carries them, a 429 included. */
function setRateHeaders(c: Context, h: RateHeaders): void {
  c.header('X-RateLimit-Limit', String(h.limit));
  c.header('X-RateLimit-Remaining', String(h.remaining));
  c.header('X-RateLimit-Reset', h.reset);
}

/**
 * Charges a metered request to its caller (reference: Rate Limits): live keys against their
 * plan's burst, monthly quota and force_refresh allowance; sandbox keys not at all (they get
 * `X-Sandbox-Mode` instead of quota headers); anonymous demo callers against a rolling
 * 24-hour cap per client address.
 */
export function createMeter(deps: MeteringDeps): Meter {
  return async (c, charge) => {
    const caller = c.get('caller');
    if (caller.kind === 'key' && caller.key.sandbox) return;
    if (caller.kind === 'anonymous') {
      const result = await admitDemo(deps.counters, { address: deps.clientAddress(c), cap: deps.demoDailyCap, now: deps.clock.now() });
      setRateHeaders(c, result.headers);
      if (!result.ok) {
        throw new ApiError(
          429,
          'rate_limit_exceeded',
          `Demo limit of ${deps.demoDailyCap} calls per 24 hours reached. Create an API key to continue.`,
        );
      }
      return;
    }
    const result = await admitKey(deps.counters, {
      keyId: caller.key.id,
      plan: caller.plan,
      cost: charge.cost,
      forceRefresh: charge.forceRefresh,
      now: deps.clock.now(),
    });
    setRateHeaders(c, result.headers);
    if (result.ok) return;
    switch (result.reason) {
      case 'burst_limit_exceeded':
        throw new ApiError(
          429,
          'burst_limit_exceeded',
          `Too many requests per minute for the ${caller.plan.name} plan (${caller.plan.burst_per_minute}/min). Retry in ${result.retryAfterSeconds} s.`,
          { retry_after_seconds: result.retryAfterSeconds },
          { 'Retry-After': String(result.retryAfterSeconds) },
        );
      case 'rate_limit_exceeded':
        throw new ApiError(
          429,
          'rate_limit_exceeded',
          `Monthly API call limit reached. Resets on ${result.headers.reset.slice(0, 10)}.`,
        );
      case 'force_refresh_limit_exceeded':
        throw new ApiError(
          429,
          'force_refresh_limit_exceeded',
          `At most 10 force_refresh calls per hour. Retry in ${result.retryAfterSeconds} s.`,
          { retry_after_seconds: result.retryAfterSeconds },
          { 'Retry-After': String(result.retryAfterSeconds) },
        );
    }
  };
}
