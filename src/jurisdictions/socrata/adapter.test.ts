import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixturePortal, type FixturePortal, type FixtureRoute } from '../../demo/fixture-portal.ts';
import {
  SOCRATA_DEMO_PERMITS,
  SOCRATA_FEED_PAGE_SIZE,
  SOCRATA_FEED_SINCE,
  SOCRATA_ROUTES,
  SOCRATA_UNKNOWN_CHICAGO_PERMIT,
} from '../../../fixtures/socrata/routes.ts';
import { createHttpClient, type HttpClient } from '../../http/client.ts';
import type { AdapterContext, Observation } from '../adapter.ts';
import { AdapterError } from '../adapter-error.ts';
import type { Jurisdiction } from '../jurisdiction.ts';
import { socrata } from './adapter.ts';
import { SOCRATA_FIXTURES, readSocrataFixture } from '../../testing/socrata-fixtures.ts';
import { SOCRATA_JURISDICTIONS } from './jurisdictions.ts';
import { LOOKUP_ROW_LIMIT } from './soql.ts';

/** Short enough to keep the test fast; the client's own default is 20 s. */
const TEST_HEADERS_TIMEOUT_MS = 300;
const FAST = { requests_per_second: 100, concurrency: 4 };
const JSON_TYPE = 'application/json; charset=utf-8';

/** Numbers the extra test routes answer: another permit's row, and a row with an unlisted status. */
const WRONG_ROW_NUMBER = '111111111';
const ODD_STATUS_NUMBER = '2009-999999 EP';

function jurisdiction(slug: string, settings: Record<string, unknown> = {}): Jurisdiction {
  const j = SOCRATA_JURISDICTIONS.find((x) => x.slug === slug);
  if (!j) throw new Error(`no jurisdiction ${slug}`);
  return { ...j, politeness: FAST, settings: { ...j.settings, ...settings } };
}

// Test-only routes beside the real ones: 100858762's real row served for another number (SODA
// answering with the wrong permit), and the real Austin row with its status edited in memory to
// one the table does not list, written to a temporary file.
function testRoutes(dir: string): FixtureRoute[] {
  const odd = join(dir, 'austin-odd-status.json');
  writeFileSync(
    odd,
    readSocrataFixture(SOCRATA_FIXTURES.austin).replace('"Final"', '"Under Construction"').replace('2009-074412 EP', ODD_STATUS_NUMBER),
  );
  const chicagoRow = fileURLToPath(new URL(`../../../fixtures/socrata/${SOCRATA_FIXTURES.chicago}`, import.meta.url));
  return [
    {
      path: '/resource/ydr8-5enu.json',
      query: { $where: `permit_='${WRONG_ROW_NUMBER}'` },
      versions: [chicagoRow],
      contentType: JSON_TYPE,
    },
    {
      path: '/resource/3syk-w9eu.json',
      query: { $where: `permit_number='${ODD_STATUS_NUMBER}'` },
      versions: [odd],
      contentType: JSON_TYPE,
    },
  ];
}

