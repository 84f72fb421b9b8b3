import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { listRequests, requestJurisdiction } from '../../jurisdictions/request-store.ts';
import type { Jurisdiction } from '../../jurisdictions/jurisdiction.ts';
import { activeCounts } from '../../projections/permits.ts';
import { MIN_MEDIAN_SAMPLE, readAnalytics, readStats } from '../../projections/stats.ts';
import type { AppEnv, DataPlane } from '../context.ts';
import { ApiError } from '../errors.ts';
import { permission } from '../require-permission.ts';
import { createRouter } from '../router.ts';
import { authErrorResponses, errorResponses, jsonBody, jsonResponse } from '../schemas.ts';
import { jurisdictionHealth } from '../../jurisdictions/health.ts';
import type { Clock } from '../../lib/clock.ts';

const tags = ['Jurisdictions'];

const JurisdictionSummary = z
  .object({
    slug: z.string().openapi({ example: 'ladbs' }),
    display_name: z.string(),
    platform: z.string(),
    state: z.string(),
    city: z.string(),
    time_zone: z.string(),
    active_permits_count: z.number().int(),
  })
  .openapi('JurisdictionSummary');

export const JurisdictionList = z.object({ jurisdictions: z.array(JurisdictionSummary), total: z.number().int() });

const DateRange = z.object({ earliest: z.string().nullable(), latest: z.string().nullable() });
const SlugParams = z.object({
  slug: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'slug', in: 'path' }, example: 'ladbs' }),
});
const RequestSummary = z
  .object({
    jurisdiction_name: z.string(),
    state_code: z.string(),
    request_count: z.number().int(),
    unique_keys_count: z.number().int(),
    status: z.string(),
  })
  .openapi('JurisdictionRequest');

const listRoute = createRoute({
  method: 'get',
  path: '/jurisdictions',
  tags,
  summary: 'Supported jurisdictions with active permit counts (no key needed)',
  security: [],
  responses: {
    200: jsonResponse(JurisdictionList, 'All jurisdictions'),
    401: errorResponses[401],
  },
});

const requestsRoute = createRoute({
  method: 'get',
  path: '/jurisdictions/requests',
  tags,
  summary: 'Jurisdictions users have asked for, ranked by request count (no key needed)',
  security: [],
  responses: { 200: jsonResponse(z.object({ requests: z.array(RequestSummary) }), 'Ranked requests') },
});

const requestRoute = createRoute({
  method: 'post',
  path: '/jurisdictions/request',
  middleware: permission('read'),
  tags,
  summary: 'Ask for a jurisdiction; an existing request is upvoted',
  request: {
    body: jsonBody(
      z.object({
        jurisdiction_name: z.string().trim().min(2).max(120).openapi({ example: 'City of Phoenix' }),
        state: z
          .string()
          .regex(/^[A-Za-z]{2}$/, 'two-letter state code')
          .openapi({ example: 'AZ' }),
      }),
    ),
  },
  responses: {
    200: jsonResponse(RequestSummary.extend({ estimated_timeline: z.string().nullable() }), 'The request with its counts'),
    ...authErrorResponses,
  },
});

const statsRoute = createRoute({
  method: 'get',
  path: '/jurisdictions/{slug}/stats',
  middleware: permission('read'),
  tags,
  summary: 'Permit count and date range of a jurisdiction',
  request: { params: SlugParams },
  responses: {
    200: jsonResponse(
      z.object({
        slug: z.string(),
        display_name: z.string(),
        permit_count: z.number().int(),
        active_permits_count: z.number().int(),
        date_range: DateRange,
      }),
      'Stats',
    ),
    400: errorResponses[400],
    ...authErrorResponses,
    404: errorResponses[404],
  },
});

const analyticsRoute = createRoute({
  method: 'get',
  path: '/jurisdictions/{slug}/analytics',
  middleware: permission('read'),
  tags,
  summary: `Median applied→issued days (null below ${MIN_MEDIAN_SAMPLE} samples), counts by type`,
  request: { params: SlugParams },
  responses: {
    200: jsonResponse(
      z.object({
        jurisdiction: z.string(),
        display_name: z.string(),
        median_processing_days: z.number().nullable(),
        sample_size: z.number().int(),
        min_sample_size: z.number().int(),
        permit_count: z.number().int(),
        date_range: DateRange,
        permits_by_type: z.record(z.string(), z.number().int()),
      }),
      'Analytics',
    ),
    400: errorResponses[400],
    ...authErrorResponses,
    404: errorResponses[404],
  },
});

