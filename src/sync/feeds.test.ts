import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHICAGO_FEED_INITIAL, CHICAGO_FEED_PATH, chicagoFeedPermit, chicagoFeedRows } from '../../fixtures/socrata/routes.ts';
import { openTempDatabase, type TempDatabase } from '../../test/temp-database.ts';
import { startFixturePortal, type FixturePortal } from '../demo/fixture-portal.ts';
import { createHttpClient, type HttpClient } from '../http/client.ts';
import { ADAPTERS } from '../jurisdictions/adapters.ts';
import { SOCRATA_JURISDICTIONS } from '../jurisdictions/socrata/jurisdictions.ts';
import { systemClock } from '../lib/clock.ts';
import { createSubscription } from '../webhooks/subscriptions.ts';
import { readCursor } from './feed-cursors.ts';
import { resolveFeeds } from './feed-names.ts';
import type { Feeds } from './feeds.ts';
import { chicagoFeeds, FEED_CHILD_SLUG } from '../../test/feed-child-setup.ts';

const SLUG = FEED_CHILD_SLUG;
/** Three rows a page, so a run reads several pages and commits each with its cursor. */
const PAGE = 3;
const NO_FILTERS = { jurisdiction_filter: null, city: null, state: null, zip_code: null };

let temp: TempDatabase;
let portal: FixturePortal;
let http: HttpClient;
let feeds: Feeds;
/** A page URL containing this fails once (a portal hiccup mid-run). */
let failOnce: string | undefined;

beforeEach(async () => {
  temp = await openTempDatabase('feeds');
  portal = await startFixturePortal({ routes: [], feeds: [{ path: CHICAGO_FEED_PATH, rows: chicagoFeedRows(40), initial: CHICAGO_FEED_INITIAL }] });
  http = createHttpClient({ clock: systemClock, politeness: { requests_per_second: 1_000, concurrency: 4 } });
  feeds = chicagoFeeds({
    db: temp.db,
    portalUrl: portal.url,
    pageSize: PAGE,
    http: {
      ...http,
      fetch: (req) => {
        if (failOnce === undefined || !req.url.includes(failOnce)) return http.fetch(req);
        failOnce = undefined;
        return Promise.resolve({ ok: false, reason: 'server_error', status: 503, message: 'portal down for a moment', url: req.url });
      },
    },
  });
});

afterEach(async () => {
  await http.close();
  await portal.close();
  await temp.close();
});

const eventsPerStream = () =>
  temp.db.all<{ stream: string; n: number; backfill: number | null }>(
    "SELECT stream, COUNT(*) AS n, MAX(json_extract(data, '$.backfill')) AS backfill FROM events GROUP BY stream ORDER BY stream",
  );
const deliveries = () => temp.db.all<{ event_type: string; stream: string; webhook_id: string }>('SELECT event_type, stream, webhook_id FROM webhook_deliveries');

