import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LADBS_SCRIPTED_PERMIT } from '../fixtures/ladbs/routes.ts';
import { observeMany } from '../src/ingest/observe.ts';
import { generatedCity, generatedObservation } from '../src/testing/generated-city.ts';
import { startReceiver, type Receiver } from '../src/testing/webhook-receiver.ts';
import { WEBHOOK_EVENTS } from '../src/webhooks/events.ts';
import { ladbsRouteId, startHarness, until, type Harness } from './harness.ts';

// Issue 18, item 4: GET /api/v1/events, the pull feed. It must carry what a webhook of the same
// key and filters receives, no more (tenancy: what only another key may see stays out) and no less.

let h: Harness;
let receiver: Receiver;
let alice: string;
let bob: string;
let carol: string;

beforeAll(async () => {
  h = await startHarness({ env: { webhook_allow_private: true } });
  receiver = await startReceiver();
  alice = await h.key('enterprise', { permissions: ['read', 'write'] });
  bob = await h.key('enterprise', { permissions: ['read', 'write'] });
  carol = await h.key('enterprise', { permissions: ['read', 'write'] });
});
afterAll(async () => {
  await h.close();
  await receiver.close();
});

type Entry = { id: string; position: number; event: string; payload: Record<string, unknown> };

/** Every page of a key's feed with this query, following next_cursor while has_more. */
async function feed(key: string, query = '', limit = 100): Promise<Entry[]> {
  const out: Entry[] = [];
  let after = '';
  for (let pages = 0; pages < 1000; pages++) {
    const res = await h.get(`/api/v1/events?limit=${limit}${query ? `&${query}` : ''}${after ? `&after=${after}` : ''}`, key);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    out.push(...res.body.events);
    after = res.body.next_cursor;
    if (!res.body.has_more) return out;
  }
  throw new Error('the feed never ended');
}

const streamVersions = (entries: Entry[]) => [...new Set(entries.map((e) => e.payload.version))];

