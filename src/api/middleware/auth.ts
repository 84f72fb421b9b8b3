import type { MiddlewareHandler } from 'hono';
import { createAuthenticator, markKeyUsed } from '../../accounts/keys.ts';
import { planNamed, type Plan } from '../../accounts/plans.ts';
import type { Db } from '../../db/db.ts';
import type { AppEnv, DataPlane, Meter } from '../context.ts';
import { ApiError } from '../errors.ts';
import type { Clock } from '../../lib/clock.ts';

/** last_used_at is written at most this often per key: it is a hint, not a log, and writes cost. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export interface AuthDeps {
  accountsDb: Db;
  plans: readonly Plan[];
  live: DataPlane;
  /** Absent when the operator turned demo mode off: anonymous calls are then 401. */
  demo?: DataPlane;
  clock: Clock;
  /** Charges metered routes to the caller decided here (set on the context for them). */
  meter?: Meter;
}

/**
 * Routes the reference documents as "No auth required"; without a key they read the live plane.
 * Also the watchlist's calendar feed, whose `?token=` is its credential (calendar apps cannot
 * send headers; the route checks the token and answers as its key, in its key's plane).
 */
export const PUBLIC_PATHS = ['/api/v1/jurisdictions', '/api/v1/jurisdictions/requests', '/api/v1/watchlist/calendar.ics'];

function isPublic(path: string): boolean {
  return PUBLIC_PATHS.includes(path.replace(/\/+$/, ''));
}

export type PresentedKey = { kind: 'none' } | { kind: 'key'; key: string } | { kind: 'malformed'; message: string };

/**
 * The key a request presents: `X-API-Key`, or `Authorization: Bearer <key>` (DESIGN.md §7).
 * A credential header that is there but holds no usable key (an empty `X-API-Key`, `Basic`
 * auth, `Bearer` with nothing after it) is `malformed`: the caller meant to authenticate, so
 * it is answered 401 rather than quietly served the demo dataset.
 */
export function presentedKey(header: (name: string) => string | undefined | null): PresentedKey {
  const apiKey = header('x-api-key');
  if (apiKey !== null && apiKey !== undefined) {
    const key = apiKey.trim();
    return key ? { kind: 'key', key } : { kind: 'malformed', message: 'X-API-Key header is empty' };
  }
  const authorization = header('authorization');
  if (authorization === null || authorization === undefined) return { kind: 'none' };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match ? { kind: 'key', key: match[1]! } : { kind: 'malformed', message: 'Authorization header must be "Bearer <key>"' };
}

/**
 * Decides who is calling and which data plane serves them: a live key → live data; an
 * `sk_test_` key → demo data with `X-Sandbox-Mode: true`; no key → demo data with
 * `X-Demo-Mode: true`. A key that is unknown or revoked is always 401, never silently demo.
 */
export function auth(deps: AuthDeps): MiddlewareHandler<AppEnv> {
  const lastWritten = new Map<string, number>();
  const authenticate = createAuthenticator(deps.accountsDb);
  return async (c, next) => {
    if (deps.meter) c.set('meter', deps.meter);
    const presented = presentedKey((name) => c.req.header(name));
    if (presented.kind === 'malformed') throw new ApiError(401, 'invalid_api_key', presented.message);
    if (presented.kind === 'none') {
      // The public lists are the service's own (what keyed users requested, what it tracks):
      // they read the live plane; only permit data stays behind the demo plane (issue 21, 1).
      if (isPublic(c.req.path)) {
        c.set('caller', { kind: 'anonymous' });
        c.set('plane', deps.live);
        return next();
      }
      if (!deps.demo) throw new ApiError(401, 'invalid_api_key', 'API key is missing: send it as X-API-Key or Authorization: Bearer');
      c.set('caller', { kind: 'anonymous' });
      c.set('plane', deps.demo);
      c.header('X-Demo-Mode', 'true');
      return next();
    }
    const result = await authenticate(presented.key);
    if (!result.ok) {
      throw new ApiError(401, 'invalid_api_key', result.reason === 'revoked' ? 'API key has been revoked' : 'API key is invalid');
    }
    const key = result.key;
    const plan = planNamed(deps.plans, key.plan);
    if (!plan) throw new ApiError(401, 'invalid_api_key', `API key's plan "${key.plan}" no longer exists`);
    c.set('caller', { kind: 'key', key, plan });
    if (key.sandbox) {
      if (!deps.demo) throw new ApiError(401, 'invalid_api_key', 'sandbox keys need demo mode, which is turned off on this server');
      c.set('plane', deps.demo);
      c.header('X-Sandbox-Mode', 'true');
    } else {
      c.set('plane', deps.live);
    }
    const now = deps.clock.now();
    if (now - (lastWritten.get(key.id) ?? 0) >= LAST_USED_RESOLUTION_MS) {
      lastWritten.set(key.id, now);
      await markKeyUsed(deps.accountsDb, key.id, new Date(now));
    }
    return next();
  };
}
