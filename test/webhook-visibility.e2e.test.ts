import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LADBS_SCRIPTED_PERMIT } from '../fixtures/ladbs/routes.ts';
import { startReceiver, type Receiver } from '../src/testing/webhook-receiver.ts';
import { WEBHOOK_EVENTS } from '../src/webhooks/events.ts';
import { ladbsRouteId, startHarness, until, type Harness } from './harness.ts';

// Issue 16, defect 3: a webhook fired for permits that other keys looked up. A subscription
// hears only about what its key may see: permits the key looked up (watches come later).

let h: Harness;
let receiver: Receiver;
let alice: string;
let bob: string;

beforeAll(async () => {
  h = await startHarness({ env: { webhook_allow_private: true } });
  receiver = await startReceiver();
  alice = await h.key('developer', { permissions: ['read', 'write'] });
  bob = await h.key('developer', { permissions: ['read', 'write'] });
});
afterAll(async () => {
  await h.close();
  await receiver.close();
});

async function subscribe(key: string, path: string): Promise<string> {
  const res = await h.post('/api/v1/webhooks', { url: `${receiver.url}/${path}`, events: [...WEBHOOK_EVENTS] }, key);
  expect(res.status).toBe(201);
  return res.body.webhook_id as string;
}

async function deliveries(key: string, id: string): Promise<{ event_type: string; stream_version: number }[]> {
  return (await h.get(`/api/v1/webhooks/${id}/deliveries?limit=100`, key)).body.deliveries;
}

describe('a subscription sees what its key may see', () => {
  it('does not fire for a permit only another key looked up, and fires once its own key has looked it up', async () => {
    const mine = await subscribe(alice, 'alice');
    const theirs = await subscribe(bob, 'bob');
    const route = ladbsRouteId(LADBS_SCRIPTED_PERMIT);
    h.portal.setVersion(route, 0);
    expect((await h.get(`/api/v1/permits/${LADBS_SCRIPTED_PERMIT}/status?force_refresh=true`, alice)).status).toBe(200);
    // The outbox enqueues every subscription's rows in one transaction: once Alice's exist, Bob's would too.
    expect(
      (
        await until(
          () => deliveries(alice, mine),
          (d) => d.length > 0,
        )
      ).map((d) => d.event_type),
    ).toContain('permit.created');
    expect(await deliveries(bob, theirs)).toEqual([]);

    h.portal.advance(route);
    await h.get(`/api/v1/permits/${LADBS_SCRIPTED_PERMIT}/status?force_refresh=true`, alice);
    await until(
      () => deliveries(alice, mine),
      (d) => d.some((x) => x.stream_version === 2),
    );
    expect(await deliveries(bob, theirs)).toEqual([]);
    expect(receiver.received.some((r) => r.body.includes(theirs))).toBe(false);

    // Bob looks it up (a cached answer is enough): from now on his subscription hears about it.
    expect((await h.get(`/api/v1/permits/${LADBS_SCRIPTED_PERMIT}/status`, bob)).body.source).toBe('cached');
    h.portal.advance(route);
    await h.get(`/api/v1/permits/${LADBS_SCRIPTED_PERMIT}/status?force_refresh=true`, alice);
    const bobs = await until(
      () => deliveries(bob, theirs),
      (d) => d.length > 0,
    );
    expect(bobs.length).toBeGreaterThan(0);
    expect(bobs.every((d) => d.stream_version === 3)).toBe(true);
  });
});
