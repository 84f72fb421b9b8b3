import { createRoute, z } from '@hono/zod-openapi';
import { permission } from '../require-permission.ts';
import { createRouter } from '../router.ts';
import { PermitRecord } from '../../permits/record.ts';
import type { PermitRow } from '../../projections/permits.ts';
import { readInspections } from '../../projections/inspections.ts';
import { getPermitRecord } from '../../projections/permits.ts';
import { readTimeline } from '../../projections/timeline.ts';
import { ApiError } from '../errors.ts';
import { respondJson, respondJsonText } from '../response-headers.ts';
import { lookupForRoute, refreshAvailable } from '../lookup-request.ts';
import { lookupErrorResponses, LookupQuery, meteredResponse, PermitParams, PermitStatus } from '../schemas.ts';

const tags = ['Permits'];

const statusRoute = createRoute({
  method: 'get',
  path: '/permits/{permit_number}/status',
  middleware: permission('read'),
  tags,
  summary: 'Current status of a permit (cached up to 4 h, or fetched live)',
  request: { params: PermitParams, query: LookupQuery },
  responses: { 200: meteredResponse(PermitStatus, 'Permit status'), ...lookupErrorResponses },
});

const recordRoute = createRoute({
  method: 'get',
  path: '/permits/{permit_number}',
  middleware: permission('read'),
  tags,
  summary: 'The full normalised permit record (address object, dates, fees, contacts, conditions...)',
  request: { params: PermitParams, query: LookupQuery },
  responses: {
    200: meteredResponse(PermitStatus.extend({ record: PermitRecord }).openapi('PermitWithRecord'), 'Status plus the full record'),
    ...lookupErrorResponses,
  },
});

const TimelineEntry = z.object({
  status: z.string().nullable(),
  portal_status: z.string().nullable(),
  changed_at: z.string(),
  source: z.enum(['portal', 'sync_log']),
});

const historyRoute = createRoute({
  method: 'get',
  path: '/permits/{permit_number}/history',
  middleware: permission('read'),
  tags,
  summary: "Status timeline: the portal's own history merged with changes Permitwatch observed",
  request: { params: PermitParams, query: LookupQuery },
  responses: {
    200: meteredResponse(
      z.object({ permit_number: z.string(), jurisdiction: z.string(), timeline: z.array(TimelineEntry) }).openapi('History'),
      'Timeline, oldest first',
    ),
    ...lookupErrorResponses,
  },
});

const inspectionsRoute = createRoute({
  method: 'get',
  path: '/permits/{permit_number}/inspections',
  middleware: permission('read'),
  tags,
  summary: 'Inspections with pass rate (over completed inspections only) and pending ones',
  request: { params: PermitParams, query: LookupQuery },
  responses: {
    200: meteredResponse(
      z
        .object({
          permit_number: z.string(),
          jurisdiction: z.string(),
          inspections: z.array(
            z.object({
              type: z.string(),
              date: z.string().nullable(),
              result: z.string().nullable(),
              inspector: z.string().nullable(),
            }),
          ),
          pending: z.array(
            z.object({
              type: z.string(),
              date: z.string().nullable(),
              status: z.enum(['scheduled', 'pending']),
              inspector: z.string().nullable(),
            }),
          ),
          pass_rate: z.number().nullable(),
          completed_count: z.number().int(),
          passed_count: z.number().int(),
        })
        .openapi('Inspections'),
      'Inspections',
    ),
    ...lookupErrorResponses,
  },
});

/** Permit lookups: one file for the resource, handlers inline at their routes (STYLE.md §6). */
export function permitRoutes() {
  const app = createRouter();

  app.openapi(statusRoute, async (c) => {
    const found = await lookupForRoute(c, { ...c.req.valid('param'), ...c.req.valid('query') });
    return respondJsonText<z.infer<typeof PermitStatus>, 200>(c, statusJson(found, refreshAvailable(c)), 200);
  });

  app.openapi(recordRoute, async (c) => {
    const found = await lookupForRoute(c, { ...c.req.valid('param'), ...c.req.valid('query') });
    const record = await getPermitRecord(c.get('plane').db, found.row.stream);
    if (!record) throw new ApiError(404, 'permit_not_found', 'permit disappeared from the projection; retry');
    return respondJson(c, { ...statusBody(found, refreshAvailable(c)), record }, 200);
  });

  app.openapi(historyRoute, async (c) => {
    const found = await lookupForRoute(c, { ...c.req.valid('param'), ...c.req.valid('query') });
    const timeline = await readTimeline(c.get('plane').db, found.row.stream);
    return respondJson(c, { permit_number: found.row.permit_number, jurisdiction: found.jurisdiction.slug, timeline }, 200);
  });

  app.openapi(inspectionsRoute, async (c) => {
    const found = await lookupForRoute(c, { ...c.req.valid('param'), ...c.req.valid('query') });
    const view = await readInspections(c.get('plane').db, found.row.stream);
    return respondJson(c, { permit_number: found.row.permit_number, jurisdiction: found.jurisdiction.slug, ...view }, 200);
  });

  return app;
}

type Found = Awaited<ReturnType<typeof lookupForRoute>>;

/** The reference's status shape (`address` as one line), plus what a demanding client also wants. */
export function statusBody(found: Found, refresh: boolean): z.infer<typeof PermitStatus> {
  const { row, jurisdiction } = found;
  return {
    permit_number: row.permit_number,
    jurisdiction: jurisdiction.slug,
    jurisdiction_display: jurisdiction.display_name,
    status: row.status,
    portal_status: row.portal_status,
    status_phase: row.status_phase,
    permit_type: row.permit_type,
    category: row.category,
    address: row.address_line,
    work_description: row.work_description,
    source: found.source,
    last_synced_at: row.last_checked_at,
    last_changed_at: row.last_changed_at,
    first_seen_at: row.first_seen_at,
    version: row.version,
    source_url: row.source_url,
    data_freshness: { age_seconds: found.age_seconds, cached: found.source === 'cached', refresh_available: refresh },
    ...(found.stale_because ? { stale_reason: found.stale_because } : {}),
  };
}

/** The part of a status body serialized once per projection row (rows are shared and replaced, never mutated). */
const statusHeads = new WeakMap<PermitRow, { jurisdiction: Found['jurisdiction']; source: Found['source']; json: string }>();

/**
 * `JSON.stringify(statusBody(found, refresh))`, byte for byte, without serializing the whole
 * body on every cached lookup: everything before `data_freshness` is kept per row, and only
 * the freshness (and a stale reason) is written each time. Serialization was the largest single
 * cost left in a cached lookup (bench/lookup.ts).
 */
export function statusJson(found: Found, refresh: boolean): string {
  let head = statusHeads.get(found.row);
  if (!head || head.jurisdiction !== found.jurisdiction || head.source !== found.source) {
    const { data_freshness: _freshness, stale_reason: _stale, ...fixed } = statusBody(found, refresh);
    head = { jurisdiction: found.jurisdiction, source: found.source, json: JSON.stringify(fixed).slice(0, -1) };
    statusHeads.set(found.row, head);
  }
  const freshness = `"data_freshness":{"age_seconds":${found.age_seconds},"cached":${found.source === 'cached'},"refresh_available":${refresh}}`;
  const stale = found.stale_because ? `,"stale_reason":${JSON.stringify(found.stale_because)}` : '';
  return `${head.json},${freshness}${stale}}`;
}
