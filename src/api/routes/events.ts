import { createRoute, z } from '@hono/zod-openapi';
import { WEBHOOK_EVENTS, WebhookEvent } from '../../webhooks/events.ts';
import { payloadNames } from '../../webhooks/payloads.ts';
import { readPullFeed } from '../../webhooks/pull-feed.ts';
import { ApiError } from '../errors.ts';
import { permission } from '../require-permission.ts';
import { createRouter } from '../router.ts';
import { authErrorResponses, errorResponses, meteredResponse } from '../schemas.ts';
import { NEAR, point, SEARCH_RADIUS_MAX_M } from './search.ts';
import { Filters, JURISDICTION_FILTER_MAX } from './webhooks.ts';
import { chargeOne } from './watchlist.ts';

/** Payloads per page: the search's page size. */
export const EVENTS_PAGE_MAX = 100;
const EVENTS_PAGE_DEFAULT = 50;

/** A comma-separated list in a query string, each item checked by `item`. */
const commaList = <T extends z.ZodType<unknown, string>>(item: T, max: number) =>
  z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim()))
    .pipe(z.array(item).min(1).max(max));

const EventsQuery = z.object({
  after: z
    .string()
    .regex(/^\d{1,15}$/, 'expected a next_cursor this API gave')
    .optional()
    .openapi({ description: "next_cursor of the previous page; without it the feed starts at the log's beginning" }),
  limit: z.coerce.number().int().min(1).max(EVENTS_PAGE_MAX).default(EVENTS_PAGE_DEFAULT),
  event_types: commaList(WebhookEvent, WEBHOOK_EVENTS.length)
    .optional()
    .openapi({ type: 'string', description: 'Comma-separated webhook event names; all of them when absent', example: 'permit.created,status_change' }),
  jurisdiction: commaList(z.string().min(1).max(100), JURISDICTION_FILTER_MAX)
    .optional()
    .openapi({ type: 'string', description: 'Comma-separated jurisdiction slugs', example: 'socrata:sf' }),
  city: Filters.city.unwrap().optional(),
  state: Filters.state.unwrap().optional(),
  category: Filters.category.unwrap().optional(),
  zip_code: Filters.zip_code.unwrap().optional(),
  near: z.string().regex(NEAR, 'expected lat,lng in degrees').optional().openapi({ description: 'Only permits within radius_m of this point' }),
  radius_m: z.coerce.number().positive().max(SEARCH_RADIUS_MAX_M).optional(),
}).refine((q) => (q.near === undefined) === (q.radius_m === undefined), { message: 'near and radius_m go together', path: ['near'] });

const FeedEntry = z
  .object({
    id: z.string().openapi({ description: '<position>-<n>: stable across polls, for deduplication' }),
    position: z.number().int().openapi({ description: 'The log position of the change' }),
    event: z.enum(WEBHOOK_EVENTS),
    payload: z.record(z.string(), z.unknown()).openapi({ description: "The webhook's payload for this event, without delivery_id and webhook_id" }),
  })
  .openapi('FeedEntry');

const eventsRoute = createRoute({
  method: 'get',
  path: '/events',
  middleware: permission('read'),
  tags: ['Webhooks'],
  summary:
    'The change stream for polling instead of receiving webhooks: the payloads a webhook of this key with these filters would get, in log order',
  request: { query: EventsQuery },
  responses: {
    200: meteredResponse(
      z
        .object({
          events: z.array(FeedEntry),
          next_cursor: z.string().openapi({ description: 'Pass as `after` for the next page (the last log position this page covered)' }),
          has_more: z.boolean().openapi({ description: 'More of the log lies past next_cursor: poll again now rather than later' }),
        })
        .openapi('EventFeed'),
      'A page of the feed (may be empty with has_more true: the page covered log events this key may not see)',
    ),
    400: errorResponses[400],
    ...authErrorResponses,
    429: errorResponses[429],
  },
});

/** GET /events: the pull feed over the caller's plane, scoped as its webhooks are (webhooks/pull-feed.ts). */
export function eventRoutes() {
  const app = createRouter();

  app.openapi(eventsRoute, async (c) => {
    const caller = c.get('caller');
    if (caller.kind !== 'key') throw new ApiError(401, 'invalid_api_key', 'the event feed is per API key: send X-API-Key');
    const q = c.req.valid('query');
    await chargeOne(c);
    const plane = c.get('plane');
    const page = await readPullFeed(plane.db, {
      keyId: caller.key.id,
      after: q.after === undefined ? 0 : Number(q.after),
      limit: q.limit,
      filters: {
        events: q.event_types ?? WEBHOOK_EVENTS,
        jurisdiction_filter: q.jurisdiction ?? null,
        city: q.city ?? null,
        state: q.state ?? null,
        category: q.category ?? null,
        zip_code: q.zip_code ?? null,
        near: q.near === undefined ? null : point(q.near, q.radius_m!),
      },
      names: payloadNames(plane.catalog),
    });
    return c.json({ events: page.items, next_cursor: String(page.position), has_more: page.has_more }, 200);
  });

  return app;
}
