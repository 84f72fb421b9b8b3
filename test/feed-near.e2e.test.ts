import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bellinghamFeed,
  bellinghamFeedPermit,
  bellinghamFeedSite,
  BELLINGHAM_FEED_INITIAL,
  BELLINGHAM_FEED_PATH,
  BELLINGHAM_SITE_CENTRAL,
} from '../fixtures/arcgis/feed.ts';
import { FIXTURE_ROUTES } from '../fixtures/routes.ts';
import { startFixturePortal, type FixturePortal } from '../src/demo/fixture-portal.ts';
import { permitId } from '../src/events/permit-id.ts';
import { startReceiver, type Receiver } from '../src/testing/webhook-receiver.ts';
import { startHarness, until, type Harness } from './harness.ts';

// Issue 18: a webhook's `near` filter through a feed end to end. The real server follows the
// fixture portal's growing Bellingham layer (fixtures/arcgis/feed.ts: features at two constructed
// sites about 3.9 km apart, every fifth without a point); after the backfill, the next sync
// must deliver `permit.created` to the `near` webhook only for the new permits within its radius,
// and search `near=` must find exactly the held permits within it.
const SLUG = 'arcgis:bellingham';
const RADIUS_M = 1_000;
const PUBLISHED = 10;
/** Deliveries come within a second when idle; the whole suite on two shared cores can take several. */
const DELIVERY_WAIT_MS = 20_000;
const NEAR = { lat: BELLINGHAM_SITE_CENTRAL.lat, lng: BELLINGHAM_SITE_CENTRAL.lng, radius_m: RADIUS_M };

let feedPortal: FixturePortal;
let h: Harness;
let receiver: Receiver;
let key: string;
/** The webhooks' secrets, so the receiver verifies what it gets. */
const secrets: string[] = [];

beforeAll(async () => {
  feedPortal = await startFixturePortal({ routes: FIXTURE_ROUTES, feeds: [bellinghamFeed(40)] });
  // Feeds are run by hand below (the scheduler's own runs are timed, PERMITWATCH_SYNC=off).
  h = await startHarness({
    demo: false,
    overrides: () => `*=${feedPortal.url}`,
    env: { webhook_allow_private: true, feeds: [SLUG], sync: false },
  });
  receiver = await startReceiver({ secrets: () => secrets });
  key = await h.key('developer', { permissions: ['read', 'write'] });
});
afterAll(async () => {
  await h.close();
  await receiver.close();
  await feedPortal.close();
});

/** Indexes 0.. of the derived features whose point lies at the central site. */
const central = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => from + k).filter((i) => bellinghamFeedSite(i) === BELLINGHAM_SITE_CENTRAL);

describe('near through a feed', () => {
  it('delivers permit.created to a near webhook only for the new permits inside its radius; search near= finds them', async () => {
    const near = await h.post('/api/v1/webhooks', { url: `${receiver.url}/near`, events: ['permit.created'], near: NEAR }, key);
    expect(near.status).toBe(201);
    const everything = await h.post('/api/v1/webhooks', { url: `${receiver.url}/all`, events: ['permit.created'] }, key);
    expect(everything.status).toBe(201);
    secrets.push(near.body.secret, everything.body.secret);

    // The first sync is the backfill: history for search, no webhook.
    expect(await h.server.app.live.feeds.run(SLUG)).toMatchObject({ ok: true, backfill: true, appended: BELLINGHAM_FEED_INITIAL });
    feedPortal.publish(BELLINGHAM_FEED_PATH, PUBLISHED);
    expect(await h.server.app.live.feeds.run(SLUG)).toMatchObject({ ok: true, backfill: false, appended: PUBLISHED });

    const fresh = Array.from({ length: PUBLISHED }, (_, k) => BELLINGHAM_FEED_INITIAL + k);
    const all = await until(
      () => receiver.received.filter((d) => JSON.parse(d.body).webhook_id === everything.body.webhook_id),
      (got) => got.length === PUBLISHED,
      DELIVERY_WAIT_MS,
    );
    expect(all.map((d) => JSON.parse(d.body).data.permit_number).sort()).toEqual(fresh.map(bellinghamFeedPermit).sort());
    const inside = central(BELLINGHAM_FEED_INITIAL, BELLINGHAM_FEED_INITIAL + PUBLISHED)
      .map(bellinghamFeedPermit)
      .sort();
    expect(inside.length).toBeGreaterThan(0);
    expect(inside.length).toBeLessThan(PUBLISHED);
    const toNear = () => receiver.received.filter((d) => JSON.parse(d.body).webhook_id === near.body.webhook_id);
    await until(toNear, (got) => got.length >= inside.length, DELIVERY_WAIT_MS);
    // Every delivery to the wide webhook is in; none more may come to the near one.
    const delivered = toNear().map((d) => JSON.parse(d.body));
    expect(delivered.map((b) => b.data.permit_number).sort()).toEqual(inside);
    for (const d of toNear()) {
      const body = JSON.parse(d.body);
      expect(body.event).toBe('permit.created');
      expect(d.headers['x-permitstack-event']).toBe('permit.created');
      expect(d.headers['x-permitstack-delivery-id']).toBe(body.data.id);
      expect(body.data.id).toBe(permitId(`permit/${SLUG}/${body.data.permit_number}`));
      expect(d.verification).toMatchObject({ signedoff: true, standard: true });
    }

    const search = await h.get(`/api/v1/permits/search?near=${NEAR.lat},${NEAR.lng}&radius_m=${RADIUS_M}&limit=100`, key);
    expect(search.status).toBe(200);
    const found = (search.body.permits as { permit_number: string; latitude: number; longitude: number }[])
      .map((p) => p.permit_number)
      .sort();
    // Backfilled permits inside the radius are found too: search is history, webhooks are news.
    expect(found).toEqual(
      central(0, BELLINGHAM_FEED_INITIAL + PUBLISHED)
        .map(bellinghamFeedPermit)
        .sort(),
    );
    expect(search.body.permits[0]).toMatchObject({ latitude: BELLINGHAM_SITE_CENTRAL.lat, longitude: BELLINGHAM_SITE_CENTRAL.lng });
  });
});
