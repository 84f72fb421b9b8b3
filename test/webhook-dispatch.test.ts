import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPlaneProjector, openDatabase } from '../src/app.ts';
import type { Db } from '../src/db/db.ts';
import { createCatalog } from '../src/jurisdictions/catalog.ts';
import { createManualClock, type ManualClock } from '../src/lib/manual-clock.ts';
import { observe } from '../src/ingest/observe.ts';
import type { PermitRecord } from '../src/permits/record.ts';
import { testRecord } from '../src/testing/test-record.ts';
import type { Projector } from '../src/projections/projector.ts';
import { listDeliveries } from '../src/webhooks/deliveries.ts';
import { ATTEMPT_SHARE_OF_LEASE, createDispatcher, type Dispatcher } from '../src/webhooks/dispatcher.ts';
import { DEFAULT_MAX_CONSECUTIVE_FAILURES } from '../src/webhooks/schedule.ts';
import type { WebhookEvent } from '../src/webhooks/events.ts';
import { createDeliveryAgent } from '../src/webhooks/post.ts';
import { startReceiver, type Receiver } from '../src/testing/webhook-receiver.ts';
import { markSeen } from '../src/webhooks/visibility.ts';
import {
  createSubscription,
  disableKeySubscriptions,
  findSubscription,
  updateSubscription,
  type Subscription,
} from '../src/webhooks/subscriptions.ts';

const T0 = Date.UTC(2026, 11, 4, 9, 0, 0);
const meta = { adapter: 'ladbs', adapter_version: '1', request_id: null, fetch_ms: 1 };
const agent = createDeliveryAgent({ allowPrivate: true });

