import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listKeys, revokeKey } from '../src/accounts/keys.ts';
import { startHarness, type Harness } from './harness.ts';
import { call, connect, errorBody, text } from './mcp-client.ts';

const FINALED = '16041-10000-23545';
const UNKNOWN = '99999-10000-00001';
/** A captured permit no test here looks up before the portal goes down. */
const NOT_YET_SEEN = '26030-10000-01235';
/** Two real Accela agencies (Boise, South Pasadena) share this number's format. */
const AMBIGUOUS = 'BLD26-02789';
/** Operator-defined plans small enough to run out in a test (config `plans`). */
const TWO_A_MONTH = { name: 'two_a_month', monthly_limit: 2, burst_per_minute: 100, force_refresh: false };
const ONE_A_MINUTE = { name: 'one_a_minute', monthly_limit: 1_000, burst_per_minute: 1, force_refresh: false };

describe('MCP over Streamable HTTP at /mcp', () => {
  let h: Harness;
  let dev: string;
  beforeAll(async () => {
    h = await startHarness({ env: { plans: [TWO_A_MONTH, ONE_A_MINUTE] } });
    dev = await h.key('developer');
  });
  afterAll(() => h.close());

  it('lists the seven tools with input and output schemas', async () => {
    const { client, close } = await connect(h);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'batch_permit_status',
      'get_permit_history',
      'get_permit_inspections',
      'get_permit_status',
      'list_jurisdictions',
      'list_watched_permits',
      'watch_permit',
    ]);
    const status = tools.find((t) => t.name === 'get_permit_status')!;
    expect(status.inputSchema.required).toEqual(['permit_number']);
    expect(Object.keys(status.inputSchema.properties ?? {}).sort()).toEqual(['force_refresh', 'jurisdiction', 'permit_number']);
    expect(status.outputSchema?.required).toContain('data_freshness');
    expect(status.annotations).toMatchObject({ readOnlyHint: true });
    await close();
  });

  it('without a key serves the demo dataset with the demo limits, as the REST API does', async () => {
    const { client, lastHeaders, close } = await connect(h);
    const result = await call(client, 'get_permit_status', { permit_number: FINALED });
    expect(result.isError).toBeFalsy();
    expect(text(result)).toContain(`${FINALED} (`);
    expect(lastHeaders().get('x-demo-mode')).toBe('true');
    const remaining = Number(lastHeaders().get('x-ratelimit-remaining'));
    // The same body as REST, and the demo's rolling cap is one count for both: one call each.
    const rest = await h.get(`/api/v1/permits/${FINALED}/status`);
    expect(result.structuredContent).toMatchObject({ ...rest.body, data_freshness: { cached: true, refresh_available: false } });
    expect(Number(rest.headers.get('x-ratelimit-remaining'))).toBe(remaining - 1);
    await call(client, 'get_permit_status', { permit_number: FINALED });
    expect(Number(lastHeaders().get('x-ratelimit-remaining'))).toBe(remaining - 2);
    await close();
  });

  it('with a key looks up the live plane through the portal, one credit a call as on REST, and records usage', async () => {
    const { client, lastHeaders, close } = await connect(h, { Authorization: `Bearer ${dev}` });
    const live = await call(client, 'get_permit_status', { permit_number: FINALED });
    expect(live.structuredContent).toMatchObject({ permit_number: FINALED, jurisdiction: 'ladbs', source: 'live' });
    expect(lastHeaders().get('x-demo-mode')).toBeNull();
    const after = Number(lastHeaders().get('x-ratelimit-remaining'));
    const cached = await call(client, 'get_permit_status', { permit_number: FINALED });
    expect(cached.structuredContent).toMatchObject({ source: 'cached', data_freshness: { refresh_available: true } });
    expect(Number(lastHeaders().get('x-ratelimit-remaining'))).toBe(after - 1);
    const rest = await h.get(`/api/v1/permits/${FINALED}/status`, dev);
    expect(Number(rest.headers.get('x-ratelimit-remaining'))).toBe(after - 2);
    await close();
    const usage = await h.get('/api/v1/usage', dev);
    expect(usage.body.top_endpoints).toContainEqual(expect.objectContaining({ endpoint: 'POST /mcp' }));
  });

  it('takes the key as X-API-Key too, and answers history, inspections, jurisdictions and a batch with the REST bodies', async () => {
    const { client, close } = await connect(h, { 'X-API-Key': dev });
    for (const [tool, path] of [
      ['get_permit_history', `/api/v1/permits/${FINALED}/history`],
      ['get_permit_inspections', `/api/v1/permits/${FINALED}/inspections`],
    ] as const) {
      const result = await call(client, tool, { permit_number: FINALED });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toEqual((await h.get(path, dev)).body);
      expect(text(result)).toMatch(new RegExp(`^${FINALED} \\(ladbs\\): \\d+ `));
    }
    const jurisdictions = await call(client, 'list_jurisdictions');
    expect(jurisdictions.structuredContent).toEqual((await h.get('/api/v1/jurisdictions', dev)).body);
    expect(text(jurisdictions)).toContain('ladbs');
    const batch = await call(client, 'batch_permit_status', { permit_numbers: [FINALED, UNKNOWN, AMBIGUOUS] });
    expect(batch.structuredContent).toMatchObject({
      results: [{ permit_number: FINALED }],
      errors: expect.arrayContaining([
        expect.objectContaining({ permit_number: UNKNOWN, error: 'not_found' }),
        expect.objectContaining({ permit_number: AMBIGUOUS, error: 'multiple_jurisdictions', candidates: expect.any(Array) }),
      ]),
    });
    expect(text(batch)).toMatch(/^1 found, 2 not/);
    await close();
  });

  it('answers an unknown permit and an ambiguous number as tool errors carrying the REST error key', async () => {
    const { client, close } = await connect(h, { Authorization: `Bearer ${dev}` });
    expect(errorBody(await call(client, 'get_permit_status', { permit_number: UNKNOWN }))).toMatchObject({
      error: 'permit_not_found',
      message: expect.stringContaining(UNKNOWN),
      jurisdiction: 'ladbs',
    });
    expect(errorBody(await call(client, 'get_permit_history', { permit_number: AMBIGUOUS }))).toMatchObject({
      error: 'multiple_jurisdictions',
      candidates: [{ slug: 'aca:boise' }, { slug: 'aca:cosp' }],
    });
    expect(errorBody(await call(client, 'get_permit_status', { permit_number: '<script>' }))).toMatchObject({
      error: 'invalid_permit_number',
    });
    // Arguments that fail the schema are refused by the SDK before any lookup, as a tool error.
    const bad = await call(client, 'get_permit_status', { permit_number: FINALED, force_refresh: 'maybe' });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toContain('force_refresh');
    await close();
  });

  it('answers the monthly quota and the burst limit as tool errors with their keys', async () => {
    const monthly = await connect(h, { Authorization: `Bearer ${await h.key(TWO_A_MONTH.name)}` });
    for (let i = 0; i < TWO_A_MONTH.monthly_limit; i++) {
      expect((await call(monthly.client, 'get_permit_status', { permit_number: FINALED })).isError).toBeFalsy();
    }
    expect(errorBody(await call(monthly.client, 'get_permit_status', { permit_number: FINALED }))).toMatchObject({
      error: 'rate_limit_exceeded',
    });
    expect(monthly.lastHeaders().get('x-ratelimit-remaining')).toBe('0');
    await monthly.close();

    const burst = await connect(h, { Authorization: `Bearer ${await h.key(ONE_A_MINUTE.name)}` });
    expect((await call(burst.client, 'get_permit_status', { permit_number: FINALED })).isError).toBeFalsy();
    const refused = errorBody(await call(burst.client, 'get_permit_inspections', { permit_number: FINALED }));
    expect(refused).toMatchObject({ error: 'burst_limit_exceeded', retry_after_seconds: expect.any(Number) });
    await burst.close();
  });

  it('gives the credits back when the portal is down, as REST does for a 5xx', async () => {
    const { client, lastHeaders, close } = await connect(h, { Authorization: `Bearer ${await h.key('pro')}` });
    h.portal.setMode({ kind: 'fail', status: 503, retryAfter: '120' });
    try {
      const down = errorBody(await call(client, 'get_permit_status', { permit_number: NOT_YET_SEEN }));
      expect(down).toMatchObject({ error: 'jurisdiction_unavailable', retry_after_seconds: 120 });
    } finally {
      h.portal.setMode({ kind: 'ok' });
    }
    // The pro plan's whole quota is left: the lookup that got no answer cost nothing.
    expect(lastHeaders().get('x-ratelimit-remaining')).toBe('25000');
    await call(client, 'get_permit_status', { permit_number: NOT_YET_SEEN });
    expect(lastHeaders().get('x-ratelimit-remaining')).toBe('24999');
    await close();
  });

  it('refuses a key without the read permission per tool, as REST does per route', async () => {
    const writer = await h.key('developer', { permissions: ['write'] });
    const { client, close } = await connect(h, { 'X-API-Key': writer });
    expect(errorBody(await call(client, 'list_jurisdictions'))).toMatchObject({
      error: 'insufficient_permissions',
      required_permission: 'read',
    });
    await close();
  });

  it('serves a sandbox key from the demo dataset', async () => {
    const sandbox = await h.key('developer', { sandbox: true });
    const { client, lastHeaders, close } = await connect(h, { 'X-API-Key': sandbox });
    expect((await call(client, 'get_permit_status', { permit_number: FINALED })).structuredContent).toMatchObject({ source: 'cached' });
    expect(lastHeaders().get('x-sandbox-mode')).toBe('true');
    await close();
  });

  it('refuses an unknown or revoked key with 401 invalid_api_key before any MCP message', async () => {
    await expect(connect(h, { Authorization: 'Bearer pw_live_not_a_key' })).rejects.toMatchObject({
      code: 401,
      message: expect.stringContaining('invalid_api_key'),
    });
    const key = await h.key('pro');
    const { client, close } = await connect(h, { Authorization: `Bearer ${key}` });
    const id = (await listKeys(h.server.app.live.db)).find((k) => k.plan === 'pro')!.id;
    await revokeKey(h.server.app.live.db, id);
    await expect(call(client, 'list_jurisdictions')).rejects.toMatchObject({ code: 401, message: expect.stringContaining('revoked') });
    await close();
    await expect(connect(h, { Authorization: `Bearer ${key}` })).rejects.toMatchObject({ code: 401 });
    const raw = await h.post('/mcp', { jsonrpc: '2.0', id: 1, method: 'tools/list' }, key);
    expect(raw).toMatchObject({ status: 401, body: { error: 'invalid_api_key', message: 'API key has been revoked' } });
  });

  it('is stateless: GET and DELETE are 405; a message that is not JSON-RPC, or a batch, is a JSON-RPC error', async () => {
    const get = await h.get('/mcp', undefined, { accept: 'text/event-stream' });
    expect(get).toMatchObject({ status: 405, body: { jsonrpc: '2.0', error: { code: -32000 } } });
    expect(get.headers.get('allow')).toBe('POST');
    const bad = await h.post('/mcp', { hello: 'world' });
    expect(bad).toMatchObject({ status: 400, body: { jsonrpc: '2.0', error: { message: 'Parse error' } } });
    const list = { jsonrpc: '2.0', method: 'tools/list' };
    const batch = await h.post('/mcp', [
      { ...list, id: 1 },
      { ...list, id: 2 },
    ]);
    expect(batch).toMatchObject({ status: 400, body: { jsonrpc: '2.0', error: { code: -32600 } } });
  });
});
