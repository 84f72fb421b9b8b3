import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeKey, listKeys } from '../src/accounts/keys.ts';
import { LADBS_JURISDICTION } from '../src/jurisdictions/ladbs/jurisdiction.ts';
import { systemClock, type Clock } from '../src/lib/clock.ts';
import { startHarness, type Harness } from './harness.ts';

// A second catalog entry sharing LADBS's number format, so detection must ask which one.
const LOOKALIKE = { ...LADBS_JURISDICTION, slug: 'ladbs-mirror', display_name: 'LADBS mirror (test catalog entry)' };

// A real clock that a test can move forward (the politeness gate still waits in real time).
let offset = 0;
const clock: Clock = { now: () => Date.now() + offset, sleep: systemClock.sleep };

describe('every documented error key from a real request', () => {
  let h: Harness;
  let dev: string;
  beforeAll(async () => {
    h = await startHarness({ clock });
    dev = await h.key('developer');
  });
  afterAll(() => h.close());

  it('401 invalid_api_key for an unknown key, in either header form', async () => {
    const a = await h.get('/api/v1/permits/16041-10000-23545/status', 'sk_live_nope');
    expect(a).toMatchObject({ status: 401, body: { error: 'invalid_api_key' } });
    const b = await h.get('/api/v1/permits/16041-10000-23545/status', undefined, { authorization: 'Bearer sk_live_nope' });
    expect(b).toMatchObject({ status: 401, body: { error: 'invalid_api_key' } });
    const ok = await h.get('/api/v1/jurisdictions', undefined, { authorization: `Bearer ${dev}` });
    expect(ok.status).toBe(200);
  });

  it('answers CONNECT with a JSON 405 instead of dropping the connection', async () => {
    const { port } = new URL(h.server.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'));
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 405 Method Not Allowed/);
    expect(head).toMatch(/content-type: application\/json/i);
    expect(JSON.parse(body!)).toEqual({ error: 'method_not_allowed', message: expect.stringContaining('CONNECT') });
  });

  it('401 invalid_api_key for a revoked key', async () => {
    const key = await h.key('pro');
    expect((await h.get('/api/v1/jurisdictions', key)).status).toBe(200);
    const id = (await listKeys(h.server.app.live.db)).find((k) => k.plan === 'pro')!.id;
    await revokeKey(h.server.app.live.db, id);
    const res = await h.get('/api/v1/jurisdictions', key);
    expect(res).toMatchObject({ status: 401, body: { error: 'invalid_api_key', message: 'API key has been revoked' } });
  });

  it('404 permit_not_found when the portal has no such permit', async () => {
    const res = await h.get('/api/v1/permits/99999-10000-00001/status', dev);
    expect(res).toMatchObject({ status: 404, body: { error: 'permit_not_found', jurisdiction: 'ladbs' } });
  });

  it('404 jurisdiction_not_supported for an unknown format or slug', async () => {
    expect(await h.get('/api/v1/permits/XYZ-1/status', dev)).toMatchObject({ status: 404, body: { error: 'jurisdiction_not_supported' } });
    expect(await h.get('/api/v1/permits/16041-10000-23545/status?jurisdiction=aca:nowhere', dev)).toMatchObject({
      status: 404,
      body: { error: 'jurisdiction_not_supported' },
    });
  });

  it('300 multiple_jurisdictions for a number two real Accela agencies share', async () => {
    const res = await h.get('/api/v1/permits/BLD26-02789/status', dev);
    expect(res.status).toBe(300);
    expect(res.body).toMatchObject({
      error: 'multiple_jurisdictions',
      candidates: [{ slug: 'aca:boise' }, { slug: 'aca:cosp' }],
      example: '/api/v1/permits/BLD26-02789/status?jurisdiction=aca:boise',
    });
  });

  it('400 invalid_permit_number and invalid_request for bad input, never a 500', async () => {
    expect(await h.get(`/api/v1/permits/${encodeURIComponent('<script>')}/status`, dev)).toMatchObject({
      status: 400,
      body: { error: 'invalid_permit_number' },
    });
    expect(await h.get(`/api/v1/permits/${'1'.repeat(65)}/status`, dev)).toMatchObject({
      status: 400,
      body: { error: 'invalid_permit_number' },
    });
    const bad = await h.get('/api/v1/permits/16041-10000-23545/status?force_refresh=maybe', dev);
    expect(bad).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(bad.body.message).toContain('force_refresh');
    const long = await h.get(`/api/v1/permits/16041-10000-23545/status?x=${'a'.repeat(3000)}`, dev);
    expect(long).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await h.get('/api/v1/nope', dev)).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });

  it('reads a boolean query parameter in any case of true/false/1/0 (Python sends True)', async () => {
    const key = await h.key('developer');
    const status = (q: string) => h.get(`/api/v1/permits/16041-10000-23545/status?force_refresh=${q}`, key);
    expect(await status('True')).toMatchObject({ status: 200, body: { source: 'live' } });
    expect(await status('FALSE')).toMatchObject({ status: 200, body: { source: 'cached' } });
    expect(await status('0')).toMatchObject({ status: 200, body: { source: 'cached' } });
    expect(await status('1')).toMatchObject({ status: 200, body: { source: 'live' } });
    const bad = await status('yes');
    expect(bad).toMatchObject({ status: 400, body: { error: 'invalid_request', message: 'force_refresh: expected true, false, 1 or 0' } });
  });

  it('403 force_refresh_not_available on the free plan', async () => {
    const free = await h.key('free');
    const res = await h.get('/api/v1/permits/16041-10000-23545/status?force_refresh=true', free);
    expect(res).toMatchObject({ status: 403, body: { error: 'force_refresh_not_available' } });
    const plain = await h.get('/api/v1/permits/16041-10000-23545/status', free);
    expect(plain.body.data_freshness.refresh_available).toBe(false);
  });

  it('503 jurisdiction_unavailable with retry_after_seconds when the portal is down, cached data still served', async () => {
    const pro = await h.key('pro');
    h.portal.setMode({ kind: 'fail', status: 503, retryAfter: '120' });
    try {
      const res = await h.get('/api/v1/permits/26030-10000-01235/status', pro);
      expect(res).toMatchObject({ status: 503, body: { error: 'jurisdiction_unavailable', cause: 'http_5xx', retry_after_seconds: 120 } });
      expect(res.body.message).toContain('(http_5xx)');
      expect(res.headers.get('retry-after')).toBe('120');
    } finally {
      h.portal.setMode({ kind: 'ok' });
    }
    // Known permit, portal down: the cached row with its true age, not an error.
    const checked = (await h.get('/api/v1/permits/16041-10000-23545/status', pro)).body.last_synced_at;
    offset += 2 * 3600 * 1000;
    h.portal.setMode({ kind: 'fail', status: 500 });
    try {
      const res = await h.get('/api/v1/permits/16041-10000-23545/status?force_refresh=true', pro);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ source: 'cached', data_freshness: { cached: true } });
      expect(res.body.stale_reason).toMatch(/portal/);
      // Its true age: two hours since it was last checked; the failed refresh moved nothing.
      expect(res.body.last_synced_at).toBe(checked);
      expect(res.body.data_freshness.age_seconds).toBeGreaterThanOrEqual(7200);
      expect(res.body.data_freshness.age_seconds).toBeLessThan(7210);
    } finally {
      h.portal.setMode({ kind: 'ok' });
    }
  });
});

