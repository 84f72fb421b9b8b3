import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFixturePortal, type FixturePortal, type FixtureRoute } from '../../demo/fixture-portal.ts';
import {
  ARCGIS_DEMO_CHANGED_SINCE,
  ARCGIS_ROUTES,
  BELLINGHAM_ABSENT_PERMIT,
  BELLINGHAM_CHANGED_SINCE_WHERE,
  BELLINGHAM_FIRST_PAGE_ROWS,
} from '../../../fixtures/arcgis/routes.ts';
import { createHttpClient, type HttpClient } from '../../http/client.ts';
import type { AdapterContext, Observation } from '../adapter.ts';
import type { Jurisdiction } from '../jurisdiction.ts';
import { arcgis, pageSize } from './adapter.ts';
import { ARCGIS_FIXTURES, readArcgisFixture } from '../../testing/arcgis-fixtures.ts';
import { BELLINGHAM, ELOY, JACKSON_COUNTY } from './jurisdictions.ts';
import { layerSettings } from './layer-settings.ts';

const BELLINGHAM_QUERY = '/arcgis3/rest/services/Maps/Permits/MapServer/0/query';
const JACKSON_QUERY = '/server/rest/services/Property/Permits_Building/FeatureServer/1/query';
const FAST = { requests_per_second: 100, concurrency: 4 };
/** Short enough to keep the test fast; the client's own default is 20 s. */
const TEST_HEADERS_TIMEOUT_MS = 300;

const scratch = (name: string) => fileURLToPath(new URL(`../../../fixtures/arcgis/${name}`, import.meta.url));

/** A test-only answer beside the demo routes: the layer answering for the wrong permit. */
const TEST_ROUTES: FixtureRoute[] = [
  // Bellingham's BLD2024-0412 response served for another number: a layer ignoring the where clause.
  {
    path: BELLINGHAM_QUERY,
    query: { where: "PERMIT_NO = 'BLD2024-7777'" },
    versions: [scratch(ARCGIS_FIXTURES.bellinghamPermit)],
    contentType: 'application/json',
  },
];

async function collect(iterable: AsyncIterable<Observation>): Promise<Observation[]> {
  const out: Observation[] = [];
  for await (const o of iterable) out.push(o);
  return out;
}

