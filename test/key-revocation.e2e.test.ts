import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../src/lib/clock.ts';
import { startReceiver, type Receiver } from '../src/testing/webhook-receiver.ts';
import { LADBS_SCRIPTED_PERMIT } from '../fixtures/ladbs/routes.ts';
import { revokeKey } from '../src/accounts/keys.ts';
import { observe } from '../src/ingest/observe.ts';
import { testRecord } from '../src/testing/test-record.ts';
import { markSeen } from '../src/webhooks/visibility.ts';
import { callApi, type Harness, ladbsRouteId, startHarness, until } from './harness.ts';

// Issue 16, defect 2: a revoked key's webhooks kept delivering, and its owner could no longer
// authenticate to stop them. Revoking a key disables its subscriptions in the same transaction,
// and a disabled subscription's pending deliveries are not sent.
let skewMs = 0;
const clock: Clock = { now: () => Date.now() + skewMs, sleep: systemClock.sleep };

describe('revoking a key stops its webhooks', () => {
  let h: Harness;
  let receiver: Receiver;
  let admin: string;
  beforeAll(async () => {
    h = await startHarness({ clock, env: { webhook_allow_private: true } });
    receiver = await startReceiver({ respond: () => 503 });
    admin = await h.key('enterprise', { permissions: ['read', 'write', 'admin'] });
  });
  afterAll(async () => {
    await h.close();
    await receiver.close();
  });

  const send = (method: string, path: string, key: string, body?: unknown) => callApi(h.server.url, method, path, key, body);

  it('disables a live key’s subscriptions; its pending retry and later events are not sent', async () => {
    const owner = await send('POST', '/api/v1/keys', admin, { name: 'owner', plan: 'developer', permissions: ['read', 'write'] });
    const { body: wh } = await send('POST', '/api/v1/webhooks', owner.body.key, {
      url: `${receiver.url}/revoked`,
      events: ['permit.created', 'status_change'],
    });
    const mine = () => receiver.received.filter((r) => r.body.includes(wh.webhook_id));
    h.portal.setVersion(ladbsRouteId(LADBS_SCRIPTED_PERMIT), 0);
    await send('GET', `/api/v1/permits/${LADBS_SCRIPTED_PERMIT}/status?force_refresh=true`, owner.body.key);
    // The first attempt fails (503): the delivery stays pending with a retry a minute later.
    expect(await until(mine, (r) => r.length >= 1)).toHaveLength(1);

    expect((await send('DELETE', `/api/v1/keys/${owner.body.id}`, admin)).status).toBe(200);
    const row = await h.server.app.live.db.get<{ is_active: number; disabled_reason: string }>(
      'SELECT is_active, disabled_reason FROM webhooks WHERE id = ?',
      [wh.webhook_id],
    );
    expect(row).toEqual({ is_active: 0, disabled_reason: expect.stringMatching(/^revoked: /) });

    // The permit the owner looked up changes (another key's lookup), and the retry falls due.
    h.portal.advance(ladbsRouteId(LADBS_SCRIPTED_PERMIT));
    expect((await send('GET', `/api/v1/permits/${LADBS_SCRIPTED_PERMIT}/status?force_refresh=true`, admin)).status).toBe(200);
    skewMs += 5 * 60_000;
    await new Promise((r) => setTimeout(r, 1_000));
    expect(mine()).toHaveLength(1);
    const deliveries = await h.server.app.live.db.all<{ event_type: string; status: string; attempts: number }>(
      'SELECT event_type, status, attempts FROM webhook_deliveries WHERE webhook_id = ?',
      [wh.webhook_id],
    );
    expect(deliveries).toEqual([{ event_type: 'permit.created', status: 'pending', attempts: 1 }]);
    expect(await send('GET', '/api/v1/webhooks', owner.body.key)).toMatchObject({ status: 401 });
  });

  it('disables a sandbox key’s subscriptions in the demo plane', async () => {
    const owner = await send('POST', '/api/v1/keys', admin, {
      name: 'sandbox owner',
      plan: 'developer',
      permissions: ['read', 'write'],
      sandbox: true,
    });
    const { body: wh } = await send('POST', '/api/v1/webhooks', owner.body.key, {
      url: `${receiver.url}/sandbox`,
      events: ['status_change'],
    });
    expect(wh.is_active).toBe(true);
    expect((await send('DELETE', `/api/v1/keys/${owner.body.id}`, admin)).status).toBe(200);
    const row = await h.server.app.demo!.db.get<{ is_active: number; disabled_reason: string }>(
      'SELECT is_active, disabled_reason FROM webhooks WHERE id = ?',
      [wh.webhook_id],
    );
    expect(row).toEqual({ is_active: 0, disabled_reason: expect.stringMatching(/^revoked: /) });
  });

  it('sends nothing for a sandbox key revoked while its demo subscriptions stayed on (a crash between the two databases)', async () => {
    const owner = await send('POST', '/api/v1/keys', admin, {
      name: 'crashed',
      plan: 'developer',
      permissions: ['read', 'write'],
      sandbox: true,
    });
    const { body: wh } = await send('POST', '/api/v1/webhooks', owner.body.key, {
      url: `${receiver.url}/crash-gap`,
      events: ['permit.created'],
    });
    // The revocation commits in the accounts (live) database only: what a crash before the demo
    // database's update leaves, or `keys revoke` run with the demo plane off. The server is down
    // meanwhile (restarted after).
    expect(await revokeKey(h.server.app.live.db, owner.body.id, new Date(clock.now()))).toMatchObject({ ok: true });
    await h.restart();
    const demo = h.server.app.demo!;
    expect(await demo.db.get('SELECT is_active FROM webhooks WHERE id = ?', [wh.webhook_id])).toEqual({ is_active: 1 });

    // A new permit the sandbox key looked up appears in the demo plane: a delivery is enqueued.
    const at = new Date(clock.now()).toISOString();
    const record = testRecord({ permit_number: '16041-10000-99901' });
    await markSeen(demo.db, owner.body.id, `permit/${record.jurisdiction}/${record.permit_number}`, 'lookup', at);
    const observed = await observe(demo.db, demo.projector, {
      record,
      source: 'portal',
      source_url: 'https://example.invalid',
      meta: { adapter: 'ladbs', adapter_version: '1', request_id: null, fetch_ms: 1 },
      observedAt: at,
    });
    expect(observed.ok).toBe(true);
    demo.dispatcher.wake();

    // The dispatcher asks the accounts database before sending, finds the key revoked, and turns
    // the subscription off instead.
    const sub = await until(
      () =>
        demo.db.get<{ is_active: number; disabled_reason: string | null }>('SELECT is_active, disabled_reason FROM webhooks WHERE id = ?', [
          wh.webhook_id,
        ]),
      (r) => r?.is_active === 0,
    );
    expect(sub).toEqual({ is_active: 0, disabled_reason: expect.stringMatching(/^revoked: /) });
    // The claimed row is handed back unsent in the dispatcher's next write.
    const deliveries = await until(
      () =>
        demo.db.all<{ lease_owner: string | null }>('SELECT status, attempts, lease_owner FROM webhook_deliveries WHERE webhook_id = ?', [
          wh.webhook_id,
        ]),
      (rows) => rows.every((r) => r.lease_owner === null),
    );
    expect(deliveries).toEqual([{ status: 'pending', attempts: 0, lease_owner: null }]);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received.filter((r) => r.body.includes(wh.webhook_id))).toHaveLength(0);
  });
});