describe('the pull feed', () => {
  const route = ladbsRouteId(LADBS_SCRIPTED_PERMIT);

  beforeAll(async () => {
    const res = await h.post('/api/v1/webhooks', { url: `${receiver.url}/alice`, events: [...WEBHOOK_EVENTS] }, alice);
    expect(res.status).toBe(201);
    // Alice looks the scripted permit up (v1), it changes twice (v2, v3); Bob looks it up between.
    h.portal.setVersion(route, 0);
    expect((await h.get(`/api/v1/permits/${LADBS_SCRIPTED_PERMIT}/status?force_refresh=true`, alice)).status).toBe(200);
    h.portal.advance(route);
    await h.get(`/api/v1/permits/${LADBS_SCRIPTED_PERMIT}/status?force_refresh=true`, alice);
    expect((await h.get(`/api/v1/permits/${LADBS_SCRIPTED_PERMIT}/status`, bob)).body.source).toBe('cached');
    h.portal.advance(route);
    await h.get(`/api/v1/permits/${LADBS_SCRIPTED_PERMIT}/status?force_refresh=true`, alice);
  });

  it("carries exactly the payloads Alice's webhook received, in log order", async () => {
    const entries = await feed(alice);
    expect(entries.length).toBeGreaterThan(2);
    const delivered = await until(
      () => receiver.received.filter((r) => r.body.includes('"stream":"permit/')),
      (r) => r.length >= entries.length,
      15_000,
    );
    const strip = (body: string) => {
      const { delivery_id: _d, webhook_id: _w, ...rest } = JSON.parse(body) as Record<string, unknown>;
      return rest;
    };
    const key = (p: Record<string, unknown>) => `${String(p.version)} ${String(p.event)}`;
    expect(entries.map((e) => e.payload).sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
      delivered.map((d) => strip(d.body)).sort((a, b) => key(a).localeCompare(key(b))),
    );
    expect(entries.map((e) => e.position)).toEqual([...entries.map((e) => e.position)].sort((a, b) => a - b));
    expect(streamVersions(entries)).toEqual([1, 2, 3]);
  });

  it('gives Bob only what came after his lookup, and Carol, who never looked, nothing (tenancy)', async () => {
    const bobs = await feed(bob);
    expect(bobs.length).toBeGreaterThan(0);
    expect(streamVersions(bobs)).toEqual([3]);
    expect(await feed(carol)).toEqual([]);
  });

  it('filters as a subscription does', async () => {
    const all = await feed(alice);
    const statusChanges = await feed(alice, 'event_types=status_change');
    expect(statusChanges.map((e) => e.event)).toEqual(all.filter((e) => e.event === 'status_change').map((e) => e.event));
    expect(statusChanges.length).toBeGreaterThan(0);
    expect(await feed(alice, 'jurisdiction=ladbs')).toEqual(all);
    expect(await feed(alice, 'jurisdiction=socrata:sf,aca:hcfl')).toEqual([]);
    expect(await feed(alice, 'city=Chicago')).toEqual([]);
    // The scripted LADBS permit has no coordinates: a near filter never matches it (matchesFilters).
    expect(await feed(alice, 'near=34.03,-118.4&radius_m=50000')).toEqual([]);
  });

  it('pages one log event at a time without repeating or losing an entry', async () => {
    const all = await feed(alice);
    const paged = await feed(alice, '', 1);
    expect(paged).toEqual(all);
    expect(new Set(paged.map((e) => e.id)).size).toBe(paged.length);
  });

  it("gives a feed-discovered permit's permit.created to a key whose filters match, and nothing else of it", async () => {
    const [solar, roof] = generatedCity(2, { seed: 3, start: 800_000 });
    const discovered = [
      { ...solar!, category: 'solar' as const, latitude: 37.79, longitude: -122.4 },
      { ...roof!, category: 'roofing' as const, latitude: 37.71, longitude: -122.5 },
    ];
    const { db, projector } = h.server.app.live;
    await observeMany(db, projector, discovered.map((r) => generatedObservation(r, new Date().toISOString())));
    await observeMany(db, projector, [generatedObservation({ ...discovered[0]!, status: 'issued later' }, new Date().toISOString())]);
    const carols = await feed(carol, 'category=solar');
    expect(carols.map((e) => [e.event, (e.payload.data as { permit_number: string }).permit_number])).toEqual([
      ['permit.created', discovered[0]!.permit_number],
    ]);
    expect((await feed(carol, 'event_types=permit.created')).length).toBe(2);
    const near = await feed(carol, 'near=37.7901,-122.4001&radius_m=100');
    expect(near.map((e) => (e.payload.data as { permit_number: string }).permit_number)).toEqual([discovered[0]!.permit_number]);
  });

  it("gives a watch's events to the watching key only", async () => {
    const watched = await h.post('/api/v1/watchlist', { permit_number: LADBS_SCRIPTED_PERMIT }, bob);
    expect(watched.status).toBe(201);
    const added = (await feed(bob, 'event_types=permit.added_to_watchlist')).map((e) => e.payload.data);
    expect(added).toEqual([expect.objectContaining({ watch_id: watched.body.id, permit_number: LADBS_SCRIPTED_PERMIT })]);
    expect(await feed(alice, 'event_types=permit.added_to_watchlist')).toEqual([]);
  });

  it("serves a sandbox key the demo plane's feed, apart from the live one", async () => {
    const sandbox = await h.key('free', { sandbox: true });
    const res = await h.get('/api/v1/events', sandbox);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sandbox-mode')).toBe('true');
    expect(res.body.events).toEqual([]);
  });

  it.each([
    ['an after that is not a cursor', 'after=abc', 'after'],
    ['an unknown event type', 'event_types=permit.deleted', 'event_types'],
    ['a limit of 0', 'limit=0', 'limit'],
    ['a bad state', 'state=Calif', 'state'],
    ['near without radius_m', 'near=34.03,-118.4', 'near'],
  ])('answers 400 invalid_request for %s', async (_, query, field) => {
    const res = await h.get(`/api/v1/events?${query}`, alice);
    expect(res).toMatchObject({ status: 400, body: { error: 'invalid_request', message: expect.stringContaining(field) } });
  });

  it('needs a key', async () => {
    expect(await h.get('/api/v1/events')).toMatchObject({ status: 401, body: { error: 'invalid_api_key' } });
  });
});
