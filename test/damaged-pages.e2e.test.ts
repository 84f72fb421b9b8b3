import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCELA_DAMAGED_PAGES, ACCELA_DAMAGED_PERMIT, ACCELA_DAMAGED_ROUTE_ID, ACCELA_UNKNOWN_PERMIT } from '../fixtures/accela/routes.ts';
import { LADBS_DAMAGED_PAGES, LADBS_DAMAGED_PERMIT, LADBS_NOT_A_DETAIL_PAGE_PERMIT } from '../fixtures/ladbs/routes.ts';
import { systemClock, type Clock } from '../src/lib/clock.ts';
import { ladbsRouteId, startHarness, type Harness } from './harness.ts';

// Issue 20: a page that is not a whole detail page is never stored, and a permit already held
// never turns into a 404 because the portal is down or answers with something else.

let offset = 0;
const clock: Clock = { now: () => Date.now() + offset, sleep: systemClock.sleep };
let h: Harness;
let key: string;

beforeAll(async () => {
  h = await startHarness({ clock });
  key = await h.key('developer');
});
afterAll(() => h.close());

const events = async (s: string) =>
  (await h.server.app.live.db.all<{ version: number; data: string }>('SELECT version, data FROM events WHERE stream = ? ORDER BY version', [s])).map(
    (e) => ({ version: e.version, data: e.data }),
  );

/**
 * With the permit stored once, serves each damaged page in turn (advancing its fixture route) a
 * minute apart: each force_refresh answers from the cache, with its true age and why, and the
 * stored events and record stay byte-identical.
 */
async function expectEachAnsweredFromCache(permit: {
  stream: string;
  statusPath: string;
  recordPath: string;
  routeId: string;
  pages: readonly string[];
  cached: Record<string, unknown>;
}) {
  const stored = await events(permit.stream);
  const record = (await h.get(permit.recordPath, key)).body.record;
  expect(stored).toHaveLength(1);
  for (const [i, page] of permit.pages.entries()) {
    // force_refresh is capped per key per hour: a fresh key per page.
    const k = await h.key('developer');
    offset += 60_000;
    expect(h.portal.advance(permit.routeId)).toBe(i + 1);
    const res = await h.get(`${permit.statusPath}${permit.statusPath.includes('?') ? '&' : '?'}force_refresh=true`, k);
    expect(res.status, page).toBe(200);
    expect(res.body, page).toMatchObject({
      ...permit.cached,
      source: 'cached',
      stale_reason: expect.stringMatching(/^portal bad_response: /),
      data_freshness: { cached: true },
    });
    // Its true age: the clock moved a minute per page, plus the real seconds the test took.
    expect(res.body.data_freshness.age_seconds, page).toBeGreaterThanOrEqual((i + 1) * 60);
    expect(res.body.data_freshness.age_seconds, page).toBeLessThan((i + 2) * 60);
    expect(await events(permit.stream), page).toEqual(stored);
    expect((await h.get(permit.recordPath, k)).body.record, page).toEqual(record);
  }
}

describe('damaged PCIS pages through the real server', () => {
  const stream = `permit/ladbs/${LADBS_DAMAGED_PERMIT}`;

  it('leave the stored permit untouched: each is answered from the cache with its true age and why', async () => {
    const first = await h.get(`/api/v1/permits/${LADBS_DAMAGED_PERMIT}/status`, key);
    expect(first.body).toMatchObject({ source: 'live', status_phase: 'closed', portal_status: 'Permit Finaled on 8/8/2018' });
    await expectEachAnsweredFromCache({
      stream,
      statusPath: `/api/v1/permits/${LADBS_DAMAGED_PERMIT}/status`,
      recordPath: `/api/v1/permits/${LADBS_DAMAGED_PERMIT}`,
      routeId: ladbsRouteId(LADBS_DAMAGED_PERMIT),
      pages: LADBS_DAMAGED_PAGES,
      cached: { status_phase: 'closed', portal_status: 'Permit Finaled on 8/8/2018' },
    });
  });

  it('a permit already held is not a 404 when the portal then says it does not exist', async () => {
    const k = await h.key('developer');
    offset += 60_000;
    h.portal.advance(ladbsRouteId(LADBS_DAMAGED_PERMIT));
    const res = await h.get(`/api/v1/permits/${LADBS_DAMAGED_PERMIT}/status?force_refresh=true`, k);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ source: 'cached', status_phase: 'closed', stale_reason: 'portal reports no such permit' });
    expect(await events(stream)).toHaveLength(1);
  });

  it('a permit never held, answered with a page that is not a detail page, is 503 jurisdiction_unavailable and stores nothing', async () => {
    const res = await h.get(`/api/v1/permits/${LADBS_NOT_A_DETAIL_PAGE_PERMIT}/status`, key);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: 'jurisdiction_unavailable' });
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await events(`permit/ladbs/${LADBS_NOT_A_DETAIL_PAGE_PERMIT}`)).toEqual([]);
  });

  it('a permit the portal does not know is 404 permit_not_found', async () => {
    const res = await h.get('/api/v1/permits/99999-10000-00001/status', key);
    expect(res).toMatchObject({ status: 404, body: { error: 'permit_not_found' } });
  });
});

describe('damaged ACA CapDetail pages through the real server', () => {
  // The fixture portal runs the real flow (CapHome, search postback, 302 to CapDetail) for Osceola's A26-006408.
  const stream = `permit/aca:osceola/${ACCELA_DAMAGED_PERMIT}`;
  const statusPath = (number: string) => `/api/v1/permits/${number}/status?jurisdiction=aca:osceola`;

  it('a record never held, answered with a damaged page, is 503 jurisdiction_unavailable and stores nothing', async () => {
    h.portal.setVersion(ACCELA_DAMAGED_ROUTE_ID, 1);
    const res = await h.get(statusPath(ACCELA_DAMAGED_PERMIT), key);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: 'jurisdiction_unavailable' });
    expect(await events(stream)).toEqual([]);
    h.portal.setVersion(ACCELA_DAMAGED_ROUTE_ID, 0);
  });

  it('leave the stored record untouched: each is answered from the cache with its true age and why', async () => {
    const first = await h.get(statusPath(ACCELA_DAMAGED_PERMIT), key);
    expect(first.body).toMatchObject({ source: 'live', status_phase: 'applied', portal_status: 'Application Submitted' });
    const recordPath = `/api/v1/permits/${ACCELA_DAMAGED_PERMIT}?jurisdiction=aca:osceola`;
    expect((await h.get(recordPath, key)).body.record).toMatchObject({ permit_number: ACCELA_DAMAGED_PERMIT, valuation: 12500 });
    await expectEachAnsweredFromCache({
      stream,
      statusPath: statusPath(ACCELA_DAMAGED_PERMIT),
      recordPath,
      routeId: ACCELA_DAMAGED_ROUTE_ID,
      pages: ACCELA_DAMAGED_PAGES,
      cached: { status_phase: 'applied', portal_status: 'Application Submitted' },
    });
  });

  it('only the search that finds no record is 404 permit_not_found', async () => {
    const res = await h.get(statusPath(ACCELA_UNKNOWN_PERMIT), key);
    expect(res).toMatchObject({ status: 404, body: { error: 'permit_not_found' } });
  });
});
