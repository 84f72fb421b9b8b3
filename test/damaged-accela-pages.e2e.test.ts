import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCELA_DAMAGED_PAGES, ACCELA_DAMAGED_PERMIT, ACCELA_DAMAGED_ROUTE_ID, ACCELA_UNKNOWN_PERMIT } from '../fixtures/accela/routes.ts';
import { systemClock, type Clock } from '../src/lib/clock.ts';
import { startHarness, type Harness } from './harness.ts';

// Issue 20, Accela: a CapDetail page that is not a whole detail page is never stored, and a
// record already held stays as it was, answered from the cache with its true age. The fixture
// portal runs the real flow (CapHome, search postback, 302 to CapDetail) for Osceola's A26-006408.

let offset = 0;
const clock: Clock = { now: () => Date.now() + offset, sleep: systemClock.sleep };
let h: Harness;
let key: string;
const stream = `permit/aca:osceola/${ACCELA_DAMAGED_PERMIT}`;
const status = (number: string, force = false) => `/api/v1/permits/${number}/status?jurisdiction=aca:osceola${force ? '&force_refresh=true' : ''}`;

beforeAll(async () => {
  h = await startHarness({ clock });
  key = await h.key('developer');
});
afterAll(() => h.close());

const events = async (s: string) =>
  (await h.server.app.live.db.all<{ version: number; data: string }>('SELECT version, data FROM events WHERE stream = ? ORDER BY version', [s])).map(
    (e) => ({ version: e.version, data: e.data }),
  );

describe('damaged ACA CapDetail pages through the real server', () => {
  it('a record never held, answered with a damaged page, is 503 jurisdiction_unavailable and stores nothing', async () => {
    h.portal.setVersion(ACCELA_DAMAGED_ROUTE_ID, 1);
    const res = await h.get(status(ACCELA_DAMAGED_PERMIT), key);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: 'jurisdiction_unavailable' });
    expect(await events(stream)).toEqual([]);
    h.portal.setVersion(ACCELA_DAMAGED_ROUTE_ID, 0);
  });

  it('leave the stored record untouched: each is answered from the cache with its true age', async () => {
    const first = await h.get(status(ACCELA_DAMAGED_PERMIT), key);
    expect(first.body).toMatchObject({ source: 'live', status_phase: 'applied', portal_status: 'Application Submitted' });
    const stored = await events(stream);
    const record = (await h.get(`/api/v1/permits/${ACCELA_DAMAGED_PERMIT}?jurisdiction=aca:osceola`, key)).body.record;
    expect(stored).toHaveLength(1);
    expect(record).toMatchObject({ permit_number: ACCELA_DAMAGED_PERMIT, valuation: 12500 });

    for (const [i, page] of ACCELA_DAMAGED_PAGES.entries()) {
      // force_refresh is capped per key per hour: a fresh key per page.
      const k = await h.key('developer');
      offset += 60_000;
      expect(h.portal.advance(ACCELA_DAMAGED_ROUTE_ID)).toBe(i + 1);
      const res = await h.get(status(ACCELA_DAMAGED_PERMIT, true), k);
      expect(res.status, page).toBe(200);
      expect(res.body, page).toMatchObject({
        source: 'cached',
        status_phase: 'applied',
        portal_status: 'Application Submitted',
        stale_reason: expect.stringMatching(/^portal bad_response: /),
        data_freshness: { cached: true },
      });
      expect(res.body.data_freshness.age_seconds, page).toBeGreaterThanOrEqual((i + 1) * 60);
      expect(res.body.data_freshness.age_seconds, page).toBeLessThan((i + 2) * 60);
      expect(await events(stream), page).toEqual(stored);
      expect((await h.get(`/api/v1/permits/${ACCELA_DAMAGED_PERMIT}?jurisdiction=aca:osceola`, k)).body.record, page).toEqual(record);
    }
  });

  it('only the search that finds no record is 404 permit_not_found', async () => {
    const res = await h.get(status(ACCELA_UNKNOWN_PERMIT), key);
    expect(res).toMatchObject({ status: 404, body: { error: 'permit_not_found' } });
  });
});
