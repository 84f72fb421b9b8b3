import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LADBS_SCRIPTED_PERMIT } from '../fixtures/ladbs/routes.ts';
import { systemClock, type Clock } from '../src/lib/clock.ts';
import { ladbsRouteId, startHarness, type Harness } from './harness.ts';

// A real clock shifted by `offset`: moving past the 4-hour cache window without sleeping,
// while the HTTP client's politeness gate still waits in real time.
let offset = 0;
const clock: Clock = { now: () => Date.now() + offset, sleep: systemClock.sleep };

let h: Harness;
let key: string;
const FINALED = '16041-10000-23545';

beforeAll(async () => {
  h = await startHarness({ clock });
  key = await h.key('developer');
});
afterAll(() => h.close());

const eventCount = async (stream: string) =>
  (await h.server.app.live.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM events WHERE stream = ?', [stream]))!.n;
const portalHits = (number: string) => {
  const [a, b, c] = number.split('-');
  return h.portal.requests.filter((r) => r.url.includes(`id1=${a}&id2=${b}&id3=${c}`)).length;
};

describe('permit lookup through the real server', () => {
  it('is live on first lookup, cached on the second, and force_refresh refetches', async () => {
    const first = await h.get(`/api/v1/permits/${FINALED}/status`, key);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      permit_number: FINALED,
      jurisdiction: 'ladbs',
      jurisdiction_display: 'LADBS (City of Los Angeles)',
      portal_status: 'Permit Finaled on 8/8/2018',
      status_phase: 'closed',
      permit_type: 'Electrical',
      work_description: '200A UPGRADE.',
      source: 'live',
      data_freshness: { age_seconds: 0, cached: false, refresh_available: true },
    });
    expect(first.body.source_url).toBe(
      'https://www.ladbsservices2.lacity.org/OnlineServices/PermitReport/PcisPermitDetail?id1=16041&id2=10000&id3=23545',
    );
    expect(first.headers.get('x-demo-mode')).toBeNull();
    expect(portalHits(FINALED)).toBe(1);

    offset += 60_000;
    const second = await h.get(`/api/v1/permits/${FINALED}/status`, key);
    expect(second.body).toMatchObject({ source: 'cached', data_freshness: { cached: true, age_seconds: 60 } });
    expect(portalHits(FINALED)).toBe(1);

    const forced = await h.get(`/api/v1/permits/${FINALED}/status?force_refresh=true`, key);
    expect(forced.body).toMatchObject({ source: 'live', data_freshness: { age_seconds: 0 } });
    expect(portalHits(FINALED)).toBe(2);
  });

  it('refetches once the cache window (4 h) has passed, and an unchanged page appends nothing', async () => {
    const stream = `permit/ladbs/${FINALED}`;
    const before = await eventCount(stream);
    offset += 4 * 3600 * 1000 + 1000;
    const res = await h.get(`/api/v1/permits/${FINALED}/status`, key);
    expect(res.body.source).toBe('live');
    expect(await eventCount(stream)).toBe(before);
    expect(before).toBe(1);
  });

  it('records a scripted status change as one event and one sync_log timeline entry', async () => {
    const stream = `permit/ladbs/${LADBS_SCRIPTED_PERMIT}`;
    h.portal.setVersion(ladbsRouteId(LADBS_SCRIPTED_PERMIT), 0);
    const v1 = await h.get(`/api/v1/permits/${LADBS_SCRIPTED_PERMIT}/status`, key);
    expect(v1.body).toMatchObject({ portal_status: 'Quality Review Completed on 2/12/2026', status_phase: 'in_review', source: 'live' });

    h.portal.advance(ladbsRouteId(LADBS_SCRIPTED_PERMIT));
    const v2 = await h.get(`/api/v1/permits/${LADBS_SCRIPTED_PERMIT}/status?force_refresh=1`, key);
    expect(v2.body).toMatchObject({ portal_status: 'Issued on 3/10/2026', status_phase: 'issued', version: 2 });
    // Asking again with the same page changes nothing in the log.
    await h.get(`/api/v1/permits/${LADBS_SCRIPTED_PERMIT}/status?force_refresh=1`, key);
    expect(await eventCount(stream)).toBe(2);

    const history = await h.get(`/api/v1/permits/${LADBS_SCRIPTED_PERMIT}/history`, key);
    const syncLog = history.body.timeline.filter((e: { source: string }) => e.source === 'sync_log');
    expect(syncLog.map((e: { portal_status: string }) => e.portal_status)).toEqual([
      'Quality Review Completed on 2/12/2026',
      'Issued on 3/10/2026',
    ]);
    const portalEntries = history.body.timeline.filter((e: { source: string }) => e.source === 'portal');
    expect(portalEntries.at(-1)).toEqual({ status: 'Issued', portal_status: 'Issued', changed_at: '2026-03-10', source: 'portal' });
    expect(portalEntries.filter((e: { status: string }) => e.status === 'Submitted')).toHaveLength(1);

    h.portal.advance(ladbsRouteId(LADBS_SCRIPTED_PERMIT));
    const v3 = await h.get(`/api/v1/permits/${LADBS_SCRIPTED_PERMIT}/inspections?force_refresh=true`, key);
    expect(v3.body).toMatchObject({
      permit_number: LADBS_SCRIPTED_PERMIT,
      inspections: [{ type: 'Foundation', date: '2026-04-02', result: 'Approved', inspector: 'JOHNNY MIRANDA' }],
      pending: [],
      pass_rate: 1,
    });
    expect(await eventCount(stream)).toBe(3);
  });

  it('collapses concurrent lookups of one permit into one fetch and one event', async () => {
    // A fresh key: force_refresh is capped at 10 an hour per key, and earlier tests used some.
    key = await h.key('developer');
    const number = '26030-10000-01235';
    const results = await Promise.all(Array.from({ length: 8 }, () => h.get(`/api/v1/permits/${number}/status?force_refresh=true`, key)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(await eventCount(`permit/ladbs/${number}`)).toBe(1);
    expect(portalHits(number)).toBeLessThanOrEqual(2);
  });

  it('gives null pass_rate when nothing is completed and the full record on /permits/{n}', async () => {
    h.portal.setVersion(ladbsRouteId(LADBS_SCRIPTED_PERMIT), 0);
    const insp = await h.get(`/api/v1/permits/${LADBS_SCRIPTED_PERMIT}/inspections?force_refresh=true`, key);
    expect(insp.body).toMatchObject({ inspections: [], pass_rate: null });
    const full = await h.get(`/api/v1/permits/${FINALED}`, key);
    expect(full.body.record).toMatchObject({
      address: { street: '3030 S MIDVALE AVE', zip: '90034' },
      dates: { issued: '2016-07-06', finaled: '2018-08-08' },
    });
    expect(full.body.record.contacts).toContainEqual(expect.objectContaining({ role: 'Contractor', license: '917355', license_class: 'C10' }));
  });
});
