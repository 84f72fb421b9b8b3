import crypto from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LADBS_SCRIPTED_PERMIT } from '../fixtures/ladbs/routes.ts';
import { startReceiver, type Receiver } from '../src/testing/webhook-receiver.ts';
import { ladbsRouteId, startHarness, until, type Harness } from './harness.ts';

/** The reference's receiver code (reference/signedoff-api.txt), verbatim. */
function verifySignature(rawBody: Buffer, secret: string, headerSig: string) {
  const expected = crypto.createHmac('sha256', secret).update(rawBody).digest('hex');
  return crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(headerSig));
}

let h: Harness;
let receiver: Receiver;
let writer: string;
let reader: string;
let other: string;
let status = 200;

beforeAll(async () => {
  h = await startHarness({ env: { webhook_allow_private: true } });
  receiver = await startReceiver({ respond: () => status });
  writer = await h.key('developer', { permissions: ['read', 'write'] });
  reader = await h.key('developer', { permissions: ['read'] });
  other = await h.key('developer', { permissions: ['read', 'write', 'admin'] });
});
afterAll(async () => {
  await h.close();
  await receiver.close();
});

async function call(method: string, path: string, key: string | undefined, body?: unknown) {
  const res = await fetch(`${h.server.url}${path}`, {
    method,
    headers: { ...(key ? { 'x-api-key': key } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

describe('webhook subscriptions API', () => {
  it('registers with the reference body, shows the secret once, lists without it', async () => {
    const created = await call('POST', '/api/v1/webhooks', writer, {
      url: `${receiver.url}/a`,
      events: ['status_change', 'permit_approved'],
      jurisdiction_filter: ['ladbs'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      url: `${receiver.url}/a`,
      events: ['status_change', 'permit_approved'],
      jurisdiction_filter: ['ladbs'],
      is_active: true,
      last_triggered_at: null,
      consecutive_failures: 0,
      warning: 'Store the secret securely. It will not be shown again.',
    });
    expect(created.body.secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    const list = await call('GET', '/api/v1/webhooks', writer);
    const listed = list.body.webhooks.find((w: { webhook_id: string }) => w.webhook_id === created.body.webhook_id);
    expect(listed).toBeDefined();
    expect(listed.secret).toBeUndefined();
    // Scoped to the key: another key sees nothing and gets 404 for the id.
    expect(
      (await call('GET', '/api/v1/webhooks', other)).body.webhooks.some(
        (w: { webhook_id: string }) => w.webhook_id === created.body.webhook_id,
      ),
    ).toBe(false);
    expect(await call('GET', `/api/v1/webhooks/${created.body.webhook_id}`, other)).toMatchObject({
      status: 404,
      body: { error: 'webhook_not_found' },
    });
    expect(await call('DELETE', `/api/v1/webhooks/${created.body.webhook_id}`, other)).toMatchObject({ status: 404 });
  });

  it('answers bad input with 400 naming the field, a read key with 403, no key with 401', async () => {
    const bad = async (body: unknown) => (await call('POST', '/api/v1/webhooks', writer, body)).body;
    expect(await bad({ url: 'not a url', events: ['status_change'] })).toMatchObject({
      error: 'invalid_request',
      message: expect.stringContaining('url'),
    });
    expect(await bad({ url: `${receiver.url}/x`, events: ['permit_teleported'] })).toMatchObject({
      error: 'invalid_request',
      message: expect.stringContaining('events.0'),
    });
    expect(await bad({ url: `${receiver.url}/x`, events: [] })).toMatchObject({
      error: 'invalid_request',
      message: expect.stringContaining('events'),
    });
    expect(await bad({ url: `${receiver.url}/x`, jurisdiction_filter: ['nowhere'] })).toMatchObject({
      message: expect.stringContaining('jurisdiction_filter'),
    });
    expect(await bad({ url: `${receiver.url}/x`, zip_code: '9003' })).toMatchObject({ message: expect.stringContaining('zip_code') });
    expect(await bad({ url: `${receiver.url}/x`, category: 'spaceport' })).toMatchObject({ message: expect.stringContaining('category') });
    expect(await bad({ url: `${receiver.url}/x`, colour: 'red' })).toMatchObject({ error: 'invalid_request' });
    for (const near of [{ lat: 91, lng: 0, radius_m: 10 }, { lat: 34, lng: -118, radius_m: 0 }, { lat: 34, lng: -118, radius_m: 200_000 }, { lat: 34, lng: -118 }]) {
      expect(await bad({ url: `${receiver.url}/x`, near })).toMatchObject({ error: 'invalid_request', message: expect.stringContaining('near') });
    }
    const near = { lat: 41.88, lng: -87.63, radius_m: 2_500 };
    const nearby = await call('POST', '/api/v1/webhooks', writer, { url: `${receiver.url}/near`, near });
    expect(nearby).toMatchObject({ status: 201, body: { near } });
    const cleared = await call('PATCH', `/api/v1/webhooks/${nearby.body.webhook_id}`, writer, { near: null, is_active: false });
    expect(cleared).toMatchObject({ status: 200, body: { near: null } });
    expect((await call('POST', '/api/v1/webhooks', writer, '{"url":')).status).toBe(400);
    expect(await call('POST', '/api/v1/webhooks', reader, { url: `${receiver.url}/x` })).toMatchObject({
      status: 403,
      body: { error: 'insufficient_permissions' },
    });
    expect(await call('GET', '/api/v1/webhooks', undefined)).toMatchObject({ status: 401, body: { error: 'invalid_api_key' } });
    expect(await call('GET', '/api/v1/webhooks/nope/deliveries?limit=500', writer)).toMatchObject({ status: 400 });
  });

  it('PATCHes fields, re-validates the URL, soft-deletes with DELETE', async () => {
    const { body: wh } = await call('POST', '/api/v1/webhooks', writer, { url: `${receiver.url}/p`, city: 'Los Angeles', state: 'ca' });
    expect(wh).toMatchObject({ events: ['permit.created'], city: 'Los Angeles', state: 'CA' });
    const patched = await call('PATCH', `/api/v1/webhooks/${wh.webhook_id}`, writer, {
      events: ['status_change', 'inspection_complete'],
      city: null,
    });
    expect(patched.body).toMatchObject({ events: ['status_change', 'inspection_complete'], city: null, state: 'CA' });
    expect(await call('PATCH', `/api/v1/webhooks/${wh.webhook_id}`, writer, { url: 'ftp://x' })).toMatchObject({ status: 400 });
    expect(await call('PATCH', `/api/v1/webhooks/${wh.webhook_id}`, writer, {})).toMatchObject({ status: 400 });
    expect(await call('DELETE', `/api/v1/webhooks/${wh.webhook_id}`, writer)).toEqual({
      status: 200,
      body: { status: 'deactivated', webhook_id: wh.webhook_id },
    });
    expect((await call('GET', `/api/v1/webhooks/${wh.webhook_id}`, writer)).body).toMatchObject({
      is_active: false,
      disabled_reason: 'deleted by its owner',
    });
  });
});

describe('deliveries from a scripted status change', () => {
  it('delivers status_change and permit_approved, signed so both the reference code and standardwebhooks verify', async () => {
    const { body: wh } = await call('POST', '/api/v1/webhooks', writer, {
      url: `${receiver.url}/live`,
      events: ['status_change', 'permit_approved', 'permit.created'],
    });
    h.portal.setVersion(ladbsRouteId(LADBS_SCRIPTED_PERMIT), 0);
    await call('GET', `/api/v1/permits/${LADBS_SCRIPTED_PERMIT}/status?force_refresh=true`, writer);
    h.portal.advance(ladbsRouteId(LADBS_SCRIPTED_PERMIT));
    await call('GET', `/api/v1/permits/${LADBS_SCRIPTED_PERMIT}/status?force_refresh=true`, writer);
    const mine = () => receiver.received.filter((r) => r.body.includes(wh.webhook_id));
    const got = await until(mine, (r) => r.length >= 3);
    const events = got.map((r) => r.event);
    expect(events).toContain('status_change');
    expect(events).toContain('permit_approved');
    for (const r of got) {
      expect(verifySignature(Buffer.from(r.body), wh.secret, r.headers['x-signedoff-signature']!)).toBe(true);
      expect(() => new Webhook(wh.secret).verify(r.body, r.headers)).not.toThrow();
      expect(r.headers['x-permitwatch-delivery-id']).toBe(r.id);
    }
    const change = JSON.parse(got.find((r) => r.event === 'status_change')!.body);
    expect(change).toMatchObject({
      event: 'status_change',
      permit_number: LADBS_SCRIPTED_PERMIT,
      jurisdiction: 'ladbs',
      jurisdiction_display: 'LADBS (City of Los Angeles)',
      data: { new_portal_status: 'Issued on 3/10/2026', old_portal_status: 'Quality Review Completed on 2/12/2026' },
      stream: `permit/ladbs/${LADBS_SCRIPTED_PERMIT}`,
      version: 2,
      delivery_id: expect.any(String),
      webhook_id: wh.webhook_id,
    });
    const log = await until(
      () => call('GET', `/api/v1/webhooks/${wh.webhook_id}/deliveries?limit=5`, writer),
      (r) => r.body.deliveries.every((d: { status: string }) => d.status === 'delivered'),
    );
    expect(log.body.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 1, last_status_code: 200 });
    expect(log.body.deliveries.map((d: { id: string }) => d.id).sort()).toEqual(got.map((r) => r.id).sort());
    // Manual retry: same id, same body, delivered again.
    const target = log.body.deliveries[0];
    const retried = await call('POST', `/api/v1/webhooks/${wh.webhook_id}/deliveries/${target.id}/retry`, writer);
    expect(retried).toMatchObject({ status: 202, body: { status: 'queued', delivery: { id: target.id, status: 'pending' } } });
    const again = await until(
      () => receiver.received.filter((r) => r.id === target.id),
      (r) => r.length === 2,
    );
    expect(again[1]!.body).toBe(again[0]!.body);
    expect(await call('POST', `/api/v1/webhooks/${wh.webhook_id}/deliveries/not-a-delivery/retry`, writer)).toMatchObject({
      status: 404,
      body: { error: 'delivery_not_found' },
    });
    const metrics = await (await fetch(`${h.server.url}/metrics`)).text();
    expect(metrics).toMatch(/permitwatch_webhook_attempts_total\{plane="live",outcome="delivered"\} [1-9]/);
  });

  it('keeps failing deliveries and delivers them once the receiver recovers', async () => {
    status = 500;
    const { body: wh } = await call('POST', '/api/v1/webhooks', writer, { url: `${receiver.url}/flaky`, events: ['permit.created'] });
    await call('GET', '/api/v1/permits/26030-10000-01235/status?force_refresh=true', writer);
    const failed = await until(
      () => call('GET', `/api/v1/webhooks/${wh.webhook_id}/deliveries`, writer),
      (r) => r.body.deliveries[0]?.attempts >= 1,
    );
    expect(failed.body.deliveries[0]).toMatchObject({ status: 'pending', last_error: 'HTTP 500', attempt_log: [{ status_code: 500 }] });
    expect(failed.body.deliveries[0].next_attempt_at).not.toBeNull();
    status = 200;
    await call('POST', `/api/v1/webhooks/${wh.webhook_id}/deliveries/${failed.body.deliveries[0].id}/retry`, writer);
    const ok = await until(
      () => call('GET', `/api/v1/webhooks/${wh.webhook_id}/deliveries`, writer),
      (r) => r.body.deliveries[0]?.status === 'delivered',
    );
    expect(ok.body.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 2 });
  });
});

describe('receiver tools', () => {
  it('test pings with event "test"; a transport failure has status_code null', async () => {
    const { body: wh } = await call('POST', '/api/v1/webhooks', writer, { url: `${receiver.url}/t`, events: ['status_change'] });
    const ok = await call('POST', `/api/v1/webhooks/${wh.webhook_id}/test`, writer);
    expect(ok.body).toMatchObject({ success: true, status_code: 200, error: null });
    const ping = receiver.received.find((r) => r.id === ok.body.delivery_id)!;
    expect(JSON.parse(ping.body)).toMatchObject({ event: 'test', webhook_id: wh.webhook_id });
    expect(verifySignature(Buffer.from(ping.body), wh.secret, ping.headers['x-signedoff-signature']!)).toBe(true);

    const dead = await startReceiver();
    const deadUrl = `${dead.url}/gone`;
    await dead.close();
    await call('PATCH', `/api/v1/webhooks/${wh.webhook_id}`, writer, { url: deadUrl });
    const down = await call('POST', `/api/v1/webhooks/${wh.webhook_id}/test`, writer);
    // A word, not the socket's error (ECONNREFUSED 127.0.0.1:port would scan ports: issue 16).
    expect(down.body).toEqual({ success: false, status_code: null, error: 'connection_failed', delivery_id: expect.any(String) });
    const sim = await call('POST', `/api/v1/webhooks/${wh.webhook_id}/simulate`, writer, { event: 'permit_approved' });
    expect(sim.body).toMatchObject({ ok: true, delivery: { status_code: 0, error: 'connection_failed' } });
    // TLS to a plain-HTTP listener fails the handshake: tls_error, without OpenSSL's words.
    await call('PATCH', `/api/v1/webhooks/${wh.webhook_id}`, writer, { url: `https://127.0.0.1:${receiver.port}/t` });
    const tls = await call('POST', `/api/v1/webhooks/${wh.webhook_id}/test`, writer);
    expect(tls.body).toMatchObject({ success: false, status_code: null, error: 'tls_error' });
    // A receiver's non-2xx is `HTTP <code>`, not its body.
    status = 500;
    await call('PATCH', `/api/v1/webhooks/${wh.webhook_id}`, writer, { url: `${receiver.url}/t` });
    expect((await call('POST', `/api/v1/webhooks/${wh.webhook_id}/test`, writer)).body).toMatchObject({ success: false, status_code: 500, error: 'HTTP 500' });
    status = 200;
  });

  it('simulate sends a canonical payload with live headers plus X-SignedOff-Test', async () => {
    const { body: wh } = await call('POST', '/api/v1/webhooks', writer, { url: `${receiver.url}/s`, events: ['status_change'] });
    const res = await call('POST', `/api/v1/webhooks/${wh.webhook_id}/simulate`, writer, { event: 'inspection_complete' });
    expect(res.body).toMatchObject({ ok: true, delivery: { status_code: 200, body_preview: 'OK' } });
    const got = receiver.received.find((r) => r.id === res.body.delivery.delivery_id)!;
    expect(got.headers['x-signedoff-test']).toBe('true');
    expect(got.headers['x-signedoff-event']).toBe('inspection_complete');
    expect(JSON.parse(got.body)).toMatchObject({
      event: 'inspection_complete',
      permit_number: '26014-10000-00017',
      data: { inspection: { type: 'Foundation' } },
    });
    const noBody = await call('POST', `/api/v1/webhooks/${wh.webhook_id}/simulate`, writer);
    expect(noBody.body.delivery.event).toBe('status_change');
    expect(await call('POST', `/api/v1/webhooks/${wh.webhook_id}/simulate`, writer, { event: 'nope' })).toMatchObject({ status: 400 });
  });

  it('rotate-secret returns the new secret once; during the overlap both secrets verify', async () => {
    const { body: wh } = await call('POST', '/api/v1/webhooks', writer, { url: `${receiver.url}/r`, events: ['status_change'] });
    const rotated = await call('POST', `/api/v1/webhooks/${wh.webhook_id}/rotate-secret`, writer);
    expect(rotated.body).toMatchObject({
      webhook_id: wh.webhook_id,
      secret: expect.stringMatching(/^whsec_/),
      warning: expect.any(String),
    });
    expect(rotated.body.secret).not.toBe(wh.secret);
    expect(rotated.body.previous_secret_valid_until).not.toBeNull();
    const ping = await call('POST', `/api/v1/webhooks/${wh.webhook_id}/test`, writer);
    const got = receiver.received.find((r) => r.id === ping.body.delivery_id)!;
    expect(() => new Webhook(rotated.body.secret).verify(got.body, got.headers)).not.toThrow();
    expect(() => new Webhook(wh.secret).verify(got.body, got.headers)).not.toThrow();
    expect(verifySignature(Buffer.from(got.body), rotated.body.secret, got.headers['x-signedoff-signature']!)).toBe(true);
    expect(verifySignature(Buffer.from(got.body), wh.secret, got.headers['x-signedoff-signature-previous']!)).toBe(true);
    // The recovery path (PermitStack's GET /{id}/secret) needs write (the owner) or admin.
    expect(await call('GET', `/api/v1/webhooks/${wh.webhook_id}/secret`, reader)).toMatchObject({ status: 403 });
  });
});

describe('target guard on a production-configured server', () => {
  it('refuses http and loopback targets at registration', async () => {
    // hooks.example.com resolves through a stand-in for DNS: no test touches the network.
    const prod = await startHarness({ demo: false, webhookResolve: async () => [{ address: '93.184.215.14', family: 4 }] });
    try {
      const key = await prod.key('developer', { permissions: ['read', 'write'] });
      const post = (url: string) => prod.post('/api/v1/webhooks', { url }, key);
      expect((await post(`${receiver.url}/x`)).body).toMatchObject({ error: 'invalid_request', message: expect.stringContaining('https') });
      // The refusal names the setting a local walkthrough needs (issue 21, defect 10).
      expect((await post(`${receiver.url}/x`)).body.message).toContain('PERMITWATCH_WEBHOOK_ALLOW_PRIVATE=true');
      expect((await post('https://127.0.0.1/x')).body).toMatchObject({
        error: 'invalid_request',
        message: expect.stringContaining('loopback'),
      });
      expect((await post('https://169.254.169.254/latest/meta-data')).body).toMatchObject({
        message: expect.stringContaining('linkLocal'),
      });
      expect((await post('https://localhost/x')).status).toBe(400);
      expect((await post('https://hooks.example.com/in')).status).toBe(201);
    } finally {
      await prod.close();
    }
  });
});
