import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observeMany, OBSERVE_BATCH_MAX } from '../src/ingest/observe.ts';
import { permitStream } from '../src/events/permit-observed.ts';
import { permitId } from '../src/events/permit-id.ts';
import type { PermitRecord } from '../src/permits/record.ts';
import { generatedCity, generatedObservation } from '../src/testing/generated-city.ts';
import { startHarness, type Harness } from './harness.ts';

// Issue 18, item 2: GET /api/v1/permits/search through the real server, over a generated city
// written to the live database through the one write path (observeMany), each answer checked
// against the same filter worked out here in plain code over the generated records.
const CITY_SIZE = 3_000;

/** A generated permit, its id, and the order it was first written in: the sorts' tiebreak, the newest first. */
type Expected = PermitRecord & { id: string; seen: number };
const sortKey = { '-issued': (r: Expected) => r.dates.issued ?? '', '-filed': (r: Expected) => r.dates.applied ?? '' } as const;

function haversineM(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const a = Math.sin(rad(lat2 - lat1) / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lng2 - lng1) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(a));
}

describe('permit search over HTTP', () => {
  let h: Harness;
  let key: string;
  let city: Expected[];
  const at = (n: number) => new Date(Date.UTC(2026, 11, 1, 0, 0, n)).toISOString();

  async function write(records: readonly PermitRecord[], second: number) {
    const { db, projector } = h.server.app.live;
    for (let i = 0; i < records.length; i += OBSERVE_BATCH_MAX) {
      await observeMany(db, projector, records.slice(i, i + OBSERVE_BATCH_MAX).map((r) => generatedObservation(r, at(second))));
    }
  }

  beforeAll(async () => {
    h = await startHarness();
    // Enterprise: its 600 requests a minute cover every page this file asks for.
    key = await h.key('enterprise');
    const records = generatedCity(CITY_SIZE, { seed: 7 });
    await write(records, 0);
    city = records.map((r, seen) => ({ ...r, id: permitId(permitStream(r.jurisdiction, r.permit_number)), seen }));
  }, 120_000);
  afterAll(() => h.close());

  /** Every page of a search, following next_cursor. */
  async function allPages(query: string, limit = 100): Promise<{ permit_number: string }[]> {
    const out: { permit_number: string }[] = [];
    let cursor: string | null = null;
    do {
      const res = await h.get(`/api/v1/permits/search?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, key);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.permits.length).toBeLessThanOrEqual(limit);
      out.push(...res.body.permits);
      cursor = res.body.next_cursor;
    } while (cursor);
    return out;
  }

  const expected = (keep: (r: Expected) => boolean, sort: keyof typeof sortKey = '-issued') =>
    city
      .filter(keep)
      .sort((a, b) => {
        const ka = sortKey[sort](a);
        const kb = sortKey[sort](b);
        return ka !== kb ? (ka < kb ? 1 : -1) : b.seen - a.seen;
      })
      .map((r) => r.permit_number);

  const numbers = (rows: { permit_number: string }[]) => rows.map((r) => r.permit_number);

  it.each([
    ['no filter', '', () => true],
    ['category', 'category=solar', (r: Expected) => r.category === 'solar'],
    ['status_phase', 'status_phase=issued', (r: Expected) => r.status_phase === 'issued'],
    ['city, any case, and state', 'city=SAN%20FRANCISCO&state=ca', () => true],
    ['a city it does not hold', 'city=Oakland', () => false],
    ['zip_code', 'zip_code=94110', (r: Expected) => r.address.zip === '94110'],
    ['jurisdiction', 'jurisdiction=socrata:sf', () => true],
    ['issued window', 'issued_after=2023-01-01&issued_before=2023-06-30', (r: Expected) => r.dates.issued !== null && r.dates.issued >= '2023-01-01' && r.dates.issued <= '2023-06-30'],
    ['filed before', 'filed_before=2020-06-30', (r: Expected) => r.dates.applied !== null && r.dates.applied <= '2020-06-30'],
    ['value range', 'min_value=250000&max_value=300000', (r: Expected) => r.valuation !== null && r.valuation >= 250_000 && r.valuation <= 300_000],
    ['q, all words, the last a prefix', 'q=solar%20pan', (r: Expected) => /\bsolar\b/.test(r.work_description!) && /\bpan/.test(r.work_description!)],
    ['q over the address', 'q=valencia', (r: Expected) => r.address.street!.includes('Valencia')],
    // Every address holds the city: more matches than FTS_SORT_MAX, so the page walks the sort's index.
    ['q matching every permit, with a category', 'q=francisco&category=solar', (r: Expected) => r.category === 'solar'],
    [
      'near and radius_m',
      'near=37.76,-122.44&radius_m=1500',
      (r: Expected) => r.latitude !== null && haversineM(37.76, -122.44, r.latitude, r.longitude!) <= 1500,
    ],
    [
      'several at once',
      'category=alteration&min_value=100000&q=kitchen',
      (r: Expected) => r.category === 'alteration' && r.valuation !== null && r.valuation >= 100_000 && /\bkitchen/.test(r.work_description!),
    ],
  ])('filters by %s, newest issue first, every page', async (_, query, keep) => {
    const want = expected(keep);
    const got = numbers(await allPages(query));
    expect(got).toEqual(want);
  });

  it('sorts by filing date, and by last change (the latest observation first)', async () => {
    expect(numbers(await allPages('sort=-filed&category=hvac', 37))).toEqual(expected((r) => r.category === 'hvac', '-filed'));
    const changed = city.filter((r) => r.category === 'roofing').slice(0, 3);
    await write(changed.map((r) => ({ ...r, status: 'changed' })), 30);
    const latest = numbers(await allPages('sort=-updated&category=roofing')).slice(0, 3);
    expect(latest.sort()).toEqual(changed.map((r) => r.permit_number).sort());
  });

  it('gives the status fields plus id, value, dates and coordinates', async () => {
    const target = city.find((r) => r.latitude !== null && r.dates.issued !== null)!;
    const res = await h.get(`/api/v1/permits/search?q=${encodeURIComponent(target.work_description!)}&zip_code=${target.address.zip}&limit=100`, key);
    const found = res.body.permits.find((p: { permit_number: string }) => p.permit_number === target.permit_number);
    expect(found).toMatchObject({
      id: target.id,
      permit_number: target.permit_number,
      jurisdiction: 'socrata:sf',
      jurisdiction_display: expect.stringContaining('San Francisco'),
      status_phase: target.status_phase,
      category: target.category,
      source: 'cached',
      estimated_value: target.valuation,
      date_filed: target.dates.applied,
      date_issued: target.dates.issued,
      latitude: target.latitude,
      longitude: target.longitude,
      data_freshness: { cached: true },
    });
    expect(res.headers.get('x-ratelimit-remaining')).not.toBeNull();
  });

  it('pages without repeating or skipping a row while permits are being added', async () => {
    const before = new Set(numbers(await allPages('category=demolition')));
    const seen: string[] = [];
    let cursor: string | null = null;
    let added = 0;
    do {
      const res = await h.get(`/api/v1/permits/search?category=demolition&limit=20${cursor ? `&cursor=${cursor}` : ''}`, key);
      seen.push(...numbers(res.body.permits));
      cursor = res.body.next_cursor;
      // Between pages, new demolition permits land all over the sort order.
      await write(generatedCity(40, { seed: 100 + added, start: 900_000 + added * 40 }).map((r) => ({ ...r, category: 'demolition' as const })), 40);
      added++;
    } while (cursor);
    expect(added).toBeGreaterThan(3);
    expect(new Set(seen).size).toBe(seen.length);
    for (const n of before) expect(seen).toContain(n);
  });

  it.each([
    ['a state that is not two letters', 'state=Calif', 'state'],
    ['near without radius_m', 'near=37.7,-122.4', 'near'],
    ['a radius past the limit', 'near=37.7,-122.4&radius_m=100001', 'radius_m'],
    ['near out of range', 'near=95,-122.4&radius_m=10', 'near'],
    ['an unknown category', 'category=pools', 'category'],
    ['a date that is not one', 'issued_after=2026-13', 'issued_after'],
    ['a month that does not exist', 'filed_after=2020-13-01', 'filed_after'],
    ['a day that does not exist', 'filed_before=2023-02-29', 'filed_before'],
    ['a negative value', 'min_value=-1', 'min_value'],
    ['a q with no word', 'q=%22%2A%22', 'q'],
    ['a limit over 100', 'limit=101', 'limit'],
    ['an unknown sort', 'sort=issued', 'sort'],
    ['a cursor it did not give', 'cursor=abc', 'cursor'],
  ])('answers 400 invalid_request for %s', async (_, query, field) => {
    const res = await h.get(`/api/v1/permits/search?${query}`, key);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_request', message: expect.stringContaining(field) });
  });

  it('takes a leap day as a date bound', async () => {
    const res = await h.get('/api/v1/permits/search?issued_before=2024-02-29', key);
    expect(res.status).toBe(200);
  });

  it('refuses a cursor made for another sort', async () => {
    const first = await h.get('/api/v1/permits/search?limit=1', key);
    const res = await h.get(`/api/v1/permits/search?sort=-filed&cursor=${first.body.next_cursor}`, key);
    expect(res).toMatchObject({ status: 400, body: { error: 'invalid_request', message: expect.stringContaining('cursor') } });
  });

  it('is the search route, not a permit numbered "search" (route order)', async () => {
    const res = await h.get('/api/v1/permits/search?limit=1', key);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['next_cursor', 'permits']);
  });

  it("serves a sandbox key and an anonymous caller the demo plane's permits, never the live ones", async () => {
    const sandbox = await h.key('free', { sandbox: true });
    for (const caller of [sandbox, undefined]) {
      const res = await h.get('/api/v1/permits/search?jurisdiction=socrata:sf&limit=100', caller);
      expect(res.status).toBe(200);
      expect(numbers(res.body.permits).filter((n) => n.startsWith('G'))).toEqual([]);
    }
  });
});
