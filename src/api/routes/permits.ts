import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../context.ts';
import { permission } from '../require-permission.ts';
import { createRouter } from '../router.ts';
import { PermitRecord } from '../../permits/record.ts';
import { readInspections } from '../../projections/inspections.ts';
import { getPermitRecord } from '../../projections/permits.ts';
import { ownedWatch, watchOf } from '../../projections/watchlist.ts';
import { WATCH_ID_PATTERN } from '../../watchlist/write.ts';
import { readTimeline } from '../../projections/timeline.ts';
import { ApiError } from '../errors.ts';
import { lookupForRoute, refreshAvailable, type Found } from '../lookup-request.ts';
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

/** The caller's watch of a permit, on its full record (Plotwise's permit detail: label and note). */
const WatchSummary = z.object({ id: z.string(), label: z.string().nullable(), note: z.string().nullable(), created_at: z.string() });

const recordRoute = createRoute({
  method: 'get',
  path: '/permits/{permit_number}',
  middleware: permission('read'),
  tags,
  summary:
    'The full normalised permit record (address object, dates, fees, contacts, conditions...). The path takes a permit number or ' +
    'one of your watch ids (wat_...); `watch` is your watch of the permit, null when you do not watch it',
  request: { params: PermitParams, query: LookupQuery },
  responses: {
    200: meteredResponse(
      PermitStatus.extend({ record: PermitRecord, watch: WatchSummary.nullable() }).openapi('PermitWithRecord'),
      'Status plus the full record',
    ),
    ...lookupErrorResponses,
    404: {
      ...lookupErrorResponses[404],
      description: 'permit_not_found, jurisdiction_not_supported, or watch_not_found (a watch id not under this key)',
    },
  },
});

const TimelineEntry = z.object({
  status: z.string().nullable(),
  portal_status: z.string().nullable(),
  changed_at: z.string(),
  source: z.enum(['portal', 'sync_log']),
});

export const History = z
  .object({ permit_number: z.string(), jurisdiction: z.string(), timeline: z.array(TimelineEntry) })
  .openapi('History');

const historyRoute = createRoute({
  method: 'get',
  path: '/permits/{permit_number}/history',
  middleware: permission('read'),
  tags,
  summary: "Status timeline: the portal's own history merged with changes Permitwatch observed",
  request: { params: PermitParams, query: LookupQuery },
  responses: {
    200: meteredResponse(History, 'Timeline, oldest first'),
    ...lookupErrorResponses,
  },
});

export const Inspections = z
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
  .openapi('Inspections');

const inspectionsRoute = createRoute({
  method: 'get',
  path: '/permits/{permit_number}/inspections',
  middleware: permission('read'),
  tags,
  summary: 'Inspections with pass rate (over completed inspections only) and pending ones',
  request: { params: PermitParams, query: LookupQuery },
  responses: {
    200: meteredResponse(Inspections, 'Inspections'),
    ...lookupErrorResponses,
  },
});

/** Permit lookups: one file for the resource, handlers inline at their routes (STYLE.md §6). */
export function permitRoutes() {
  const app = createRouter();

  app.openapi(statusRoute, async (c) => c.json(await permitStatus(c, { ...c.req.valid('param'), ...c.req.valid('query') }), 200));

  app.openapi(recordRoute, async (c) => {
    const db = c.get('plane').db;
    const caller = c.get('caller');
    const keyId = caller.kind === 'key' ? caller.key.id : undefined;
    const { permit_number: id } = c.req.valid('param');
    let input = { permit_number: id, ...c.req.valid('query') };
    if (WATCH_ID_PATTERN.test(id)) {
      // A watch id names the permit it watches, where it watches it; another key's is not found.
      const watch = keyId ? await ownedWatch(db, keyId, id) : undefined;
      if (!watch) throw new ApiError(404, 'watch_not_found', `no watch ${id} under this API key`);
      input = { ...input, permit_number: watch.permit_number, jurisdiction: watch.jurisdiction };
    }
    const found = await lookupForRoute(c, input);
    const record = await getPermitRecord(db, found.row.stream);
    if (!record) throw new ApiError(404, 'permit_not_found', 'permit disappeared from the projection; retry');
    const watch = keyId ? await watchOf(db, keyId, found.row.stream) : undefined;
    const watchSummary = watch ? { id: watch.id, label: watch.label, note: watch.note, created_at: watch.created_at } : null;
    return c.json({ ...statusBody(found, refreshAvailable(c)), record, watch: watchSummary }, 200);
  });

  app.openapi(historyRoute, async (c) => c.json(await permitHistory(c, { ...c.req.valid('param'), ...c.req.valid('query') }), 200));

  app.openapi(inspectionsRoute, async (c) => c.json(await permitInspections(c, { ...c.req.valid('param'), ...c.req.valid('query') }), 200));

  return app;
}

/** What a permit lookup is asked with: the REST route's path and query, the MCP tools' arguments. */
export type PermitInput = Parameters<typeof lookupForRoute>[1];

/** A permit's status for the caller of `c` (charged, cached or live); REST and MCP answer with it. */
export async function permitStatus(c: Context<AppEnv>, input: PermitInput): Promise<z.infer<typeof PermitStatus>> {
  return statusBody(await lookupForRoute(c, input), refreshAvailable(c));
}

/** A permit's timeline, oldest first, after the same charged lookup as its status. */
export async function permitHistory(c: Context<AppEnv>, input: PermitInput): Promise<z.infer<typeof History>> {
  const found = await lookupForRoute(c, input);
  const timeline = await readTimeline(c.get('plane').db, found.row.stream);
  return { permit_number: found.row.permit_number, jurisdiction: found.jurisdiction.slug, timeline };
}

/** A permit's inspections with its pass rate, after the same charged lookup as its status. */
export async function permitInspections(c: Context<AppEnv>, input: PermitInput): Promise<z.infer<typeof Inspections>> {
  const found = await lookupForRoute(c, input);
  const view = await readInspections(c.get('plane').db, found.row.stream);
  return { permit_number: found.row.permit_number, jurisdiction: found.jurisdiction.slug, ...view };
}

/** What a status body is made of: a lookup's result, or a held row (search). */
export type StatusSource = Pick<Found, 'row' | 'source' | 'age_seconds' | 'stale_because'> & {
  jurisdiction: Pick<Found['jurisdiction'], 'slug' | 'display_name'>;
};

/** The reference's status shape (`address` as one line), plus what a demanding client also wants. */
export function statusBody(found: StatusSource, refresh: boolean): z.infer<typeof PermitStatus> {
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