describe('arcgis adapter against the fixture portal', () => {
  const logged: Array<Record<string, unknown>> = [];
  let portal: FixturePortal;
  let http: HttpClient;
  let log: AdapterContext['log'];

  const ctx = (jurisdiction: Jurisdiction): AdapterContext => ({
    jurisdiction: { ...jurisdiction, politeness: FAST },
    baseUrl: portal.url,
    http,
    log,
  });

  beforeAll(async () => {
    portal = await startFixturePortal({ routes: [...ARCGIS_ROUTES, ...TEST_ROUTES] });
    // No retries: each failure case answers after one attempt instead of after the back-off.
    http = createHttpClient({ retryDelaysMs: [], headersTimeoutMs: TEST_HEADERS_TIMEOUT_MS });
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logged.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    log = pino({ level: 'warn' }, sink);
  });

  beforeEach(() => portal.setMode({ kind: 'ok' }));

  afterAll(async () => {
    await http.close();
    await portal.close();
  });

  it('looks a permit up with one query at the real layer path', async () => {
    const before = portal.requests.length;
    const result = await arcgis.lookup('BLD2024-0412', ctx(BELLINGHAM));
    const sent = portal.requests.slice(before);
    expect(sent).toHaveLength(1);
    const url = new URL(sent[0]?.url ?? '', portal.url);
    expect(url.pathname).toBe(BELLINGHAM_QUERY);
    expect(url.searchParams.get('where')).toBe("PERMIT_NO = 'BLD2024-0412'");
    expect(url.searchParams.get('f')).toBe('json');
    expect(result.found && result.observation.record.dates.issued).toBe('2024-05-02');
    expect(result.found && result.observation.source_url).toBe(`${portal.url}${sent[0]?.url}`);
    expect(result.found && result.observation.fetch_ms).toBeGreaterThanOrEqual(0);
  });

  it('returns not_found for an empty feature set', async () => {
    const result = await arcgis.lookup(BELLINGHAM_ABSENT_PERMIT, ctx(BELLINGHAM));
    expect(result).toMatchObject({ found: false, reason: 'not_found' });
    expect(!result.found && new URL(result.source_url).searchParams.get('where')).toBe(`PERMIT_NO = '${BELLINGHAM_ABSENT_PERMIT}'`);
  });

  it('takes the first of several rows for one permit (Jackson County publishes one per taxlot)', async () => {
    const result = await arcgis.lookup('439-BLD2024-00871', ctx(JACKSON_COUNTY));
    expect(result.found && result.observation.record.extra.map_taxlot).toBe('37-2W-23DA-2200');
    expect(result.found && result.observation.record.status_phase).toBe('issued');
  });

  it('queries an integer permit field with a number', async () => {
    const result = await arcgis.lookup('24117', ctx(ELOY));
    expect(result.found && result.observation.record.permit_number).toBe('24117');
    expect(portal.requests.at(-1)?.url).toContain('where=PermitNo+%3D+24117');
  });

  it('returns not_found without a request for a number an integer field cannot hold', async () => {
    const before = portal.requests.length;
    expect(await arcgis.lookup('24117A', ctx(ELOY))).toMatchObject({ found: false, reason: 'not_found' });
    expect(portal.requests.length).toBe(before);
  });

  it('throws bad_response when the layer answers with another permit', async () => {
    await expect(arcgis.lookup('BLD2024-7777', ctx(BELLINGHAM))).rejects.toMatchObject({ name: 'AdapterError', reason: 'bad_response' });
  });

  it('throws bad_response on an HTTP 404 (no such query: a moved service)', async () => {
    await expect(arcgis.lookup('BLD2024-0001', ctx(BELLINGHAM))).rejects.toMatchObject({ reason: 'bad_response' });
  });

  it('throws unavailable with Retry-After on a 503', async () => {
    portal.setMode({ kind: 'fail', status: 503, retryAfter: '90' }, BELLINGHAM_QUERY);
    await expect(arcgis.lookup('BLD2024-0412', ctx(BELLINGHAM))).rejects.toMatchObject({ reason: 'unavailable', retryAfterSeconds: 90 });
  });

  it('throws timeout when the layer sends no headers in time', async () => {
    portal.setMode({ kind: 'hang' }, JACKSON_QUERY);
    await expect(arcgis.lookup('439-BLD2024-00871', ctx(JACKSON_COUNTY))).rejects.toMatchObject({ reason: 'timeout' });
  });

  it('pages changedSince with resultOffset while exceededTransferLimit', async () => {
    const before = portal.requests.length;
    const observations = await collect(arcgis.changedSince!(new Date(ARCGIS_DEMO_CHANGED_SINCE), ctx(BELLINGHAM)));
    expect(observations.map((o) => o.record.permit_number)).toEqual([
      'MEC2024-0188',
      'BLD2024-0540',
      'ELE2024-0977',
      'BLD2024-0611',
      'DEM2024-0035',
    ]);
    const pages = portal.requests.slice(before).map((r) => new URL(r.url, portal.url).searchParams);
    expect(pages.map((p) => p.get('where'))).toEqual([BELLINGHAM_CHANGED_SINCE_WHERE, BELLINGHAM_CHANGED_SINCE_WHERE]);
    expect(pages.map((p) => p.get('resultOffset'))).toEqual(['0', String(BELLINGHAM_FIRST_PAGE_ROWS)]);
    expect(pages.map((p) => p.get('resultRecordCount'))).toEqual(['500', '500']);
    expect(pages.map((p) => p.get('orderByFields'))).toEqual(['OBJECTID ASC', 'OBJECTID ASC']);
    expect(observations[3]?.source_url).toContain(`resultOffset=${BELLINGHAM_FIRST_PAGE_ROWS}`);
  });

  it('stops changedSince with AdapterError when a page fails', async () => {
    portal.setMode({ kind: 'fail', status: 500 }, BELLINGHAM_QUERY);
    await expect(collect(arcgis.changedSince!(new Date(ARCGIS_DEMO_CHANGED_SINCE), ctx(BELLINGHAM)))).rejects.toMatchObject({
      reason: 'unavailable',
    });
  });

  it('logs an unmapped status and still returns the record, phase unknown', async () => {
    const body = readArcgisFixture(ARCGIS_FIXTURES.jacksonCountyPermit).replaceAll('"PERMITSTAT": "Issued"', '"PERMITSTAT": "Under Appeal"');
    const fake: HttpClient = {
      fetch: async (req) => ({ ok: true, response: { status: 200, headers: {}, body, url: req.url } }),
      close: async () => {},
    };
    const result = await arcgis.lookup('439-BLD2024-00871', { ...ctx(JACKSON_COUNTY), http: fake });
    expect(result.found && result.observation.record.status_phase).toBe('unknown');
    expect(logged).toContainEqual(expect.objectContaining({ level: 40, status: 'Under Appeal', jurisdiction: 'arcgis:jackson-county' }));
  });

  it('logs a coded value it could not decode', async () => {
    const body = readArcgisFixture(ARCGIS_FIXTURES.jacksonCountyPermit).replaceAll('"STATUSCAT": "Approved"', '"STATUSCAT": 2');
    const fake: HttpClient = {
      fetch: async (req) => ({ ok: true, response: { status: 200, headers: {}, body, url: req.url } }),
      close: async () => {},
    };
    const layer = { ...JACKSON_COUNTY, settings: { ...JACKSON_COUNTY.settings, coded_fields: ['STATUSCAT'] } };
    const result = await arcgis.lookup('439-BLD2024-00871', { ...ctx(layer), http: fake });
    expect(result.found && result.observation.record.extra.undecoded_fields).toBe('STATUSCAT');
    expect(logged).toContainEqual(expect.objectContaining({ level: 40, undecoded_fields: 'STATUSCAT', jurisdiction: 'arcgis:jackson-county' }));
  });

  it.each([
    [400, 'bad_response'],
    [500, 'unavailable'],
  ] as const)('turns an error body with code %i and HTTP 200 into %s', async (code, reason) => {
    const body = JSON.stringify({ error: { code, message: 'Unable to complete operation.', details: [] } });
    const fake: HttpClient = {
      fetch: async (req) => ({ ok: true, response: { status: 200, headers: {}, body, url: req.url } }),
      close: async () => {},
    };
    await expect(arcgis.lookup('BLD2024-0412', { ...ctx(BELLINGHAM), http: fake })).rejects.toMatchObject({ reason });
  });
});

