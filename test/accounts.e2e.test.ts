import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { listKeys, revokeKey } from '../src/accounts/keys.ts';
import { openApiDocument } from '../src/api/app.ts';
import { openDatabase } from '../src/app.ts';
import { EXTERNAL_CHANGE_CHECK_MS } from '../src/db/read-cache.ts';
import { systemClock, type Clock } from '../src/lib/clock.ts';
import { startHarness, UNDOCUMENTED_BY_DESIGN, type Harness } from './harness.ts';

// Real time shifted to 10:00:00 on a Tuesday at start-up: usage periods are known, and the
// burst test runs well inside the first minute. The clock must move: the HTTP client's
// politeness gate waits on it.
const offset = Date.parse('2026-11-10T10:00:00Z') - Date.now();
const clock: Clock = { now: () => Date.now() + offset, sleep: systemClock.sleep };
const FINALED = '16041-10000-23545';

describe('accounts, permissions and limits over HTTP', () => {
  let h: Harness;
  let admin: string;
  beforeAll(async () => {
    h = await startHarness({ clock, env: { demo_daily_cap: 3 } });
    admin = await h.key('enterprise', { permissions: ['read', 'write', 'admin'] });
  });
  afterAll(() => h.close());

  const send = (method: string, path: string, key?: string, body?: unknown) =>
    fetch(`${h.server.url}${path}`, {
      method,
      headers: { ...(key ? { 'x-api-key': key } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    }).then(async (r) => ({ status: r.status, headers: r.headers, body: (await r.json()) as any }));

  it('creates, lists and revokes keys through the admin API; revoked keys are 401 at once', async () => {
    const created = await send('POST', '/api/v1/keys', admin, { name: 'ci', plan: 'developer', permissions: ['read'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'ci',
      plan: 'developer',
      permissions: ['read'],
      sandbox: false,
      key: expect.stringMatching(/^sk_live_/),
    });
    const list = await send('GET', '/api/v1/keys', admin);
    expect(list.body.keys.map((k: { id: string }) => k.id)).toContain(created.body.id);
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);
    expect(list.body.keys.find((k: { id: string }) => k.id === created.body.id).last_used_at).toBeNull();
    expect((await send('GET', '/api/v1/jurisdictions/ladbs/stats', created.body.key)).status).toBe(200);
    const used = (await send('GET', '/api/v1/keys', admin)).body.keys.find((k: { id: string }) => k.id === created.body.id);
    expect(used.last_used_at).toMatch(/^2026-11-10T10:00:/); // the server's (shifted) clock
    expect((await send('DELETE', `/api/v1/keys/${created.body.id}`, admin)).body).toMatchObject({ status: 'revoked' });
    expect(await send('GET', '/api/v1/jurisdictions/ladbs/stats', created.body.key)).toMatchObject({
      status: 401,
      body: { error: 'invalid_api_key' },
    });
    expect(await send('DELETE', `/api/v1/keys/${created.body.id}`, admin)).toMatchObject({
      status: 404,
      body: { error: 'key_already_revoked' },
    });
    expect(await send('DELETE', '/api/v1/keys/key_0000000000000000', admin)).toMatchObject({
      status: 404,
      body: { error: 'key_not_found' },
    });
    const sandbox = await send('POST', '/api/v1/keys', admin, { name: 'sb', plan: 'free', sandbox: true });
    expect(sandbox.body.key).toMatch(/^sk_test_/);
    expect(await send('POST', '/api/v1/keys', admin, { name: 'x', plan: 'platinum' })).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
  });

  it('refuses a key revoked by another process (the CLI) once the server has seen the commit', async () => {
    const key = await h.key('developer');
    // Twice: the first call also writes last_used_at, so only the second leaves the key cached.
    for (let i = 0; i < 2; i++) expect((await send('GET', '/api/v1/jurisdictions/ladbs/stats', key)).status).toBe(200);
    // Its own connection to the same file, as `permitwatch keys revoke` has.
    const other = await openDatabase(h.config.database_url);
    try {
      const [row] = (await listKeys(other)).filter((k) => key.startsWith(k.key_prefix) && !k.revoked_at);
      expect((await revokeKey(other, row!.id)).ok).toBe(true);
    } finally {
      await other.close();
    }
    await new Promise((r) => setTimeout(r, EXTERNAL_CHANGE_CHECK_MS + 50));
    expect(await send('GET', '/api/v1/jurisdictions/ladbs/stats', key)).toMatchObject({ status: 401, body: { error: 'invalid_api_key' } });
  });

  it('enforces the permission matrix', async () => {
    const reader = await h.key('developer', { permissions: ['read'] });
    const writer = await h.key('developer', { permissions: ['write'] });
    expect(await send('GET', '/api/v1/keys', reader)).toMatchObject({ status: 403, body: { error: 'insufficient_permissions' } });
    expect(await send('POST', '/api/v1/keys', reader, { name: 'n', plan: 'free' })).toMatchObject({ status: 403 });
    expect(await send('GET', '/api/v1/jurisdictions/ladbs/analytics', writer)).toMatchObject({
      status: 403,
      body: { error: 'insufficient_permissions' },
    });
    expect(await send('GET', '/api/v1/keys')).toMatchObject({ status: 401, body: { error: 'invalid_api_key' } });
  });

  it('admits exactly 60 of 200 parallel requests on a 60/min key, with rate headers; the rest are 429 burst_limit_exceeded', async () => {
    const key = await h.key('developer');
    expect((await h.get(`/api/v1/permits/${FINALED}/status`, admin)).status).toBe(200); // cache it first
    const results = await Promise.all(Array.from({ length: 200 }, () => h.get(`/api/v1/permits/${FINALED}/status`, key)));
    const ok = results.filter((r) => r.status === 200);
    const limited = results.filter((r) => r.status === 429);
    expect(ok).toHaveLength(60);
    expect(limited).toHaveLength(140);
    expect(limited[0]!.body).toMatchObject({ error: 'burst_limit_exceeded' });
    const retryAfter = limited[0]!.body.retry_after_seconds;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited[0]!.headers.get('retry-after')).toBe(String(retryAfter));
    const remaining = ok.map((r) => Number(r.headers.get('x-ratelimit-remaining'))).sort((a, b) => a - b);
    expect(remaining[0]).toBe(5000 - 60);
    expect(ok[0]!.headers.get('x-ratelimit-limit')).toBe('5000');
    expect(ok[0]!.headers.get('x-ratelimit-reset')).toBe('2026-12-01T00:00:00.000Z');
  });

  it('gives sandbox keys demo data, unmetered, with X-Sandbox-Mode instead of quota headers', async () => {
    const sb = await h.key('free', { sandbox: true });
    for (let i = 0; i < 5; i++) {
      const r = await h.get(`/api/v1/permits/${FINALED}/status`, sb);
      expect(r.status).toBe(200);
      expect(r.headers.get('x-sandbox-mode')).toBe('true');
      expect(r.headers.get('x-ratelimit-limit')).toBeNull();
    }
  });

  it('caps anonymous demo calls per address over 24 hours and reports it in the headers', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await h.get(`/api/v1/permits/${FINALED}/status`);
      statuses.push(r.status);
      expect(r.headers.get('x-demo-mode')).toBe('true');
      expect(r.headers.get('x-ratelimit-limit')).toBe('3');
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('reports usage per key: requests, errors and top endpoints', async () => {
    const key = await h.key('developer');
    await h.get(`/api/v1/permits/${FINALED}/status`, key);
    await h.get(`/api/v1/permits/${FINALED}/history`, key);
    await h.get('/api/v1/permits/XYZ-1/status', key);
    const usage = await h.get('/api/v1/usage', key);
    expect(usage.body).toMatchObject({
      requests: { today: 3, this_month: 3 },
      errors: { today: 1 },
      period: { day: '2026-11-10', week_start: '2026-11-09' },
    });
    expect(usage.body.top_endpoints[0]).toEqual({ endpoint: 'GET /api/v1/permits/:permit_number/status', requests: 2, errors: 1 });
    expect(usage.body.per_key).toHaveLength(1);
    const all = await h.get('/api/v1/usage', admin);
    expect(all.body.per_key.length).toBeGreaterThan(1);
  });

  it('serves /healthz, /readyz and Prometheus /metrics', async () => {
    expect((await h.get('/healthz')).body).toMatchObject({ status: 'ok' });
    expect(await h.get('/readyz')).toMatchObject({ status: 200, body: { status: 'ready', checks: { database: 'ok', migrations: 'ok' } } });
    const metrics = await fetch(`${h.server.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(
      /permitwatch_http_requests_total\{route="\/api\/v1\/permits\/:permit_number\/status",method="GET",status="200"\} \d+/,
    );
    expect(metrics).toContain('permitwatch_http_request_duration_seconds_bucket');
    expect(metrics).toMatch(/permitwatch_lookups_total\{plane="live",outcome="cached"\} \d+/);
    expect(metrics).toMatch(/permitwatch_portal_fetches_total\{jurisdiction="ladbs",outcome="found"\} \d+/);
  });
});

describe('OpenAPI contract', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('is a valid OpenAPI 3.1 document', async () => {
    const doc = (await h.get('/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents every route the app serves', () => {
    const doc = openApiDocument(h.server.app.api) as unknown as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)),
    );
    const served = h.server.app.api.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
      .filter((r) => !UNDOCUMENTED_BY_DESIGN.has(r));
    expect(served.length).toBeGreaterThan(10);
    expect(served.filter((r) => !documented.has(r))).toEqual([]);
  });

  it('serves the docs page and a Postman collection generated from the document', async () => {
    const docs = await fetch(`${h.server.url}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/docs/init.js');
    expect(await (await fetch(`${h.server.url}/docs/init.js`)).text()).toContain('/openapi.json');
    const postman = (await h.get('/postman.json')).body;
    expect(postman.info.schema).toContain('v2.1.0');
    expect(JSON.stringify(postman)).toContain('batch-status');
  });
});
