import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REQUEST_ID_LENGTH } from '../src/api/middleware/request-limits.ts';
import { startHarness, type Harness } from './harness.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STATUS = '/api/v1/permits/16041-10000-23545/status';

/**
 * The headers decided before a response exists (request id, rate limits, demo and sandbox
 * flags) reach every kind of answer: JSON built with them, errors, and responses built
 * elsewhere (text, 404s), which get them at the end of the request.
 */
describe('response headers on every answer', () => {
  let h: Harness;
  let key: string;
  beforeAll(async () => {
    h = await startHarness();
    key = await h.key('developer');
  });
  afterAll(() => h.close());

  it('echoes a safe X-Request-Id and replaces an unsafe or overlong one with a UUID', async () => {
    expect((await h.get('/healthz', undefined, { 'x-request-id': 'trace-42_ab=' })).headers.get('x-request-id')).toBe('trace-42_ab=');
    expect((await h.get('/healthz', undefined, { 'x-request-id': 'no spaces allowed' })).headers.get('x-request-id')).toMatch(UUID);
    const long = 'a'.repeat(MAX_REQUEST_ID_LENGTH + 1);
    expect((await h.get('/healthz', undefined, { 'x-request-id': long })).headers.get('x-request-id')).toMatch(UUID);
    const a = (await h.get('/healthz')).headers.get('x-request-id');
    const b = (await h.get('/healthz')).headers.get('x-request-id');
    expect(a).toMatch(UUID);
    expect(b).toMatch(UUID);
    expect(a).not.toBe(b);
  });

  it('a cached status answer carries the request id, the quota headers and JSON content type', async () => {
    const res = await h.get(STATUS, key, { 'x-request-id': 'lookup-1' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-request-id')).toBe('lookup-1');
    expect(res.headers.get('x-ratelimit-limit')).toBe('5000');
    expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeLessThan(5000);
    expect(res.headers.get('x-ratelimit-reset')).toMatch(/^\d{4}-\d\d-01T00:00:00.000Z$/);
  });

  it('demo answers carry X-Demo-Mode and the demo quota headers; sandbox answers X-Sandbox-Mode', async () => {
    const demo = await h.get(STATUS);
    expect(demo.status).toBe(200);
    expect(demo.headers.get('x-demo-mode')).toBe('true');
    expect(demo.headers.get('x-ratelimit-remaining')).not.toBeNull();
    const sandbox = await h.get(STATUS, await h.key('developer', { sandbox: true }));
    expect(sandbox.status).toBe(200);
    expect(sandbox.headers.get('x-sandbox-mode')).toBe('true');
  });

  it('errors, text responses and unmatched routes carry the request id too', async () => {
    const invalid = await h.get('/api/v1/permits/16041-10000-23545/status?force_refresh=maybe', key, { 'x-request-id': 'bad-1' });
    expect(invalid).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(invalid.headers.get('x-request-id')).toBe('bad-1');
    const unknown = await h.get('/api/v1/permits/16041-10000-23545/status', 'sk_live_nope', { 'x-request-id': 'bad-2' });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('x-request-id')).toBe('bad-2');
    const metrics = await h.get('/metrics', undefined, { 'x-request-id': 'text-1' });
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(metrics.headers.get('x-request-id')).toBe('text-1');
    const missing = await h.get('/api/v2/nothing', undefined, { 'x-request-id': 'none-1' });
    expect(missing).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(missing.headers.get('x-request-id')).toBe('none-1');
  });

  it('a request refused for its URL length is answered as documented, with its request id, and counted', async () => {
    const long = await h.get(`/healthz?x=${'a'.repeat(3000)}`, undefined, { 'x-request-id': 'long-1' });
    expect(long).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(long.body.message).toMatch(/URL is longer than/);
    expect(long.headers.get('x-request-id')).toBe('long-1');
    const metrics = await h.get('/metrics');
    expect(metrics.body).toMatch(/permitwatch_http_requests_total\{route="\/healthz",method="GET",status="400"\} 1/);
  });

  it('HEAD answers like GET without a body, with the same headers', async () => {
    const res = await fetch(`${h.server.url}${STATUS}`, { method: 'HEAD', headers: { 'x-api-key': key, 'x-request-id': 'head-1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('head-1');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-ratelimit-limit')).toBe('5000');
    expect(await res.text()).toBe('');
  });
});
