import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LADBS_NOT_A_DETAIL_PAGE_PERMIT } from '../fixtures/ladbs/routes.ts';
import { LADBS_JURISDICTION as LADBS } from '../src/jurisdictions/ladbs/jurisdiction.ts';
import { startHarness, type Harness } from './harness.ts';

// Issue 15: the status route's one fast path (src/api/status-fast-path.ts) must answer exactly
// as the documented route does. Two servers, one with the fast path and one without, get the
// same requests in the same order; every answer must match: status, body (its instants aside:
// the two servers see a permit at different milliseconds), and every header but the two that
// differ per request by nature (X-Request-Id, Date).

const FINALED = '16041-10000-23545';
/** The same portal under a second slug, so a number cached under both answers 300. */
const MIRROR = { ...LADBS, slug: 'ladbs-mirror', display_name: 'LADBS mirror', auto_detect: false };
const PER_REQUEST_HEADERS = new Set(['x-request-id', 'date']);

interface Side {
  h: Harness;
  keys: Record<string, string>;
}

/** An answer's instants and ages, which differ between two servers by when each looked. */
function withoutInstants(value: unknown): unknown {
  if (typeof value === 'string') return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value) ? '<instant>' : value;
  if (Array.isArray(value)) return value.map(withoutInstants);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'age_seconds' ? typeof v : withoutInstants(v)]));
  }
  return value;
}

/** One answer, in a form two servers can be compared by. */
async function answer(side: Side, path: string, as: string | undefined, headers: Record<string, string> = {}) {
  const res = await side.h.get(path, as ? side.keys[as] : undefined, headers);
  const kept = [...res.headers.entries()].filter(([name]) => !PER_REQUEST_HEADERS.has(name));
  return { status: res.status, body: withoutInstants(res.body), headers: Object.fromEntries(kept), requestId: res.headers.get('x-request-id') };
}

