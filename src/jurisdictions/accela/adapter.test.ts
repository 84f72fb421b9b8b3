import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFixturePortal, type FixturePortal, type FixtureRoute } from '../../demo/fixture-portal.ts';
import { ACCELA_ROUTES, ACCELA_UNKNOWN_PERMIT } from '../../../fixtures/accela/routes.ts';
import { createHttpClient, type HttpClient } from '../../http/client.ts';
import type { AdapterContext } from '../adapter.ts';
import { AdapterError } from '../adapter-error.ts';
import { accela, PERMIT_NUMBER_FIELD } from './adapter.ts';
import { ACCELA_FIXTURES, readAccelaFixture } from '../../testing/accela-fixtures.ts';
import { ACCELA_JURISDICTIONS } from './jurisdictions.ts';

const HOME = '/CitizenAccess/Cap/CapHome.aspx?module=Building&TabName=Building';
const DETAIL_00U45 =
  '/CitizenAccess/Cap/CapDetail.aspx?Module=Building&TabName=Building&capID1=REC26&capID2=00000&capID3=00U45&agencyCode=OSCEOLA&IsToShowInspection=';
const DETAIL_00U4X =
  '/CitizenAccess/Cap/CapDetail.aspx?Module=Building&TabName=Building&capID1=REC26&capID2=00000&capID3=00U4X&agencyCode=OSCEOLA&IsToShowInspection=';
/** Short enough to keep the test fast; the client's own default is 20 s. */
const TEST_HEADERS_TIMEOUT_MS = 300;

