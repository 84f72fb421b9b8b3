import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { WATCH_LABEL_MAX, WATCH_NOTE_MAX } from '../../events/watch.ts';
import type { Db } from '../../db/db.ts';
import type { Clock } from '../../lib/clock.ts';
import { calendarToken } from '../../watchlist/calendar-tokens.ts';
import { listWatches, type WatchRow } from '../../projections/watchlist.ts';
import { WATCH_ID_PATTERN } from '../../watchlist/write.ts';
import type { AppEnv } from '../context.ts';
import { ApiError } from '../errors.ts';
import { lookupError, lookupPermit, refreshAvailable } from '../lookup-request.ts';
import { permission } from '../require-permission.ts';
import { createRouter } from '../router.ts';
import {
  authErrorResponses,
  ErrorBody,
  errorResponses,
  jsonBody,
  lookupErrorResponses,
  meteredResponse,
  PermitStatus,
} from '../schemas.ts';
import { statusBody } from './permits.ts';

const tags = ['Watchlist'];
/** The ICS feed's path under /api/v1 (routes/watch-calendar.ts serves it; GET /watchlist links it). */
export const CALENDAR_PATH = '/watchlist/calendar.ics';
/** Items per page of every watchlist and portfolio list (Plotwise pages at 100). */
export const WATCH_PAGE_MAX = 100;
export const WATCH_PAGE_DEFAULT = 50;