describe('disambiguation', () => {
  let h: Harness;
  let dev: string;
  beforeAll(async () => {
    h = await startHarness({ jurisdictions: [LADBS_JURISDICTION, LOOKALIKE] });
    dev = await h.key('developer');
  });
  afterAll(() => h.close());

  it('300 multiple_jurisdictions with candidates, then resolves once known', async () => {
    const res = await h.get('/api/v1/permits/16041-10000-23545/status', dev);
    expect(res.status).toBe(300);
    expect(res.body).toEqual({
      error: 'multiple_jurisdictions',
      message: expect.any(String),
      candidates: [
        { slug: 'ladbs', display_name: 'LADBS (City of Los Angeles)' },
        { slug: 'ladbs-mirror', display_name: 'LADBS mirror (test catalog entry)' },
      ],
      example: '/api/v1/permits/16041-10000-23545/status?jurisdiction=ladbs',
    });
    expect((await h.get('/api/v1/permits/16041-10000-23545/status?jurisdiction=ladbs', dev)).status).toBe(200);
    const again = await h.get('/api/v1/permits/16041-10000-23545/status', dev);
    expect(again).toMatchObject({ status: 200, body: { jurisdiction: 'ladbs', source: 'cached' } });
  });
});

describe('demo mode', () => {
  it('serves the demo dataset without a key, and never mixes it with live data', async () => {
    const h = await startHarness();
    try {
      const res = await h.get('/api/v1/permits/16041-10000-23545/status');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-demo-mode')).toBe('true');
      expect(res.body).toMatchObject({ source: 'cached', data_freshness: { refresh_available: false } });
      const live = await h.server.app.live.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM events');
      expect(live!.n).toBe(0);
      const sandbox = await h.key('developer', { sandbox: true });
      const sb = await h.get('/api/v1/permits/26014-10000-00017/status', sandbox);
      expect(sb.headers.get('x-sandbox-mode')).toBe('true');
      expect(sb.body.source).toBe('cached');
      expect(h.portal.requests).toHaveLength(0);
    } finally {
      await h.close();
    }
  });

  it('answers 401 without a key when demo mode is off, but keeps /jurisdictions public', async () => {
    const h = await startHarness({ demo: false });
    try {
      expect(await h.get('/api/v1/permits/16041-10000-23545/status')).toMatchObject({ status: 401, body: { error: 'invalid_api_key' } });
      const j = await h.get('/api/v1/jurisdictions');
      expect(j.status).toBe(200);
      expect(j.body.jurisdictions.find((x: { slug: string }) => x.slug === 'ladbs')).toMatchObject({ active_permits_count: 0 });
    } finally {
      await h.close();
    }
  });
});