describe('feeds', () => {
  it('a growing feed yields exactly its new permits, once each, moving the cursor', async () => {
    const first = await feeds.run(SLUG);
    expect(first).toMatchObject({ ok: true, backfill: true, rows: CHICAGO_FEED_INITIAL, appended: CHICAGO_FEED_INITIAL });
    portal.publish(CHICAGO_FEED_PATH, 7);
    const second = await feeds.run(SLUG);
    // The overlap reads the backfilled rows again; only the 7 new ones append.
    expect(second).toMatchObject({ ok: true, backfill: false, rows: CHICAGO_FEED_INITIAL + 7, appended: 7 });
    expect(await feeds.run(SLUG)).toMatchObject({ ok: true, appended: 0 });

    const streams = await eventsPerStream();
    expect(streams.map((s) => s.stream)).toEqual(
      Array.from({ length: CHICAGO_FEED_INITIAL + 7 }, (_, i) => `permit/${SLUG}/${chicagoFeedPermit(i)}`).sort(),
    );
    expect(streams.every((s) => s.n === 1)).toBe(true);
    // The first sync's rows, and only those, carry the backfill mark.
    expect(streams.filter((s) => s.backfill === 1).map((s) => s.stream)).toEqual(
      Array.from({ length: CHICAGO_FEED_INITIAL }, (_, i) => `permit/${SLUG}/${chicagoFeedPermit(i)}`).sort(),
    );
    const cursor = (await readCursor(temp.db, SLUG))!;
    expect(cursor).toMatchObject({ run_since: null, run_rows: 0, last_rows: CHICAGO_FEED_INITIAL + 7, last_appended: 0, errors_total: 0 });
    expect(cursor.appended_total).toBe(CHICAGO_FEED_INITIAL + 7);
    const sources = await temp.db.all<{ source: string; url: string }>(
      "SELECT DISTINCT json_extract(data, '$.source') AS source, substr(json_extract(data, '$.source_url'), 1, 39) AS url FROM events",
    );
    expect(sources).toEqual([{ source: 'feed', url: 'https://data.cityofchicago.org/resource' }]);
  });

  it('backfill fires no webhooks; the next sync fires permit.created only for new rows matching the filters', async () => {
    const demolition = await createSubscription(
      temp.db,
      { key_id: 'key_a', url: 'https://hooks.invalid/demo', events: ['permit.created'], category: 'demolition', ...NO_FILTERS },
      new Date(),
    );
    const everything = await createSubscription(
      temp.db,
      { key_id: 'key_b', url: 'https://hooks.invalid/all', events: ['permit.created'], category: null, ...NO_FILTERS, state: 'IL' },
      new Date(),
    );
    const elsewhere = await createSubscription(
      temp.db,
      { key_id: 'key_c', url: 'https://hooks.invalid/ca', events: ['permit.created'], category: null, ...NO_FILTERS, state: 'CA' },
      new Date(),
    );
    await feeds.run(SLUG);
    expect(await deliveries()).toEqual([]);

    portal.publish(CHICAGO_FEED_PATH, 4); // rows 5..8: 6 and 9 (1-based) are wrecking permits
    await feeds.run(SLUG);
    const sent = await deliveries();
    const to = (id: string) => sent.filter((d) => d.webhook_id === id).map((d) => d.stream).sort();
    const fresh = [5, 6, 7, 8].map((i) => `permit/${SLUG}/${chicagoFeedPermit(i)}`).sort();
    expect(sent.every((d) => d.event_type === 'permit.created')).toBe(true);
    expect(to(everything.id)).toEqual(fresh);
    expect(to(demolition.id)).toEqual([5, 8].map((i) => `permit/${SLUG}/${chicagoFeedPermit(i)}`).sort());
    expect(to(elsewhere.id)).toEqual([]);
  });

  it('a page that fails keeps the pages before it and the window: the next run reads it again without duplicates', async () => {
    await feeds.run(SLUG);
    portal.publish(CHICAGO_FEED_PATH, 10);
    // The third page (offset 6) fails: the first page is committed with the run's window (the
    // second would have been once the third answered).
    failOnce = '$offset=6';
    const failing = await feeds.run(SLUG);
    expect(failing).toMatchObject({ ok: false, rows: PAGE });
    const cursor = (await readCursor(temp.db, SLUG))!;
    expect(cursor).toMatchObject({ errors_total: 1, run_rows: PAGE });
    expect(cursor.run_since).toBe(cursor.since);
    expect(cursor.last_error).toMatch(/503|down|unavailable/);
    // Its one page held backfilled rows read again: all 10 new ones come now.
    expect(await feeds.run(SLUG)).toMatchObject({ ok: true, appended: 10 });
    expect((await eventsPerStream()).every((s) => s.n === 1)).toBe(true);
    expect((await eventsPerStream()).length).toBe(CHICAGO_FEED_INITIAL + 10);
  });

  it('PERMITWATCH_FEEDS names only feeds of the catalog', () => {
    const entries = SOCRATA_JURISDICTIONS;
    expect(resolveFeeds(['socrata:chicago'], entries, ADAPTERS)).toEqual({ ok: true, slugs: ['socrata:chicago'] });
    expect(resolveFeeds('all', entries, ADAPTERS)).toMatchObject({ ok: true, slugs: entries.map((j) => j.slug) });
    const bad = resolveFeeds(['socrata:chicago', 'socrata:gotham'], entries, ADAPTERS);
    expect(bad).toMatchObject({ ok: false });
    expect(!bad.ok && bad.message).toMatch(/"socrata:gotham" is not a feed; feeds: socrata:chicago/);
  });
});