describe('socrata adapter against the fixture portal', () => {
  const logged: Array<Record<string, unknown>> = [];
  const dir = mkdtempSync(join(tmpdir(), 'socrata-adapter-'));
  let portal: FixturePortal;
  let http: HttpClient;
  let ctxFor: (slug: string, settings?: Record<string, unknown>) => AdapterContext;

  beforeAll(async () => {
    portal = await startFixturePortal({ routes: [...SOCRATA_ROUTES, ...testRoutes(dir)] });
    // No retries: each failure case answers after one attempt instead of after the back-off.
    http = createHttpClient({ retryDelaysMs: [], headersTimeoutMs: TEST_HEADERS_TIMEOUT_MS });
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logged.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const log = pino({ level: 'warn' }, sink);
    ctxFor = (slug, settings) => ({ jurisdiction: jurisdiction(slug, settings), baseUrl: portal.url, http, log });
  });

  afterAll(async () => {
    await http.close();
    await portal.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(SOCRATA_DEMO_PERMITS.map((p) => [p.jurisdiction, p.permit_number]))(
    'finds %s %s at the real resource path',
    async (slug, number) => {
      const result = await socrata.lookup(number, ctxFor(slug));
      expect(result.found && result.observation.record.permit_number).toBe(number);
      expect(result.found && result.observation.record.jurisdiction).toBe(slug);
      expect(result.found && result.observation.fetch_ms).toBeGreaterThanOrEqual(0);
    },
  );

  it('sends the exact SoQL and reports the URL it fetched', async () => {
    const result = await socrata.lookup('100858762', ctxFor('socrata:chicago'));
    const path = `/resource/ydr8-5enu.json?$where=permit_%3D%27100858762%27&$limit=${LOOKUP_ROW_LIMIT}`;
    expect(portal.requests).toContainEqual({ method: 'GET', url: path });
    expect(result.found && result.observation.source_url).toBe(`${portal.url}${path}`);
  });

  it('returns not_found for the empty array', async () => {
    const result = await socrata.lookup(SOCRATA_UNKNOWN_CHICAGO_PERMIT, ctxFor('socrata:chicago'));
    expect(result).toEqual({
      found: false,
      reason: 'not_found',
      source_url: `${portal.url}/resource/ydr8-5enu.json?$where=permit_%3D%27${SOCRATA_UNKNOWN_CHICAGO_PERMIT}%27&$limit=${LOOKUP_ROW_LIMIT}`,
    });
  });

  it('throws bad_response when SODA answers with another permit', async () => {
    await expect(socrata.lookup(WRONG_ROW_NUMBER, ctxFor('socrata:chicago'))).rejects.toMatchObject({
      name: 'AdapterError',
      reason: 'bad_response',
    });
  });

  it('throws bad_response on a 404 (no such dataset or query)', async () => {
    await expect(socrata.lookup('123456789', ctxFor('socrata:chicago'))).rejects.toMatchObject({ reason: 'bad_response' });
  });

  it('logs an unmapped status and still returns the record, phase unknown', async () => {
    const result = await socrata.lookup(ODD_STATUS_NUMBER, ctxFor('socrata:austin'));
    expect(result.found && result.observation.record.status_phase).toBe('unknown');
    expect(logged).toContainEqual(expect.objectContaining({ level: 40, status: 'Under Construction', permit_number: ODD_STATUS_NUMBER }));
  });

  it('passes Retry-After on with a 503', async () => {
    portal.setMode({ kind: 'fail', status: 503, retryAfter: '120' }, '/resource/');
    try {
      const err = await socrata.lookup('100858762', ctxFor('socrata:chicago')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AdapterError);
      expect(err).toMatchObject({ reason: 'unavailable', retryAfterSeconds: 120 });
    } finally {
      portal.setMode({ kind: 'ok' });
    }
  });

  it('throws timeout when the portal sends no headers in time', async () => {
    portal.setMode({ kind: 'hang' }, '/resource/');
    try {
      await expect(socrata.lookup('202603238106', ctxFor('socrata:sf'))).rejects.toMatchObject({ reason: 'timeout' });
    } finally {
      portal.setMode({ kind: 'ok' });
    }
  });

  describe('changedSince', () => {
    const since = new Date(SOCRATA_FEED_SINCE);

    async function collect(iterable: AsyncIterable<Observation>): Promise<Observation[]> {
      const out: Observation[] = [];
      for await (const o of iterable) out.push(o);
      return out;
    }

    it('pages by :id until a short page, with the floating time in Austin', async () => {
      const before = portal.requests.length;
      const ctx = ctxFor('socrata:austin', { feed_page_size: SOCRATA_FEED_PAGE_SIZE });
      const observations = await collect(socrata.changedSince!(since, ctx));

      expect(observations.map((o) => o.record.permit_number)).toEqual(['2014-055074 MP', '2015-043455 EP', '2015-082179 EP']);
      const where = 'statusdate%20%3E%20%272016-04-18T00%3A00%3A00.000%27';
      expect(portal.requests.slice(before).map((r) => r.url)).toEqual([
        `/resource/3syk-w9eu.json?$where=${where}&$order=%3Aid&$limit=2&$offset=0`,
        `/resource/3syk-w9eu.json?$where=${where}&$order=%3Aid&$limit=2&$offset=2`,
      ]);
    });

    it('gives each row as a parsed record with the page it came from', async () => {
      const ctx = ctxFor('socrata:austin', { feed_page_size: SOCRATA_FEED_PAGE_SIZE });
      const [first] = await collect(socrata.changedSince!(since, ctx));
      expect(first?.record).toMatchObject({ permit_type: 'Mechanical Permit', status_phase: 'issued', dates: { issued: '2016-04-18' } });
      expect(first?.source_url).toMatch(/\$offset=0$/);
    });

    it('throws when a page fails, so the caller keeps its checkpoint', async () => {
      portal.setMode({ kind: 'fail', status: 500 }, '/resource/');
      try {
        const ctx = ctxFor('socrata:austin', { feed_page_size: SOCRATA_FEED_PAGE_SIZE });
        await expect(collect(socrata.changedSince!(since, ctx))).rejects.toMatchObject({ reason: 'unavailable' });
      } finally {
        portal.setMode({ kind: 'ok' });
      }
    });
  });
});

describe('socrata adapter parse', () => {
  it('parses a saved answer like lookup does', () => {
    const result = socrata.parse(readSocrataFixture(SOCRATA_FIXTURES.sf), {
      jurisdiction: jurisdiction('socrata:sf'),
      permitNumber: '202603238106',
    });
    expect(result.found && result.record.status_phase).toBe('issued');
  });
});