export const WatchView = z
  .object({
    id: z.string().openapi({ example: 'wat_3f9c0a1b2c3d4e5f' }),
    permit_number: z.string(),
    jurisdiction: z.string(),
    label: z.string().nullable(),
    note: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Watch');

export function watchView(w: WatchRow): z.infer<typeof WatchView> {
  return {
    id: w.id,
    permit_number: w.permit_number,
    jurisdiction: w.jurisdiction,
    label: w.label,
    note: w.note,
    created_at: w.created_at,
    updated_at: w.updated_at,
  };
}

const WatchIdParams = z.object({
  id: z
    .string()
    .regex(WATCH_ID_PATTERN, 'expected a watch id (wat_...)')
    .openapi({ param: { name: 'id', in: 'path' }, example: 'wat_3f9c0a1b2c3d4e5f' }),
});

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(WATCH_PAGE_MAX).default(WATCH_PAGE_DEFAULT),
  cursor: z.string().max(200).optional().openapi({ description: 'next_cursor of the previous page' }),
};

const watchNotFound = {
  description: 'watch_not_found: no such watch under this API key',
  content: { 'application/json': { schema: ErrorBody } },
};

const Label = z.string().trim().max(WATCH_LABEL_MAX).nullable();
const Note = z.string().max(WATCH_NOTE_MAX).nullable();

/** POST /watchlist's body; the MCP tool `watch_permit` takes the same. */
export const AddWatchRequest = z
  .object({
    permit_number: z.string().min(1).max(100),
    jurisdiction: z.string().min(1).max(100).optional(),
    label: Label.optional(),
    note: Note.optional(),
  })
  .strict();

/** A watch with its permit's current status: what POST /watchlist answers. */
export const NewWatch = WatchView.extend({ current_status: PermitStatus }).openapi('NewWatch');

const addRoute = createRoute({
  method: 'post',
  path: '/watchlist',
  middleware: permission('write'),
  tags,
  summary: 'Watch a permit: 201 with the new watch, 200 with the existing one; the permit is looked up as GET /permits/{n}/status does',
  request: { body: jsonBody(AddWatchRequest) },
  responses: {
    201: meteredResponse(NewWatch, 'Now watched'),
    200: meteredResponse(NewWatch, 'Already watched by this key: the existing watch'),
    ...lookupErrorResponses,
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/watchlist',
  middleware: permission('read'),
  tags,
  summary: "This key's watches, in id order, paged",
  request: { query: z.object(PageQuery) },
  responses: {
    200: meteredResponse(
      z
        .object({
          watchlist: z.array(WatchView),
          next_cursor: z.string().nullable(),
          calendar_url: z
            .string()
            .openapi({ description: "ICS feed of this key's scheduled inspections and expiry dates; its token grants that feed only" }),
        })
        .openapi('Watchlist'),
      'Watches',
    ),
    400: errorResponses[400],
    ...authErrorResponses,
    429: errorResponses[429],
  },
});

const patchRoute = createRoute({
  method: 'patch',
  path: '/watchlist/{id}',
  middleware: permission('write'),
  tags,
  summary: "Change a watch's label or note (null clears one)",
  request: {
    params: WatchIdParams,
    body: jsonBody(
      z
        .object({ label: Label, note: Note })
        .partial()
        .strict()
        .refine((b) => Object.keys(b).length > 0, 'send label or note'),
    ),
  },
  responses: { 200: meteredResponse(WatchView, 'Updated'), ...authErrorResponses, 404: watchNotFound, 429: errorResponses[429] },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/watchlist/{id}',
  middleware: permission('write'),
  tags,
  summary: 'Stop watching (the permit, its history and any lookup of it stay)',
  request: { params: WatchIdParams },
  responses: { 204: { description: 'Removed' }, ...authErrorResponses, 404: watchNotFound, 429: errorResponses[429] },
});

/** Watches belong to a key: an anonymous (demo) caller has none. */
export function watchingKeyId(c: Context<AppEnv>): string {
  const caller = c.get('caller');
  if (caller.kind !== 'key')
    throw new ApiError(
      401,
      'invalid_api_key',
      'the watchlist belongs to an API key: send X-API-Key (a sandbox key, sk_test_, watches the demo dataset)',
    );
  return caller.key.id;
}

/** Charges one credit, as a cached lookup costs. */
export const chargeOne = (c: Context<AppEnv>) => c.get('meter')(c, { cost: 1, forceRefresh: false });

/** The id after which the next page starts: the cursor, which for watch lists is the last id seen. */
function afterId(cursor: string | undefined): string {
  if (cursor === undefined) return '';
  if (!WATCH_ID_PATTERN.test(cursor)) throw new ApiError(400, 'invalid_request', 'cursor: not a cursor this API gave');
  return cursor;
}

/** The next page's cursor: the last id of a full page, null on the last page. */
export const nextCursor = <T>(rows: readonly T[], limit: number, cursorOf: (last: T) => string) =>
  rows.length === limit ? cursorOf(rows[rows.length - 1]!) : null;

/**
 * Watches a permit for the caller's key (POST /watchlist, MCP `watch_permit`): the permit must
 * exist where it is said to be, so it is looked up (and charged) as a status call is; then the
 * `watch.added` event is appended, unless the key already watches it (`created: false`).
 */
export async function addWatch(
  c: Context<AppEnv>,
  body: z.infer<typeof AddWatchRequest>,
  at: string,
): Promise<{ created: boolean; body: z.infer<typeof NewWatch> }> {
  const keyId = watchingKeyId(c);
  const { number, result } = await lookupPermit(c, { permit_number: body.permit_number, jurisdiction: body.jurisdiction });
  if (!result.ok) throw lookupError(number, result);
  const target = { keyId, stream: result.row.stream, jurisdiction: result.jurisdiction.slug, permitNumber: result.row.permit_number };
  const added = await c.get('plane').watches.add(target, { label: body.label ?? null, note: body.note ?? null }, at, {
    request_id: c.get('requestId'),
  });
  return { created: added.created, body: { ...watchView(added.watch), current_status: statusBody(result, refreshAvailable(c)) } };
}

/** The watchlist (issue 17; Plotwise's /v1/watchlist): a key's watches, handlers inline. */
export function watchlistRoutes(deps: { clock: Clock; accountsDb: Db }) {
  const app = createRouter();
  const now = () => new Date(deps.clock.now()).toISOString();

  app.openapi(addRoute, async (c) => {
    const added = await addWatch(c, c.req.valid('json'), now());
    return c.json(added.body, added.created ? 201 : 200);
  });

  app.openapi(listRoute, async (c) => {
    const keyId = watchingKeyId(c);
    const { limit, cursor } = c.req.valid('query');
    const after = afterId(cursor);
    await chargeOne(c);
    const rows = await listWatches(c.get('plane').db, keyId, after, limit);
    const token = await calendarToken(deps.accountsDb, keyId, now());
    const calendar_url = `${new URL(c.req.url).origin}/api/v1${CALENDAR_PATH}?token=${token}`;
    return c.json({ watchlist: rows.map(watchView), next_cursor: nextCursor(rows, limit, (w) => w.id), calendar_url }, 200);
  });

  app.openapi(patchRoute, async (c) => {
    const keyId = watchingKeyId(c);
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    await chargeOne(c);
    const updated = await c.get('plane').watches.update(keyId, id, body, now(), { request_id: c.get('requestId') });
    if (!updated.ok) throw new ApiError(404, 'watch_not_found', `no watch ${id} under this API key`);
    return c.json(watchView(updated.watch), 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const keyId = watchingKeyId(c);
    const { id } = c.req.valid('param');
    await chargeOne(c);
    const removed = await c.get('plane').watches.remove(keyId, id, now(), { request_id: c.get('requestId') });
    if (!removed.ok) throw new ApiError(404, 'watch_not_found', `no watch ${id} under this API key`);
    return c.body(null, 204);
  });

  return app;
}