describe('arcgis adapter parse', () => {
  it('parses a saved response for the asked permit', () => {
    const result = arcgis.parse(readArcgisFixture(ARCGIS_FIXTURES.eloyPermit), { jurisdiction: ELOY, permitNumber: '24117' });
    expect(result.found && result.record.work_description).toBe('INSTALL 7.2 KW ROOF MOUNTED SOLAR PV SYSTEM');
  });

  it('parses the first feature without a permit number', () => {
    const result = arcgis.parse(readArcgisFixture(ARCGIS_FIXTURES.bellinghamPage2), { jurisdiction: BELLINGHAM });
    expect(result.found && result.record.permit_number).toBe('BLD2024-0611');
  });

  it('is not_found for an empty feature set, another permit, or a body that is not a query response', () => {
    expect(arcgis.parse(readArcgisFixture(ARCGIS_FIXTURES.bellinghamNotFound), { jurisdiction: BELLINGHAM }).found).toBe(false);
    expect(arcgis.parse(readArcgisFixture(ARCGIS_FIXTURES.eloyPermit), { jurisdiction: ELOY, permitNumber: '1' }).found).toBe(false);
    expect(arcgis.parse('<html></html>', { jurisdiction: ELOY }).found).toBe(false);
  });
});

describe('pageSize', () => {
  it('never asks for more than the layer MaxRecordCount', () => {
    expect(pageSize({ ...layerSettings(BELLINGHAM), max_record_count: 200 })).toBe(200);
    expect(pageSize(layerSettings(ELOY))).toBe(500);
  });
});