const osceola = ACCELA_JURISDICTIONS.find((j) => j.slug === 'aca:osceola')!;
const logged: Array<Record<string, unknown>> = [];
const log = pino(
  { level: 'warn' },
  new Writable({
    write(chunk: Buffer, _enc, done) {
      logged.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  }),
);

function context(baseUrl: string, http: HttpClient): AdapterContext {
  return { jurisdiction: { ...osceola, politeness: { requests_per_second: 100, concurrency: 4 } }, baseUrl, http, log };
}

/** The Osceola routes with the A26-006405 search answered by `answer` instead (for failure cases). */
function routesWith(answer: Partial<FixtureRoute>): FixtureRoute[] {
  return ACCELA_ROUTES.map((r) => (r.form?.[PERMIT_NUMBER_FIELD] === 'A26-006405' ? { ...r, ...answer } : r));
}

describe('accela lookup through the fixture portal (real ACA paths, postback round-trip)', () => {
  let portal: FixturePortal;
  let http: HttpClient;
  let ctx: AdapterContext;

  beforeAll(async () => {
    portal = await startFixturePortal({ routes: ACCELA_ROUTES });
    http = createHttpClient({ retryDelaysMs: [], headersTimeoutMs: TEST_HEADERS_TIMEOUT_MS });
    ctx = context(portal.url, http);
  });
  afterEach(() => portal.setMode({ kind: 'ok' }));
  afterAll(async () => {
    await http.close();
    await portal.close();
  });

  it('finds a record the search lists among others: CapHome → POST → list row → CapDetail', async () => {
    const before = portal.requests.length;
    const result = await accela.lookup('A26-006405', ctx);
    const [home, search, detail] = portal.requests.slice(before);
    expect(home).toEqual({ method: 'GET', url: HOME });
    expect(search?.method).toBe('POST');
    expect(search?.url).toBe(HOME);
    expect(search?.form).toMatchObject({
      __VIEWSTATE: 'placeholder-viewstate-osceola-caphome',
      __VIEWSTATEGENERATOR: 'A9414CD7',
      ACA_CS_FIELD: 'ce0ed83ca9f54fd0b342137d4880b0ca',
      __EVENTTARGET: 'ctl00$PlaceHolderMain$btnNewSearch',
      [PERMIT_NUMBER_FIELD]: 'A26-006405',
    });
    expect(detail).toEqual({ method: 'GET', url: DETAIL_00U45 });
    expect(result.found && result.observation.record.portal_status).toBe('Issued');
    expect(result.found && result.observation.source_url).toBe(`${portal.url}${DETAIL_00U45}`);
    expect(result.found && result.observation.fetch_ms).toBeGreaterThanOrEqual(0);
  });

  it('follows the 302 a single match gets to its CapDetail', async () => {
    const result = await accela.lookup('A26-006408', ctx);
    expect(portal.requests.at(-1)).toEqual({ method: 'GET', url: DETAIL_00U4X });
    expect(result.found && result.observation.record.permit_number).toBe('A26-006408');
    expect(result.found && result.observation.record.status_phase).toBe('applied');
  });

  it('returns not_found when the search returns no record', async () => {
    const result = await accela.lookup(ACCELA_UNKNOWN_PERMIT, ctx);
    expect(result).toEqual({ found: false, reason: 'not_found', source_url: `${portal.url}${HOME}` });
  });

  it('throws unavailable with Retry-After on a 503', async () => {
    portal.setMode({ kind: 'fail', status: 503, retryAfter: '120' });
    const err = await accela.lookup('A26-006405', ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterError);
    expect(err).toMatchObject({ reason: 'unavailable', retryAfterSeconds: 120 });
  });

  it('throws timeout when the portal sends no headers in time', async () => {
    portal.setMode({ kind: 'hang' });
    await expect(accela.lookup('A26-006405', ctx)).rejects.toMatchObject({ reason: 'timeout' });
  });
});

describe('accela lookup when the portal answers what we cannot use', () => {
  const portals: FixturePortal[] = [];
  let http: HttpClient;
  beforeAll(() => {
    http = createHttpClient({ retryDelaysMs: [] });
  });
  afterAll(async () => {
    await http.close();
    await Promise.all(portals.map((p) => p.close()));
  });
  async function lookupOn(routes: FixtureRoute[], number = 'A26-006405') {
    const portal = await startFixturePortal({ routes });
    portals.push(portal);
    return accela.lookup(number, context(portal.url, http));
  }

  it('bad_response when CapHome has no search form', async () => {
    const detailPage = ACCELA_ROUTES.find((r) => r.query?.['capID3'] === '00U45')!.versions;
    const routes = ACCELA_ROUTES.map((r) =>
      r.method === undefined && r.path.endsWith('CapHome.aspx') ? { ...r, versions: detailPage } : r,
    );
    await expect(lookupOn(routes)).rejects.toMatchObject({ reason: 'bad_response', message: 'CapHome page has no record search form' });
  });

  it('bad_response when the search redirects to an error page', async () => {
    const routes = routesWith({ status: 302, headers: { location: '/CitizenAccess/Error.aspx?ErrorId=abc' }, versions: [] });
    await expect(lookupOn(routes)).rejects.toMatchObject({ reason: 'bad_response' });
  });

  it('bad_response when ACA answers with another record', async () => {
    const routes = routesWith({ status: 302, headers: { location: DETAIL_00U4X }, versions: [] });
    await expect(lookupOn(routes)).rejects.toMatchObject({ reason: 'bad_response', message: 'ACA answered with record A26-006408' });
  });

  it('bad_response when the portal refuses the postback (HTTP 400)', async () => {
    const routes = routesWith({ requiredFormFields: ['__EVENTVALIDATION'] });
    await expect(lookupOn(routes)).rejects.toMatchObject({ reason: 'bad_response', message: 'search answered HTTP 400' });
  });

  it('logs an unmapped status and still returns the record, phase unknown', async () => {
    // A26-006405's real page with its Record Status edited (in a temp copy) to one the table does not list.
    const dir = mkdtempSync(join(tmpdir(), 'aca-'));
    const edited = join(dir, 'osceola-capdetail-A26-006405-status-edited.html');
    writeFileSync(edited, readAccelaFixture(ACCELA_FIXTURES.osceolaIssued).replace('lblRecordStatus">Issued<', 'lblRecordStatus">Teleported<'));
    const routes = ACCELA_ROUTES.map((r) => (r.query?.['capID3'] === '00U45' ? { ...r, versions: [edited] } : r));
    const result = await lookupOn(routes);
    expect(result.found && result.observation.record.status_phase).toBe('unknown');
    expect(logged).toContainEqual(expect.objectContaining({ level: 40, status: 'Teleported', permit_number: 'A26-006405' }));
  });
});

describe('accela parse', () => {
  it('parses a saved CapDetail like lookup does', () => {
    const result = accela.parse(readAccelaFixture(ACCELA_FIXTURES.hcflComplete), { jurisdiction: ACCELA_JURISDICTIONS[0]! });
    expect(result.found && result.record.permit_number).toBe('HC-BTR-26-0338191');
  });
});
