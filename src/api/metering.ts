import type { Context, MiddlewareHandler } from 'hono';
import { admitDemo, admitKey, refundCharge, type RateHeaders } from '../accounts/meter.ts';
import type { CounterStore } from '../accounts/counters.ts';
import type { AppEnv, Meter } from './context.ts';
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

/** A 429: every one carries Retry-After and `retry_after_seconds` (issue 21, defect 3). */
function tooMany(key: string, message: string, retryAfterSeconds: number): ApiError {
  return new ApiError(429, key, message, { retry_after_seconds: retryAfterSeconds }, { 'Retry-After': String(retryAfterSeconds) });
}

/**
 * Charges a metered request to its caller (reference: Rate Limits): live keys against their
 * plan's burst, monthly quota and force_refresh allowance; sandbox keys not at all (they get
 * `X-Sandbox-Mode` instead of quota headers); anonymous demo callers against a rolling
 * 24-hour cap per client address. What was charged is kept on the context, so `meter.refund`
 * can give it back when the call gets no answer.
 */
export function createMeter(deps: MeteringDeps): Meter {
  const charge = async (c: Context<AppEnv>, request: { cost: number; forceRefresh: boolean }): Promise<void> => {
    const caller = c.get('caller');
    if (caller.kind === 'key' && caller.key.sandbox) return;
    if (caller.kind === 'anonymous') {
      const now = deps.clock.now();
      const result = await admitDemo(deps.counters, { address: deps.clientAddress(c), cap: deps.demoDailyCap, now, units: request.cost });
      setRateHeaders(c, result.headers);
      if (!result.ok) {
        throw tooMany(
          'rate_limit_exceeded',
          `Demo limit of ${deps.demoDailyCap} calls per 24 hours reached; the next call frees up at ${result.headers.reset}. Create an API key to continue.`,
          result.retryAfterSeconds,
        );
      }
      c.set('charged', { charge: result.charge, remaining: result.headers.remaining });
      return;
    }
    const result = await admitKey(deps.counters, {
      keyId: caller.key.id,
      plan: caller.plan,
      cost: request.cost,
      forceRefresh: request.forceRefresh,
      now: deps.clock.now(),
    });
    setRateHeaders(c, result.headers);
    if (result.ok) {
      c.set('charged', { charge: result.charge, remaining: result.headers.remaining });
      return;
    }
    switch (result.reason) {
      case 'burst_limit_exceeded':
        throw tooMany(
          'burst_limit_exceeded',
          `Too many requests per minute for the ${caller.plan.name} plan (${caller.plan.burst_per_minute}/min). Retry in ${result.retryAfterSeconds} s.`,
          result.retryAfterSeconds,
        );
      case 'rate_limit_exceeded':
        throw tooMany(
          'rate_limit_exceeded',
          `Monthly API call limit reached. Resets on ${result.headers.reset.slice(0, 10)}.`,
          result.retryAfterSeconds,
        );
      case 'force_refresh_limit_exceeded':
        throw tooMany(
          'force_refresh_limit_exceeded',
          `At most 10 force_refresh calls in any hour. Retry in ${result.retryAfterSeconds} s.`,
          result.retryAfterSeconds,
        );
    }
  };
  return Object.assign(charge, {
    async refund(c: Context<AppEnv>, units?: number) {
      const charged = c.get('charged');
      if (!charged) return;
      c.set('charged', undefined);
      const credits = await refundCharge(deps.counters, charged.charge, units);
      if (credits > 0) c.header('X-RateLimit-Remaining', String(charged.remaining + credits));
    },
  });
}

/**
 * Marks a call that got no answer although its HTTP status says otherwise: an MCP tool's
 * failure travels as a JSON-RPC result in an HTTP 200. `refundServerErrors` then refunds it.
 */
export function markUnanswered(c: Context<AppEnv>): void {
  c.set('unanswered', true);
}

/**
 * Only answered calls are charged (issue 21, defect 4): a call answered with a 5xx (the portal
 * unavailable, or our own failure), or marked unanswered, gets its credits back and its
 * X-RateLimit-Remaining says so. The one place credits are given back, for REST and MCP alike.
 */
export function refundServerErrors(meter: Meter): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (c.res.status >= 500 || c.get('unanswered')) await meter.refund(c);
  };
}