describe('the status fast path answers as the documented route', () => {
  let fast: Side;
  let idiomatic: Side;

  async function side(statusFastPath: boolean): Promise<Side> {
    const h = await startHarness({ jurisdictions: [LADBS, MIRROR], statusFastPath });
    const keys: Record<string, string> = {
      free: await h.key('free'),
      developer: await h.key('developer'),
      sandbox: await h.key('developer', { sandbox: true }),
      writeOnly: await h.key('developer', { permissions: ['write'] }),
    };
    return { h, keys };
  }

  beforeAll(async () => {
    fast = await side(true);
    idiomatic = await side(false);
  });
  afterAll(async () => {
    await fast?.h.close();
    await idiomatic?.h.close();
  });

  it('is the route the fast server answers through, and not the other', () => {
    const fastPaths = (h: Harness) => h.server.app.api.routes.filter((r) => r.method === 'GET' && r.path === '/api/v1/permits/:permit_number/status');
    // The documented route's own handlers, plus the fast path on the fast server only.
    expect(fastPaths(fast.h).length).toBe(fastPaths(idiomatic.h).length + 1);
  });

  const cases: [label: string, path: string, as?: string, headers?: Record<string, string>][] = [
    ['live lookup, jurisdiction named', `/api/v1/permits/${FINALED}/status?jurisdiction=ladbs`, 'developer'],
    ['cached lookup, jurisdiction named', `/api/v1/permits/${FINALED}/status?jurisdiction=ladbs`, 'developer'],
    ['the mirror, live', `/api/v1/permits/${FINALED}/status?jurisdiction=ladbs-mirror`, 'developer'],
    ['300 multiple_jurisdictions', `/api/v1/permits/${FINALED}/status`, 'developer'],
    ['Bearer key', `/api/v1/permits/${FINALED}/status?jurisdiction=ladbs`, undefined, { authorization: 'Bearer KEY:developer' }],
    ['caller-sent request id', `/api/v1/permits/${FINALED}/status?jurisdiction=ladbs`, 'developer', { 'x-request-id': 'trace-42' }],
    ['force_refresh on a paid plan', `/api/v1/permits/${FINALED}/status?jurisdiction=ladbs&force_refresh=true`, 'developer'],
    ['force_refresh on the free plan: 403', `/api/v1/permits/${FINALED}/status?jurisdiction=ladbs&force_refresh=1`, 'free'],
    ['force_refresh not a boolean: 400', `/api/v1/permits/${FINALED}/status?force_refresh=maybe`, 'developer'],
    ['empty jurisdiction: 400', `/api/v1/permits/${FINALED}/status?jurisdiction=`, 'developer'],
    ['jurisdiction twice: 400', `/api/v1/permits/${FINALED}/status?jurisdiction=ladbs&jurisdiction=ladbs`, 'developer'],
    ['unknown query parameter ignored', `/api/v1/permits/${FINALED}/status?jurisdiction=ladbs&colour=red`, 'developer'],
    ['unknown jurisdiction: 404', `/api/v1/permits/${FINALED}/status?jurisdiction=atlantis`, 'developer'],
    ['invalid permit number: 400', '/api/v1/permits/%ZZ/status', 'developer'],
    ['unknown permit: 404', '/api/v1/permits/99999-10000-00001/status?jurisdiction=ladbs', 'developer'],
    ['portal page not a detail page: 503, refunded', `/api/v1/permits/${LADBS_NOT_A_DETAIL_PAGE_PERMIT}/status?jurisdiction=ladbs`, 'developer'],
    ['no key: the demo plane', `/api/v1/permits/${FINALED}/status`, undefined],
    ['sandbox key: the demo plane', `/api/v1/permits/${FINALED}/status`, 'sandbox'],
    ['unknown key: 401', `/api/v1/permits/${FINALED}/status`, undefined, { 'x-api-key': 'pw_live_not_a_key' }],
    ['empty key header: 401', `/api/v1/permits/${FINALED}/status`, undefined, { 'x-api-key': ' ' }],
    ['key without read: 403', `/api/v1/permits/${FINALED}/status?jurisdiction=ladbs`, 'writeOnly'],
    ['free plan within its burst', `/api/v1/permits/${FINALED}/status?jurisdiction=ladbs`, 'free'],
    ['free plan within its burst again', `/api/v1/permits/${FINALED}/status?jurisdiction=ladbs`, 'free'],
    ['free plan at its burst', `/api/v1/permits/${FINALED}/status?jurisdiction=ladbs`, 'free'],
    ['free plan over its burst: 429', `/api/v1/permits/${FINALED}/status?jurisdiction=ladbs`, 'free'],
  ];

  it.each(cases.map((c, i) => [i, ...c] as const))('%i: %s', async (_i, _label, path, as, headers = {}) => {
    const withKeys = (s: Side) =>
      Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace(/KEY:(\w+)/, (_, name: string) => s.keys[name]!)]));
    const a = await answer(fast, path, as, withKeys(fast));
    const b = await answer(idiomatic, path, as, withKeys(idiomatic));
    expect(a.status).toBeGreaterThan(0);
    expect({ status: a.status, body: a.body, headers: a.headers }).toEqual({ status: b.status, body: b.body, headers: b.headers });
    expect(a.requestId).toMatch(/\S/);
    if (headers['x-request-id']) expect([a.requestId, b.requestId]).toEqual([headers['x-request-id'], headers['x-request-id']]);
  });

  it('counts the same requests under the same route in /metrics and in usage', async () => {
    const statusLines = async (s: Side) =>
      ((await s.h.get('/metrics')).body as string)
        .split('\n')
        .filter((line) => line.includes('/api/v1/permits/:permit_number/status') && !line.includes('_bucket') && !line.includes('_sum'));
    // Key ids are random per server; the counts under them are what must match.
    const usage = async (s: Side) => JSON.parse(JSON.stringify((await s.h.get('/api/v1/usage', s.keys.developer)).body).replace(/key_[0-9a-f]+/g, 'key_'));
    const [fastLines, idiomaticLines] = await Promise.all([statusLines(fast), statusLines(idiomatic)]);
    expect(fastLines.length).toBeGreaterThan(0);
    expect(fastLines).toEqual(idiomaticLines);
    expect(await usage(fast)).toEqual(await usage(idiomatic));
  });
});
