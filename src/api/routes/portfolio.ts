import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../context.ts';
import { isConditionCleared } from '../../permits/condition-cleared.ts';
import { Condition, Contact, STATUS_PHASES } from '../../permits/record.ts';
import {
  decodeItemCursor,
  encodeItemCursor,
  listConditions,
  listContacts,
  listWatchedPermits,
  type ItemCursor,
} from '../../watchlist/read.ts';
import { ApiError } from '../errors.ts';
import { permission } from '../require-permission.ts';
import { createRouter } from '../router.ts';
import { authErrorResponses, errorResponses, meteredResponse } from '../schemas.ts';
import { WATCH_ID_PATTERN } from '../../watchlist/write.ts';
import { chargeOne, nextCursor, PageQuery, watchingKeyId } from './watchlist.ts';

const tags = ['Watchlist'];

export const WatchedPermit = z
  .object({
    id: z.string().openapi({ description: 'the watch id; GET /permits/{id} accepts it' }),
    permit_number: z.string(),
    jurisdiction: z.string(),
    label: z.string().nullable(),
    note: z.string().nullable(),
    watched_since: z.string(),
    status: z.string().nullable(),
    portal_status: z.string().nullable(),
    status_phase: z.enum(STATUS_PHASES),
    permit_type: z.string().nullable(),
    category: z.string(),
    address: z.string().nullable(),
    last_changed_at: z.string(),
    last_synced_at: z.string().nullable(),
  })
  .openapi('WatchedPermit');

const Origin = { watch_id: z.string(), permit_number: z.string(), jurisdiction: z.string() };

/** GET /permits's query; the MCP tool `list_watched_permits` takes the same. */
export const WatchedPermitsQuery = z.object({
  ...PageQuery,
  status_phase: z.enum(STATUS_PHASES).optional(),
  jurisdiction: z.string().min(1).max(100).optional(),
});

export const WatchedPermits = z.object({ permits: z.array(WatchedPermit), next_cursor: z.string().nullable() }).openapi('WatchedPermits');

const permitsRoute = createRoute({
  method: 'get',
  path: '/permits',
  middleware: permission('read'),
  tags,
  summary: 'Watched permits with their current status (Plotwise: "List watchlist permits"), paged in watch-id order',
  request: { query: WatchedPermitsQuery },
  responses: {
    200: meteredResponse(WatchedPermits, 'Permits'),
    400: errorResponses[400],
    ...authErrorResponses,
    429: errorResponses[429],
  },
});

const contactsRoute = createRoute({
  method: 'get',
  path: '/contacts',
  middleware: permission('read'),
  tags,
  summary: 'Contacts of the watched permits (for CRM sync); `role` matches case-insensitively',
  request: {
    query: z.object({ ...PageQuery, role: z.string().min(1).max(100).optional(), permit_number: z.string().min(1).max(100).optional() }),
  },
  responses: {
    200: meteredResponse(
      z.object({ contacts: z.array(Contact.extend(Origin)), next_cursor: z.string().nullable() }).openapi('PortfolioContacts'),
      'Contacts',
    ),
    400: errorResponses[400],
    ...authErrorResponses,
    429: errorResponses[429],
  },
});

const conditionsRoute = createRoute({
  method: 'get',
  path: '/conditions',
  middleware: permission('read'),
  tags,
  summary: 'Conditions (clearances) of the watched permits; `cleared` is read from the portal status ("Cleared", "Met")',
  request: {
    query: z.object({
      ...PageQuery,
      status: z.enum(['cleared', 'not_cleared']).optional(),
      permit_number: z.string().min(1).max(100).optional(),
    }),
  },
  responses: {
    200: meteredResponse(
      z
        .object({ conditions: z.array(Condition.extend({ ...Origin, cleared: z.boolean() })), next_cursor: z.string().nullable() })
        .openapi('PortfolioConditions'),
      'Conditions',
    ),
    400: errorResponses[400],
    ...authErrorResponses,
    429: errorResponses[429],
  },
});

/** A contacts or conditions cursor as sent back, refused when it is not one this API gave. */
function itemCursor(text: string | undefined): ItemCursor | undefined {
  if (text === undefined) return undefined;
  const cursor = decodeItemCursor(text);
  if (!cursor) throw new ApiError(400, 'invalid_request', 'cursor: not a cursor this API gave');
  return cursor;
}

/** The caller's watched permits with their current status, one page (GET /permits, MCP `list_watched_permits`); one credit. */
export async function watchedPermits(
  c: Context<AppEnv>,
  query: z.infer<typeof WatchedPermitsQuery>,
): Promise<z.infer<typeof WatchedPermits>> {
  const keyId = watchingKeyId(c);
  const { limit, cursor, status_phase, jurisdiction } = query;
  if (cursor !== undefined && !WATCH_ID_PATTERN.test(cursor))
    throw new ApiError(400, 'invalid_request', 'cursor: not a cursor this API gave');
  await chargeOne(c);
  const rows = await listWatchedPermits(c.get('plane').db, keyId, { status_phase, jurisdiction }, cursor ?? '', limit);
  const permits = rows.map(({ address_line, last_checked_at, ...r }) => ({
    ...r,
    address: address_line,
    last_synced_at: last_checked_at,
  }));
  return { permits, next_cursor: nextCursor(rows, limit, (r) => r.id) };
}

/** Plotwise's portfolio reads over the caller's watchlist: /permits, /contacts, /conditions. */
export function portfolioRoutes() {
  const app = createRouter();

  app.openapi(permitsRoute, async (c) => c.json(await watchedPermits(c, c.req.valid('query')), 200));

  app.openapi(contactsRoute, async (c) => {
    const keyId = watchingKeyId(c);
    const { limit, cursor, role, permit_number } = c.req.valid('query');
    const after = itemCursor(cursor);
    await chargeOne(c);
    const items = await listContacts<Contact>(c.get('plane').db, keyId, { role, permit_number }, after, limit);
    const contacts = items.map((i) => ({ ...i.item, watch_id: i.watch_id, permit_number: i.permit_number, jurisdiction: i.jurisdiction }));
    return c.json({ contacts, next_cursor: nextCursor(items, limit, (i) => encodeItemCursor(i.cursor)) }, 200);
  });

  app.openapi(conditionsRoute, async (c) => {
    const keyId = watchingKeyId(c);
    const { limit, cursor, status, permit_number } = c.req.valid('query');
    const after = itemCursor(cursor);
    await chargeOne(c);
    const items = await listConditions<Condition>(c.get('plane').db, keyId, { status, permit_number }, after, limit);
    const conditions = items.map((i) => ({
      ...i.item,
      cleared: isConditionCleared(i.item.status),
      watch_id: i.watch_id,
      permit_number: i.permit_number,
      jurisdiction: i.jurisdiction,
    }));
    return c.json({ conditions, next_cursor: nextCursor(items, limit, (i) => encodeItemCursor(i.cursor)) }, 200);
  });

  return app;
}
