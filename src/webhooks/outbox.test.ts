import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchings, handleBatches, observations, observedAt, specDatabase } from '../testing/projection-spec.ts';
import type { Db } from '../db/db.ts';
import { testRecord } from '../testing/test-record.ts';
import { createOutboxProjection } from './outbox.ts';
import { createSubscription } from './subscriptions.ts';
import { markSeen } from './visibility.ts';
import type { WebhookEvent } from './events.ts';
import type { WatchFacts } from '../events/watch.ts';
import type { ProjectedEvent } from '../projections/projection.ts';

let db: Db;
beforeEach(async () => {
  db = await specDatabase();
});
afterEach(() => db.close());

const outbox = createOutboxProjection({ displayName: (slug) => `${slug} (display)`, placeName: (slug) => `${slug} (place)` });
const subscribe = (events: WebhookEvent[], minute: number) =>
  createSubscription(
    db,
    {
      key_id: 'key-1',
      url: 'https://hooks.invalid/in',
      events,
      jurisdiction_filter: null,
      city: null,
      state: null,
      category: null,
      zip_code: null,
    },
    new Date(Date.UTC(2026, 0, 1, 0, minute)),
  );
const deliveries = () =>
  db.all<Record<string, unknown>>(
    'SELECT id, webhook_id, event_type, stream, stream_version, position, payload, status, attempts, next_attempt_at, created_at FROM webhook_deliveries ORDER BY seq',
  );

// Given: a permit first seen in review, then issued (a status change that enters the approved phase).
const inReview = testRecord({
  permit_number: '16041-10000-00001',
  portal_status: 'Plan Check',
  status: 'Plan Check',
  status_phase: 'in_review',
  portal_history: [],
});
const events = observations(inReview, { ...inReview, portal_status: 'Issued', status: 'Issued', status_phase: 'issued' });
const stream = 'permit/ladbs/16041-10000-00001';

describe('webhook outbox projection', () => {
  // The subscriptions' key looked the permit up, so it may hear about it (audience.ts).
  beforeEach(() => markSeen(db, 'key-1', stream, 'lookup', observedAt(0)));

  it.each(batchings(events))(
    'given events handed as %s, enqueues one pending delivery per payload and matching subscription, in order',
    async (_, batches) => {
      const all = await subscribe(['permit.created', 'status_change', 'permit.changed'], 0);
      const approvals = await subscribe(['permit_approved'], 1);
      await handleBatches(db, outbox, batches);
      const rows = await deliveries();
      expect(rows.map(({ id: _id, payload: _payload, ...columns }) => columns)).toEqual(
        [
          [all.id, 'permit.created', 1, 1, observedAt(0)],
          [all.id, 'status_change', 2, 2, observedAt(1)],
          [approvals.id, 'permit_approved', 2, 2, observedAt(1)],
          [all.id, 'permit.changed', 2, 2, observedAt(1)],
        ].map(([webhook_id, event_type, stream_version, position, at]) => ({
          webhook_id,
          event_type,
          stream,
          stream_version,
          position,
          status: 'pending',
          attempts: 0,
          next_attempt_at: Date.parse(at as string),
          created_at: at,
        })),
      );
      // Each payload is addressed to its own delivery and subscription.
      for (const row of rows) {
        expect(JSON.parse(row.payload as string)).toMatchObject({
          event: row.event_type,
          delivery_id: row.id,
          webhook_id: row.webhook_id,
          stream,
        });
      }
      expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    },
  );

  it('enqueues nothing without subscriptions, and nothing for one its owner turned off', async () => {
    await handleBatches(db, outbox, [events.slice(0, 1)]);
    const off = await subscribe(['status_change'], 0);
    await db.run("UPDATE webhooks SET is_active = 0, disabled_reason = 'user: deleted' WHERE id = ?", [off.id]);
    await handleBatches(db, outbox, [events.slice(1)]);
    expect(await deliveries()).toEqual([]);
  });
});

describe('webhook outbox projection, watch events', () => {
  const watched = { watch_id: 'wat_01', key_id: 'key-1', stream, jurisdiction: 'ladbs', permit_number: '16041-10000-00001' };
  const watchEvent = (type: 'watch.added' | 'watch.updated' | 'watch.removed', version: number, minute: number): ProjectedEvent => {
    const at = observedAt(minute);
    const data =
      type === 'watch.added'
        ? { ...watched, label: 'kitchen', note: null, at }
        : type === 'watch.removed'
          ? { ...watched, at }
          : { label: 'x', note: null, at };
    return { event: { position: 10 + version, stream: 'watch/wat_01', version, type, data } as WatchFacts, prev: null, changes: [] };
  };

  it("sends added and removed to the watching key's subscriptions that ask for them, and to nobody else", async () => {
    // key-2 may see the permit too (it looked it up) and listens to everything: not its watch.
    await markSeen(db, 'key-2', stream, 'lookup', observedAt(0));
    const watching = await subscribe(['permit.added_to_watchlist', 'permit.removed_from_watchlist'], 0);
    const statusOnly = await subscribe(['status_change'], 1);
    const other = await createSubscription(
      db,
      {
        key_id: 'key-2',
        url: 'https://hooks.invalid/b',
        events: ['permit.added_to_watchlist', 'permit.removed_from_watchlist'],
        jurisdiction_filter: null,
        city: null,
        state: null,
        category: null,
        zip_code: null,
      },
      new Date(Date.UTC(2026, 0, 1)),
    );
    await handleBatches(db, outbox, [
      [...events.slice(0, 1), watchEvent('watch.added', 1, 2), watchEvent('watch.updated', 2, 3), watchEvent('watch.removed', 3, 4)],
    ]);
    const rows = (await deliveries()).filter((r) => String(r.event_type).includes('watchlist'));
    expect(rows.map((r) => [r.webhook_id, r.event_type, r.stream, r.stream_version, r.created_at])).toEqual([
      [watching.id, 'permit.added_to_watchlist', 'watch/wat_01', 1, observedAt(2)],
      [watching.id, 'permit.removed_from_watchlist', 'watch/wat_01', 3, observedAt(4)],
    ]);
    expect(rows.some((r) => r.webhook_id === other.id || r.webhook_id === statusOnly.id)).toBe(false);
    expect(JSON.parse(rows[0]!.payload as string)).toMatchObject({
      event: 'permit.added_to_watchlist',
      timestamp: observedAt(2),
      data: { permit_uuid: stream, permit_number: '16041-10000-00001', watch_id: 'wat_01', label: 'kitchen' },
    });
  });
});
