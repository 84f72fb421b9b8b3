import { createRoute, z } from '@hono/zod-openapi';
import type { Clock } from '../../lib/clock.ts';
import { permitId } from '../../events/permit-id.ts';
import { CATEGORIES, STATUS_PHASES } from '../../permits/record.ts';
import { SORT_KEYS } from '../../projections/search.ts';
import { queryWords, searchPermits, type SearchAfter, type SearchRow, type SearchSort } from '../../projections/search-query.ts';
import type { Catalog } from '../../jurisdictions/catalog.ts';
import { ApiError } from '../errors.ts';
import { refreshAvailable } from '../lookup-request.ts';
import { permission } from '../require-permission.ts';
import { createRouter } from '../router.ts';
import { authErrorResponses, errorResponses, meteredResponse, PermitStatus } from '../schemas.ts';
import { statusBody } from './permits.ts';
import { chargeOne, nextCursor } from './watchlist.ts';

/** Results per page: PermitStack pages at 100. */
export const SEARCH_PAGE_MAX = 100;
const SEARCH_PAGE_DEFAULT = 25;
/** The widest `near` circle: 100 km covers any metro area, and a wider box is most of a state's rows. */
export const SEARCH_RADIUS_MAX_M = 100_000;
/** A date bound: YYYY-MM-DD naming a real day (zod's ISO date), so 2020-13-45 is a 400, never a string bound. */
const QueryDate = z.iso.date();
/** Words of `q` matched at most: each is one more FTS term to intersect, and 10 is a long description search. */
export const SEARCH_WORDS_MAX = 10;

const SORTS = Object.keys(SORT_KEYS) as [SearchSort, ...SearchSort[]];
/** `near=lat,lng` as search and the event feed take it. */
export const NEAR = /^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$/;

const SearchQuery = z
  .object({
    city: z.string().trim().min(1).max(100).optional().openapi({ description: 'City, any case', example: 'San Francisco' }),
    state: z.string().regex(/^[A-Za-z]{2}$/, 'expected a two-letter state code').optional().openapi({ example: 'CA' }),
    zip_code: z.string().regex(/^\d{5}(?:-\d{4})?$/, 'expected a 5-digit ZIP code').optional().openapi({ example: '94104' }),
    category: z.enum(CATEGORIES).optional(),
    status_phase: z.enum(STATUS_PHASES).optional(),
    jurisdiction: z.string().min(1).max(100).optional().openapi({ example: 'socrata:sf' }),
    filed_after: QueryDate.optional().openapi({ description: 'Filed on or after this date' }),
    filed_before: QueryDate.optional().openapi({ description: 'Filed on or before this date' }),
    issued_after: QueryDate.optional().openapi({ description: 'Issued on or after this date' }),
    issued_before: QueryDate.optional().openapi({ description: 'Issued on or before this date' }),
    min_value: z.coerce.number().nonnegative().optional().openapi({ description: 'Estimated value at least this (USD)' }),
    max_value: z.coerce.number().nonnegative().optional().openapi({ description: 'Estimated value at most this (USD)' }),
    q: z
      .string()
      .max(200)
      .optional()
      .openapi({ description: 'Words that must all appear in the description or address; the last may be the start of a word' }),
    near: z
      .string()
      .regex(NEAR, 'expected lat,lng in degrees')
      .optional()
      .openapi({ description: 'A point, lat,lng: only permits with coordinates within radius_m of it', example: '37.7946,-122.3999' }),
    radius_m: z.coerce.number().positive().max(SEARCH_RADIUS_MAX_M).optional().openapi({ description: 'Metres from `near` (required with it)' }),
    sort: z.enum(SORTS).default('-issued').openapi({ description: 'Newest first by issue date, filing date or last change; unknown dates last' }),
    limit: z.coerce.number().int().min(1).max(SEARCH_PAGE_MAX).default(SEARCH_PAGE_DEFAULT),
    cursor: z.string().max(500).optional().openapi({ description: 'next_cursor of the previous page, with the same filters and sort' }),
  })
  .refine((q) => (q.near === undefined) === (q.radius_m === undefined), { message: 'near and radius_m go together', path: ['near'] });

