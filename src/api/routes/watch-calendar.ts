import { createRoute, z } from '@hono/zod-openapi';
import { findKey } from '../../accounts/keys.ts';
import { planNamed, type Plan } from '../../accounts/plans.ts';
import type { Db } from '../../db/db.ts';
import { calendarEvents, calendarPermits, renderCalendar } from '../../watchlist/calendar.ts';
import { calendarTokenKey } from '../../watchlist/calendar-tokens.ts';
import type { DataPlane } from '../context.ts';
import { ApiError } from '../errors.ts';
import { createRouter } from '../router.ts';
import { errorResponses } from '../schemas.ts';
import { CALENDAR_PATH, chargeOne } from './watchlist.ts';

const calendarRoute = createRoute({
  method: 'get',
  path: CALENDAR_PATH,
  tags: ['Watchlist'],
  summary:
    "ICS feed of the watched permits' scheduled inspections and expiry dates. Calendar apps cannot send headers, so the " +
    '`token` from GET /watchlist (`calendar_url`) authenticates it; it grants this feed only and dies with its key',
  security: [],
  request: { query: z.object({ token: z.string().min(1).max(200) }) },
  responses: {
    200: {
      description: 'iCalendar (RFC 5545)',
      headers: { 'X-RateLimit-Remaining': { description: "The key's credits left", schema: { type: 'integer' as const } } },
      content: { 'text/calendar': { schema: z.string() } },
    },
    400: errorResponses[400],
    401: { ...errorResponses[401], description: 'invalid_api_key: unknown calendar token, or its key was revoked' },
    429: errorResponses[429],
  },
});

/**
 * The watchlist's calendar feed. Not behind the key middleware's header auth: the token is the
 * credential. The caller becomes the token's key (its plane, its plan's meter), so the fetch
 * is charged like any other call. The token is in the query string, which the request
 * observer never records (it keeps route patterns), so it reaches no log or usage row.
 */
export function watchCalendarRoutes(deps: { accountsDb: Db; plans: readonly Plan[]; live: DataPlane; demo?: DataPlane }) {
  const app = createRouter();
  app.openapi(calendarRoute, async (c) => {
    const keyId = await calendarTokenKey(deps.accountsDb, c.req.valid('query').token);
    const key = keyId ? await findKey(deps.accountsDb, keyId) : undefined;
    const plan = key && planNamed(deps.plans, key.plan);
    if (!key || key.revoked_at !== null || !plan)
      throw new ApiError(401, 'invalid_api_key', 'calendar token is invalid, or its API key was revoked');
    const plane = key.sandbox ? deps.demo : deps.live;
    if (!plane) throw new ApiError(401, 'invalid_api_key', 'sandbox keys need demo mode, which is turned off on this server');
    c.set('caller', { kind: 'key', key, plan });
    c.set('plane', plane);
    // Answered as the key, not as the anonymous demo caller the header-less request looked like.
    c.header('X-Demo-Mode', undefined);
    if (key.sandbox) c.header('X-Sandbox-Mode', 'true');
    await chargeOne(c);
    const body = renderCalendar(calendarEvents(await calendarPermits(plane.db, key.id)));
    c.header('Content-Type', 'text/calendar; charset=utf-8');
    return c.body(body, 200);
  });
  return app;
}
