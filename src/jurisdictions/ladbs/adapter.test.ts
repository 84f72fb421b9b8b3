import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient } from '../../http/client.ts';
import type { AdapterContext } from '../adapter.ts';
import { AdapterError } from '../adapter-error.ts';
import { ladbs } from './adapter.ts';
import { LADBS_DAMAGED_FIXTURES, LADBS_FIXTURES, readLadbsFixture } from '../../testing/ladbs-fixtures.ts';
import { LADBS_JURISDICTION } from './jurisdiction.ts';

const DETAIL_PATH = '/OnlineServices/PermitReport/PcisPermitDetail';
/** Marks a page the stand-in never answers. */
const HANG = 0;
/** Short enough to keep the test fast; the client's own default is 20 s. */
const TEST_HEADERS_TIMEOUT_MS = 300;

/**
 * A tiny stand-in for PCIS on 127.0.0.1, answering only at the real detail path and query.
 * There is no capture of PCIS's answer for an unknown permit, so 00000-00000-00000 gets the
 * detail-page shell derived from a real capture (fixtures/ladbs/PROVENANCE.md); 20000-00000-00000
 * gets the real Online Services search form, a page that is not a detail page.
 */
function pages(): Map<string, { status: number; body: string; headers?: Record<string, string> }> {
  const finaled = readLadbsFixture(LADBS_FIXTURES.finaled);
  return new Map([
    ['id1=16041&id2=10000&id3=23545', { status: 200, body: finaled }],
    ['id1=00000&id2=00000&id3=00000', { status: 200, body: readLadbsFixture(LADBS_FIXTURES.notFoundShell) }],
    ['id1=20000&id2=00000&id3=00000', { status: 200, body: readLadbsFixture(LADBS_FIXTURES.searchForm) }],
    ['id1=20100&id2=00000&id3=00000', { status: 200, body: readLadbsFixture(LADBS_DAMAGED_FIXTURES.cutInHistory).replace(/16041-10000-23545/g, '20100-00000-00000') }],
    ['id1=50000&id2=00000&id3=00000', { status: 500, body: 'Server Error' }],
    ['id1=50300&id2=00000&id3=00000', { status: 503, body: 'busy', headers: { 'retry-after': '120' } }],
    ['id1=40300&id2=00000&id3=00000', { status: 403, body: 'Forbidden' }],
    ['id1=40800&id2=00000&id3=00000', { status: HANG, body: '' }],
    // 16041's page served for another number: PCIS answering with the wrong permit.
    ['id1=11111&id2=11111&id3=11111', { status: 200, body: finaled }],
    // 16041's page with its Current Status edited in memory to one our table does not list.
    [
      'id1=22222&id2=22222&id3=22222',
      {
        status: 200,
        body: finaled
          .replace('16041-10000-23545', '22222-22222-22222')
          .replace('Permit Finaled\r\r\n                        <span>', 'Permit Teleported\r\r\n                        <span>'),
      },
    ],
  ]);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('ladbs adapter lookup against a local PCIS stand-in', () => {
  const requested: string[] = [];
  const logged: Array<Record<string, unknown>> = [];
  let server: Server;
  let http: HttpClient;
  let ctx: AdapterContext;

  beforeAll(async () => {
    const served = pages();
    server = createServer((req, res) => {
      requested.push(req.url ?? '');
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const page = url.pathname === DETAIL_PATH ? served.get(url.search.slice(1)) : undefined;
      if (!page) {
        res.writeHead(404).end('Not Found');
        return;
      }
      if (page.status === HANG) return;
      res.writeHead(page.status, { 'content-type': 'text/html; charset=utf-8', ...page.headers }).end(page.body);
    });
    const baseUrl = await listen(server);
    // No retries: each failure case answers after one attempt instead of after the back-off.
    http = createHttpClient({ retryDelaysMs: [], headersTimeoutMs: TEST_HEADERS_TIMEOUT_MS });
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logged.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const jurisdiction = { ...LADBS_JURISDICTION, politeness: { requests_per_second: 100, concurrency: 4 } };
    ctx = { jurisdiction, baseUrl, http, log: pino({ level: 'warn' }, sink) };
  });

  afterAll(async () => {
    await http.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('finds a permit at the real path and query', async () => {
    const result = await ladbs.lookup('16041-10000-23545', ctx);
    expect(requested).toContain(`${DETAIL_PATH}?id1=16041&id2=10000&id3=23545`);
    expect(result.found && result.observation.record.portal_status).toBe('Permit Finaled on 8/8/2018');
    expect(result.found && result.observation.source_url).toBe(`${ctx.baseUrl}${DETAIL_PATH}?id1=16041&id2=10000&id3=23545`);
    expect(result.found && result.observation.fetch_ms).toBeGreaterThanOrEqual(0);
  });

  it('throws AdapterError bad_response for a 200 page that is not a detail page (never not_found)', async () => {
    await expect(ladbs.lookup('20000-00000-00000', ctx)).rejects.toMatchObject({ name: 'AdapterError', reason: 'bad_response', message: /not a detail page/ });
  });

  it('throws AdapterError bad_response for a detail page cut short', async () => {
    await expect(ladbs.lookup('20100-00000-00000', ctx)).rejects.toMatchObject({ reason: 'bad_response', message: /footer/ });
  });

  it('returns not_found for the detail-page shell without a permit', async () => {
    const result = await ladbs.lookup('00000-00000-00000', ctx);
    expect(result).toEqual({ found: false, reason: 'not_found', source_url: `${ctx.baseUrl}${DETAIL_PATH}?id1=00000&id2=00000&id3=00000` });
  });

  it('returns not_found for a number that is not an LADBS number, without a request', async () => {
    const before = requested.length;
    expect(await ladbs.lookup('B25LA55287', ctx)).toMatchObject({ found: false, reason: 'not_found' });
    expect(requested.length).toBe(before);
  });

  it('throws AdapterError unavailable on HTTP 500', async () => {
    await expect(ladbs.lookup('50000-00000-00000', ctx)).rejects.toMatchObject({ name: 'AdapterError', reason: 'unavailable' });
  });

  it('passes Retry-After on with a 503', async () => {
    const err = await ladbs.lookup('50300-00000-00000', ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterError);
    expect(err).toMatchObject({ reason: 'unavailable', retryAfterSeconds: 120 });
  });

  it('throws AdapterError timeout when the portal sends no headers in time', async () => {
    await expect(ladbs.lookup('40800-00000-00000', ctx)).rejects.toMatchObject({ reason: 'timeout' });
  });

  it('throws AdapterError bad_response on HTTP 403', async () => {
    await expect(ladbs.lookup('40300-00000-00000', ctx)).rejects.toMatchObject({ reason: 'bad_response' });
  });

  it('throws AdapterError bad_response when PCIS answers with another permit', async () => {
    await expect(ladbs.lookup('11111-11111-11111', ctx)).rejects.toMatchObject({ reason: 'bad_response' });
  });

  it('logs an unmapped status and still returns the record, phase unknown', async () => {
    const result = await ladbs.lookup('22222-22222-22222', ctx);
    expect(result.found && result.observation.record.status_phase).toBe('unknown');
    expect(logged).toContainEqual(expect.objectContaining({ level: 40, status: 'Permit Teleported on 8/8/2018' }));
  });

  it('throws AdapterError unavailable when nothing listens', async () => {
    const closed = createServer();
    const baseUrl = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    await expect(ladbs.lookup('16041-10000-23545', { ...ctx, baseUrl })).rejects.toMatchObject({ reason: 'unavailable' });
  });
});

describe('ladbs adapter parse', () => {
  it('parses a saved page like lookup does', () => {
    const result = ladbs.parse(readLadbsFixture(LADBS_FIXTURES.corrections), { jurisdiction: LADBS_JURISDICTION });
    expect(result.found && result.record.permit_number).toBe('26014-10000-00017');
  });
});