let dir: string;
let db: Db;
let projector: Projector;
let clock: ManualClock;
let receiver: Receiver;
let status = 200;
let extraHeaders: Record<string, string> = {};

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pw-dispatch-'));
  db = await openDatabase(`file:${join(dir, 'live.db')}`);
  projector = createPlaneProjector(createCatalog());
  clock = createManualClock(T0);
  status = 200;
  extraHeaders = {};
  receiver = await startReceiver({ respond: () => ({ status, headers: extraHeaders }) });
});
afterEach(async () => {
  await receiver.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

function dispatcher(options: { schedule?: number[]; maxConsecutiveFailures?: number; workerId?: string } = {}): Dispatcher {
  return createDispatcher({
    db,
    clock,
    agent,
    log: pino({ level: 'silent' }),
    schedule: options.schedule ?? [0, 60, 600],
    rng: () => 0.5,
    ...options,
  });
}

async function subscribe(events: WebhookEvent[], filters: Partial<Subscription> = {}): Promise<Subscription> {
  return createSubscription(
    db,
    {
      key_id: 'key_1',
      url: `${receiver.url}/hook`,
      events,
      jurisdiction_filter: null,
      city: null,
      state: null,
      category: null,
      zip_code: null,
      ...filters,
    },
    new Date(clock.now()),
  );
}

/** Observes a permit that key_1 (every subscription's key here) has looked up, as the API records it. */
async function see(record: PermitRecord) {
  await markSeen(db, 'key_1', `permit/${record.jurisdiction}/${record.permit_number}`, 'lookup', new Date(clock.now()).toISOString());
  const result = await observe(db, projector, {
    record,
    source: 'portal',
    source_url: 'https://example.invalid',
    meta,
    observedAt: new Date(clock.now()).toISOString(),
  });
  expect(result.ok).toBe(true);
}

const planCheck = (n = '16041-10000-23545') =>
  testRecord({
    permit_number: n,
    portal_status: 'Plan Check in Progress',
    status: 'Plan Check in Progress',
    status_phase: 'in_review',
    dates: { issued: null },
  });
const issued = (n = '16041-10000-23545') => testRecord({ permit_number: n });

describe('the outbox and dispatcher', () => {
  it('enqueues each matching change once, in the transaction of its event, and delivers the exact stored body', async () => {
    const sub = await subscribe(['status_change', 'permit_approved']);
    await see(planCheck());
    await see(planCheck()); // unchanged: no event, no delivery
    await see(issued());
    const queued = await listDeliveries(db, sub.id, { limit: 10 });
    expect(queued.map((d) => [d.event_type, d.status, d.stream_version])).toEqual([
      ['permit_approved', 'pending', 2],
      ['status_change', 'pending', 2],
    ]);
    // One permit's deliveries go one at a time, in log order: a round takes the earliest.
    const d = dispatcher();
    expect(await d.runOnce()).toBe(1);
    expect(await d.runOnce()).toBe(1);
    expect(receiver.received.map((r) => r.event)).toEqual(['status_change', 'permit_approved']);
    const stored = await listDeliveries(db, sub.id, { limit: 10 });
    for (const r of receiver.received) {
      const row = stored.find((d) => d.id === r.id)!;
      expect(JSON.parse(r.body)).toEqual(row.payload);
      expect(r.headers['x-signedoff-event']).toBe(row.event_type);
    }
    expect(stored.every((d) => d.status === 'delivered' && d.attempts === 1)).toBe(true);
    expect((await findSubscription(db, sub.id))!.last_triggered_at).toBe(new Date(T0).toISOString());
  });

  it('retries on the schedule, honouring Retry-After, and delivers once the receiver recovers', async () => {
    const sub = await subscribe(['permit.created']);
    await see(issued());
    const d = dispatcher();
    status = 500;
    expect(await d.runOnce()).toBe(1);
    let [row] = await listDeliveries(db, sub.id, { limit: 1 });
    expect(row).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_status_code: 500,
      last_error: 'HTTP 500',
      next_attempt_at: new Date(T0 + 60_000).toISOString(),
    });
    await clock.advance(59_999);
    expect(await d.runOnce()).toBe(0);
    await clock.advance(1);
    status = 503;
    extraHeaders = { 'retry-after': '1200' };
    expect(await d.runOnce()).toBe(1);
    [row] = await listDeliveries(db, sub.id, { limit: 1 });
    expect(row!.next_attempt_at).toBe(new Date(T0 + 60_000 + 1_200_000).toISOString());
    await clock.advance(1_200_000);
    status = 200;
    expect(await d.runOnce()).toBe(1);
    [row] = await listDeliveries(db, sub.id, { limit: 1 });
    expect(row).toMatchObject({ status: 'delivered', attempts: 3, last_error: null });
    expect(row!.attempt_log.map((a) => a.status_code)).toEqual([200, 503, 500]);
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(1);
  });

  it('marks a delivery dead after the last attempt; 10 dead in a row disable the subscription, whose new deliveries wait and drain on re-enable', async () => {
    const sub = await subscribe(['permit.created']);
    const d = dispatcher({ schedule: [0] }); // default limit: DEFAULT_MAX_CONSECUTIVE_FAILURES
    status = 500;
    for (let i = 1; i <= DEFAULT_MAX_CONSECUTIVE_FAILURES; i++) await see(issued(`16041-10000-${String(i).padStart(5, '0')}`));
    expect(await d.runOnce()).toBe(DEFAULT_MAX_CONSECUTIVE_FAILURES);
    const dead = await listDeliveries(db, sub.id, { limit: 20 });
    expect(dead.map((x) => x.status)).toEqual(Array(DEFAULT_MAX_CONSECUTIVE_FAILURES).fill('dead'));
    const disabled = (await findSubscription(db, sub.id))!;
    expect(disabled).toMatchObject({ is_active: false, disabled_by: 'failures', consecutive_failures: 10 });
    expect(disabled.disabled_reason).toMatch(/10 consecutive failed deliveries; last: HTTP 500/);

    status = 200;
    await see(issued('16041-10000-00100'));
    await see(issued('16041-10000-00101'));
    expect(await d.runOnce()).toBe(0); // kept, not sent, not dropped
    expect((await listDeliveries(db, sub.id, { limit: 20, status: 'pending' })).length).toBe(2);
    await updateSubscription(db, disabled, { is_active: true }, new Date(clock.now()));
    expect(await d.runOnce()).toBe(2);
    expect((await findSubscription(db, sub.id))!).toMatchObject({ is_active: true, consecutive_failures: 0 });
  });

  it('does not send a claimed row whose subscription another process disabled before the send; re-enabled, the same worker sends it', async () => {
    const sub = await subscribe(['permit.created']);
    await see(issued());
    // Another connection to the same file stands for another process (the CLI, a second server).
    const other = await openDatabase(`file:${join(dir, 'live.db')}`);
    let raced = false;
    // The dispatcher's database, with the other process committing just before the re-check the
    // dispatcher makes before sending (after its claim): the gap this test is about.
    const racing = new Proxy(db, {
      get(target, prop) {
        if (prop === 'get') {
          return async (sql: string, params?: Parameters<Db['get']>[1]) => {
            if (!raced && sql.startsWith('SELECT is_active FROM webhooks')) {
              raced = true;
              await updateSubscription(other, sub, { is_active: false }, new Date(clock.now()));
            }
            return target.get(sql, params);
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    try {
      const d = createDispatcher({ db: racing, clock, agent, log: pino({ level: 'silent' }), schedule: [0, 60] });
      expect(await d.runOnce()).toBe(0);
      expect(raced).toBe(true);
      expect(receiver.received).toHaveLength(0);
      const unsent = await db.get<{ attempts: number; status: string; lease_owner: string | null }>(
        'SELECT attempts, status, lease_owner FROM webhook_deliveries WHERE webhook_id = ?',
        [sub.id],
      );
      expect(unsent).toEqual({ attempts: 0, status: 'pending', lease_owner: null });
      await updateSubscription(db, (await findSubscription(db, sub.id))!, { is_active: true }, new Date(clock.now()));
      expect(await d.runOnce()).toBe(1);
      expect(receiver.received).toHaveLength(1);
      expect((await listDeliveries(db, sub.id, { limit: 1 }))[0]).toMatchObject({ status: 'delivered', attempts: 1 });
    } finally {
      await other.close();
    }
  });

  it('does not send rows of a subscription disabled mid-round (its key revoked while earlier rows were in flight)', async () => {
    let revoked: Promise<number> | undefined;
    const slow = await startReceiver({
      onDelivery: () => {
        revoked ??= disableKeySubscriptions(db, 'key_1', new Date(clock.now()));
      },
    });
    try {
      const sub = await subscribe(['permit.created'], { url: `${slow.url}/hook` });
      const permits = 80; // more rows than one round has lanes, so some wait for a free lane
      for (let i = 1; i <= permits; i++) await see(issued(`16041-10000-${String(i).padStart(5, '0')}`));
      await dispatcher().runOnce();
      expect(await revoked).toBe(1);
      expect(slow.received.length).toBeLessThan(permits);
      const pending = await listDeliveries(db, sub.id, { limit: 100, status: 'pending' });
      expect(pending).toHaveLength(permits - slow.received.length);
      expect(pending.every((d) => d.attempts === 0)).toBe(true);
      expect(await dispatcher().runOnce()).toBe(0);
    } finally {
      await slow.close();
    }
  });

  it('refuses a loopback target at delivery time when private targets are not allowed, and records why', async () => {
    const sub = await subscribe(['permit.created']);
    await see(issued());
    const guarded = createDeliveryAgent({ allowPrivate: false });
    const d = createDispatcher({ db, clock, agent: guarded, log: pino({ level: 'silent' }), schedule: [0, 60], rng: () => 0.5 });
    expect(await d.runOnce()).toBe(1);
    expect(receiver.received).toHaveLength(0);
    const [row] = await listDeliveries(db, sub.id, { limit: 1 });
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null });
    expect(row!.last_error).toBe('target_blocked');
    await guarded.close();
  });

  it('a success resets the consecutive failure count', async () => {
    const sub = await subscribe(['permit.created']);
    const d = dispatcher({ schedule: [0], maxConsecutiveFailures: 2 });
    status = 500;
    await see(issued('16041-10000-00001'));
    await d.runOnce();
    status = 200;
    await see(issued('16041-10000-00002'));
    await d.runOnce();
    status = 500;
    await see(issued('16041-10000-00003'));
    await d.runOnce();
    expect((await findSubscription(db, sub.id))!).toMatchObject({ is_active: true, consecutive_failures: 1 });
  });

  it('410 Gone disables at once and keeps the delivery for a re-enable', async () => {
    const sub = await subscribe(['permit.created']);
    status = 410;
    await see(issued());
    const d = dispatcher();
    await d.runOnce();
    expect((await findSubscription(db, sub.id))!).toMatchObject({ is_active: false, disabled_by: 'gone' });
    const [row] = await listDeliveries(db, sub.id, { limit: 1 });
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 410 });
    status = 200;
    await updateSubscription(db, (await findSubscription(db, sub.id))!, { is_active: true }, new Date(clock.now()));
    expect(await d.runOnce()).toBe(1);
  });

  it('keeps per-permit order for a subscription: a later change waits for an earlier one still pending', async () => {
    const sub = await subscribe(['status_change']);
    await see(planCheck());
    await see(issued());
    await see(testRecord({ portal_status: 'Permit Finaled on 8/8/2018', status: 'Permit Finaled on 8/8/2018', status_phase: 'closed' }));
    await see(issued('16041-10000-00009')); // another permit's first sighting: no status_change
    const d = dispatcher();
    status = 500;
    expect(await d.runOnce()).toBe(1); // only the earliest of that permit
    expect(await d.runOnce()).toBe(0);
    await clock.advance(60_000);
    status = 200;
    expect(await d.runOnce()).toBe(1);
    expect(await d.runOnce()).toBe(1);
    const versions = receiver.received.map((r) => (JSON.parse(r.body) as { version: number }).version);
    expect(versions).toEqual([2, 2, 3]);
    expect((await listDeliveries(db, sub.id, { limit: 10 })).every((x) => x.status === 'delivered')).toBe(true);
  });

  it("leaves another worker's leased row alone until its lease lapses", async () => {
    const sub = await subscribe(['permit.created']);
    await see(issued());
    await db.run("UPDATE webhook_deliveries SET lease_owner = 'crashed', lease_until = ?", [T0 + 30_000]);
    const d = dispatcher({ workerId: 'survivor' });
    expect(await d.runOnce()).toBe(0);
    await clock.advance(30_001);
    expect(await d.runOnce()).toBe(1);
    expect((await listDeliveries(db, sub.id, { limit: 1 }))[0]!.status).toBe('delivered');
  });

  it('ends an attempt before its lease does: a hanging receiver times out at half the lease', async () => {
    const hang = createServer(() => {});
    await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
    try {
      const sub = await subscribe(['permit.created']);
      await updateSubscription(db, sub, { url: `http://127.0.0.1:${(hang.address() as AddressInfo).port}/hook` }, new Date(clock.now()));
      await see(issued());
      // A lease long enough that the rest of the round (claim, commit) fits in the other half
      // even on a loaded machine: the bound checked is the lease, not the machine's speed.
      const leaseMs = 2_000;
      const d = createDispatcher({ db, clock, agent, log: pino({ level: 'silent' }), schedule: [0, 60], leaseMs });
      const t0 = performance.now();
      expect(await d.runOnce()).toBe(1);
      const elapsed = performance.now() - t0; // the manual clock does not move: measure real time
      const [row] = await listDeliveries(db, sub.id, { limit: 1 });
      expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'timeout' });
      expect(elapsed).toBeGreaterThanOrEqual(leaseMs * ATTEMPT_SHARE_OF_LEASE - 5);
      expect(elapsed).toBeLessThan(leaseMs);
    } finally {
      hang.closeAllConnections();
      await new Promise((r) => hang.close(r));
    }
  });

  it('filters with AND and never enqueues for a subscription its owner turned off', async () => {
    const solarLa = await subscribe(['permit.created'], { city: 'Los Angeles', category: 'solar' });
    const anyLa = await subscribe(['permit.created'], { city: 'los angeles' });
    const off = await subscribe(['permit.created']);
    await updateSubscription(db, off, { is_active: false }, new Date(clock.now()));
    await see(testRecord({ permit_number: '16041-10000-00001', category: 'solar', address: { city: 'LOS ANGELES' } }));
    await see(testRecord({ permit_number: '16041-10000-00002', category: 'hvac', address: { city: 'LOS ANGELES' } }));
    await see(testRecord({ permit_number: '16041-10000-00003', category: 'solar', address: { city: 'PASADENA' } }));
    const streams = async (s: Subscription) => (await listDeliveries(db, s.id, { limit: 10 })).map((x) => x.stream).sort();
    expect(await streams(solarLa)).toEqual(['permit/ladbs/16041-10000-00001']);
    expect(await streams(anyLa)).toEqual(['permit/ladbs/16041-10000-00001', 'permit/ladbs/16041-10000-00002']);
    expect(await streams(off)).toEqual([]);
  });

  it('never re-sends on rebuild: the outbox only moves its checkpoint', async () => {
    await subscribe(['permit.created', 'status_change']);
    await see(planCheck());
    await see(issued());
    const before = await db.all('SELECT id, payload FROM webhook_deliveries ORDER BY seq');
    expect(before).toHaveLength(2);
    await projector.rebuild(db);
    await see(issued('16041-10000-00002'));
    const after = await db.all<{ id: string }>('SELECT id, payload FROM webhook_deliveries ORDER BY seq');
    expect(after.slice(0, 2)).toEqual(before);
    expect(after).toHaveLength(3);
  });
});