const SearchResult = PermitStatus.extend({
  id: z.string().openapi({ description: 'Stable id of the permit (a UUID derived from its jurisdiction and number)' }),
  estimated_value: z.number().nullable(),
  date_filed: z.string().nullable(),
  date_issued: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
}).openapi('SearchResult');

const searchRoute = createRoute({
  method: 'get',
  path: '/permits/search',
  middleware: permission('read'),
  tags: ['Permits'],
  summary: 'Search the permits this service holds (PermitStack: GET /v1/permits/search), newest first, cursor-paged',
  request: { query: SearchQuery },
  responses: {
    200: meteredResponse(
      z.object({ permits: z.array(SearchResult), next_cursor: z.string().nullable() }).openapi('SearchResults'),
      'Permits, one page',
    ),
    400: errorResponses[400],
    ...authErrorResponses,
    429: errorResponses[429],
  },
});

/** Permit search over the search projection, of the caller's plane (sandbox keys: the demo data). */
export function searchRoutes(deps: { clock: Clock }) {
  const app = createRouter();

  app.openapi(searchRoute, async (c) => {
    const query = c.req.valid('query');
    const words = query.q === undefined ? undefined : queryWords(query.q);
    if (words !== undefined && words.length === 0) throw new ApiError(400, 'invalid_request', 'q: expected at least one word');
    if (words !== undefined && words.length > SEARCH_WORDS_MAX) {
      throw new ApiError(400, 'invalid_request', `q: at most ${SEARCH_WORDS_MAX} words`);
    }
    const near = query.near === undefined ? undefined : point(query.near, query.radius_m!);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, query.sort);
    await chargeOne(c);
    const plane = c.get('plane');
    const rows = await searchPermits(plane.db, { ...query, words, near }, query.sort, after, query.limit);
    const refresh = refreshAvailable(c);
    const now = deps.clock.now();
    const permits = rows.map((row) => resultBody(row, plane.catalog, refresh, now));
    return c.json({ permits, next_cursor: nextCursor(rows, query.limit, (r) => encodeCursor(query.sort, r)) }, 200);
  });

  return app;
}

/** A `near` and its `radius_m` as a point and radius; 400 when the point is off the globe. */
export function point(near: string, radius_m: number) {
  const [, lat, lng] = NEAR.exec(near)!.map(Number);
  if (Math.abs(lat!) > 90 || Math.abs(lng!) > 180) throw new ApiError(400, 'invalid_request', 'near: latitude or longitude out of range');
  return { lat: lat!, lng: lng!, radius_m };
}

/** The status body of a held permit (always `cached`: search reads only what is held) plus the search fields. */
function resultBody(row: SearchRow, catalog: Catalog, refresh: boolean, now: number): z.infer<typeof SearchResult> {
  const checked = row.last_checked_at ?? row.last_changed_at;
  const jurisdiction = { slug: row.jurisdiction, display_name: catalog.get(row.jurisdiction)?.display_name ?? row.jurisdiction };
  const age_seconds = Math.max(0, Math.floor((now - Date.parse(checked)) / 1000));
  return {
    id: permitId(row.stream),
    ...statusBody({ row, jurisdiction, source: 'cached', age_seconds }, refresh),
    estimated_value: row.estimated_value,
    date_filed: row.date_filed,
    date_issued: row.date_issued,
    latitude: row.latitude,
    longitude: row.longitude,
  };
}

// The cursor is the last row's sort key and doc (the tiebreak), and the sort it was made for, as
// base64url JSON: opaque to clients, and refused with another sort (its key would compare
// against the wrong column).
function encodeCursor(sort: SearchSort, row: SearchRow): string {
  return Buffer.from(JSON.stringify({ s: sort, k: row.sort_key, d: row.doc })).toString('base64url');
}

const CursorBody = z.object({ s: z.enum(SORTS), k: z.string(), d: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER) });

function decodeCursor(text: string, sort: SearchSort): SearchAfter {
  let parsed: ReturnType<typeof CursorBody.safeParse> | undefined;
  try {
    parsed = CursorBody.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) throw new ApiError(400, 'invalid_request', 'cursor: not a cursor this API gave');
  if (parsed.data.s !== sort) throw new ApiError(400, 'invalid_request', `cursor: made for sort ${parsed.data.s}, not ${sort}`);
  return { key: parsed.data.k, doc: parsed.data.d };
}