const healthRoute = createRoute({
  method: 'get',
  path: '/jurisdictions/{slug}/health',
  middleware: permission('read'),
  tags,
  summary: "A portal's health as this server sees it: last success, error rate, fetch time, parser drift, breaker",
  request: { params: SlugParams },
  responses: {
    200: jsonResponse(
      z.object({
        slug: z.string(),
        host: z.string(),
        last_success_at: z.string().nullable(),
        requests: z.number().int(),
        errors: z.number().int(),
        error_rate: z.number().nullable(),
        median_fetch_ms: z.number().nullable(),
        unknown_status_share: z.number().nullable(),
        permits_observed: z.number().int(),
        unknown_status_permits: z.number().int(),
        // The verbatim statuses (null: none given) most unknown-phase permits show, most first.
        unknown_statuses: z.array(z.object({ status: z.string().nullable(), permits: z.number().int() })),
        breaker: z.object({
          state: z.string(),
          consecutive_failures: z.number().int(),
          opened_at: z.string().nullable(),
          retry_after_ms: z.number(),
        }),
      }),
      'Health',
    ),
    400: errorResponses[400],
    ...authErrorResponses,
    404: errorResponses[404],
  },
});

function jurisdictionOr404(c: Context<AppEnv>, slug: string): Jurisdiction {
  const j = c.get('plane').catalog.get(slug);
  if (!j) throw new ApiError(404, 'jurisdiction_not_supported', `unknown jurisdiction "${slug}"; see GET /api/v1/jurisdictions`);
  return j;
}

/** The catalog with each jurisdiction's active permits in `plane` (REST list and the MCP tool). */
export async function listJurisdictions(plane: DataPlane): Promise<z.infer<typeof JurisdictionList>> {
  const counts = await activeCounts(plane.db);
  const jurisdictions = plane.catalog.all().map((j) => ({
    slug: j.slug,
    display_name: j.display_name,
    platform: j.platform,
    state: j.state,
    city: j.city,
    time_zone: j.time_zone,
    active_permits_count: counts.get(j.slug) ?? 0,
  }));
  return { jurisdictions, total: jurisdictions.length };
}

export function jurisdictionRoutes(deps: { clientAddress: (c: Context) => string; clock: Clock }) {
  const app = createRouter();

  app.openapi(listRoute, async (c) => c.json(await listJurisdictions(c.get('plane')), 200));

  app.openapi(requestsRoute, async (c) => c.json({ requests: await listRequests(c.get('plane').db) }, 200));

  app.openapi(requestRoute, async (c) => {
    const body = c.req.valid('json');
    const caller = c.get('caller');
    const voter = caller.kind === 'key' ? `key:${caller.key.id}` : `addr:${deps.clientAddress(c)}`;
    const summary = await requestJurisdiction(c.get('plane').db, {
      jurisdiction_name: body.jurisdiction_name,
      state: body.state,
      voter,
      at: new Date(deps.clock.now()).toISOString(),
    });
    // We promise no date: adding a city depends on its portal, and this is a self-hosted project.
    return c.json({ ...summary, estimated_timeline: null }, 200);
  });

  app.openapi(statsRoute, async (c) => {
    const j = jurisdictionOr404(c, c.req.valid('param').slug);
    const stats = await readStats(c.get('plane').db, j.slug);
    return c.json({ slug: j.slug, display_name: j.display_name, ...stats }, 200);
  });

  app.openapi(analyticsRoute, async (c) => {
    const j = jurisdictionOr404(c, c.req.valid('param').slug);
    const a = await readAnalytics(c.get('plane').db, j.slug);
    return c.json({ jurisdiction: j.slug, display_name: j.display_name, min_sample_size: MIN_MEDIAN_SAMPLE, ...a }, 200);
  });

  app.openapi(healthRoute, async (c) => {
    const plane = c.get('plane');
    const j = jurisdictionOr404(c, c.req.valid('param').slug);
    const host = new URL(plane.lookup.baseUrlFor(j)).host;
    return c.json(await jurisdictionHealth(plane.db, plane.http, j.slug, host), 200);
  });

  return app;
}
