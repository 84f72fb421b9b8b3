import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bellinghamFeed,
  bellinghamFeedPermit,
  bellinghamFeedSite,
  BELLINGHAM_FEED_INITIAL,
  BELLINGHAM_FEED_PATH,
} from '../fixtures/arcgis/feed.ts';
import { startFixturePortal, type FixturePortal } from '../src/demo/fixture-portal.ts';
import { createHttpClient, type HttpClient } from '../src/http/client.ts';
import { BELLINGHAM } from '../src/jurisdictions/arcgis/jurisdictions.ts';
import { systemClock } from '../src/lib/clock.ts';
import { readCursor } from '../src/sync/feed-cursors.ts';
import type { Feeds } from '../src/sync/feeds.ts';
import { jurisdictionFeeds } from './feed-child-setup.ts';
import { openTempDatabase, type TempDatabase } from './temp-database.ts';

// Issue 18: the ArcGIS feed of a layer that grows between syncs, through the real adapter, feed
// runner, write path and projections, against the fixture portal's derived Bellingham layer
// (fixtures/arcgis/feed.ts) at its real query path.
const SLUG = BELLINGHAM.slug;
/** The layer's MaxRecordCount here: three features an answer, so a run follows exceededTransferLimit across pages. */
const MAX_RECORDS = 3;

let temp: TempDatabase;
let portal: FixturePortal;
let http: HttpClient;
let feeds: Feeds;

beforeEach(async () => {
  temp = await openTempDatabase('arcgis-feed');
  portal = await startFixturePortal({ routes: [], feeds: [bellinghamFeed(40, BELLINGHAM_FEED_INITIAL, MAX_RECORDS)] });
  http = createHttpClient({ clock: systemClock, politeness: { requests_per_second: 1_000, concurrency: 4 } });
  feeds = jurisdictionFeeds(BELLINGHAM, { db: temp.db, http, portalUrl: portal.url });
});

afterEach(async () => {
  await http.close();
  await portal.close();
  await temp.close();
});

const streams = (n: number) => Array.from({ length: n }, (_, i) => `permit/${SLUG}/${bellinghamFeedPermit(i)}`).sort();
const eventsPerStream = () =>
  temp.db.all<{ stream: string; n: number; backfill: number | null }>(
    "SELECT stream, COUNT(*) AS n, MAX(json_extract(data, '$.backfill')) AS backfill FROM events GROUP BY stream ORDER BY stream",
  );
/** The offsets of the feed's page requests since `from`, in order. */
const pageOffsets = (from: number) => portal.requests.slice(from).map((r) => new URL(r.url, portal.url).searchParams.get('resultOffset'));

describe('the ArcGIS feed', () => {
  it('a growing layer yields exactly its new permits, once each, following exceededTransferLimit page by page', async () => {
    const first = await feeds.run(SLUG);
    expect(first).toMatchObject({ ok: true, backfill: true, rows: BELLINGHAM_FEED_INITIAL, appended: BELLINGHAM_FEED_INITIAL });
    // Five features at three an answer: the second page is asked for at the offset of the rows returned.
    expect(pageOffsets(0)).toEqual(['0', '3']);

    const before = portal.requests.length;
    portal.publish(BELLINGHAM_FEED_PATH, 7);
    const second = await feeds.run(SLUG);
    // The overlap day reads the backfilled features again; only the 7 new ones append.
    expect(second).toMatchObject({ ok: true, backfill: false, rows: BELLINGHAM_FEED_INITIAL + 7, appended: 7 });
    expect(pageOffsets(before)).toEqual(['0', '3', '6', '9']);
    expect(await feeds.run(SLUG)).toMatchObject({ ok: true, appended: 0 });

    const logged = await eventsPerStream();
    expect(logged.map((s) => s.stream)).toEqual(streams(BELLINGHAM_FEED_INITIAL + 7));
    expect(logged.every((s) => s.n === 1)).toBe(true);
    expect(logged.filter((s) => s.backfill === 1).map((s) => s.stream)).toEqual(streams(BELLINGHAM_FEED_INITIAL));
    const cursor = (await readCursor(temp.db, SLUG))!;
    expect(cursor).toMatchObject({ run_since: null, run_rows: 0, last_appended: 0, errors_total: 0 });
    expect(cursor.appended_total).toBe(BELLINGHAM_FEED_INITIAL + 7);
    // Every request asked for the points in WGS 84 at the layer's real query path.
    const asked = new URL(portal.requests.at(-1)!.url, portal.url);
    expect(asked.pathname).toBe(BELLINGHAM_FEED_PATH);
    expect([asked.searchParams.get('returnGeometry'), asked.searchParams.get('outSR')]).toEqual(['true', '4326']);
  });

  it('logs each permit with the WGS 84 position of its feature, and none for a feature without a point', async () => {
    await feeds.run(SLUG);
    portal.publish(BELLINGHAM_FEED_PATH, 5);
    await feeds.run(SLUG);
    const rows = await temp.db.all<{ stream: string; lat: number | null; lng: number | null }>(
      "SELECT stream, json_extract(data, '$.record.latitude') AS lat, json_extract(data, '$.record.longitude') AS lng FROM events ORDER BY stream",
    );
    expect(rows).toHaveLength(10);
    for (let i = 0; i < 10; i++) {
      const site = bellinghamFeedSite(i);
      const row = rows.find((r) => r.stream === `permit/${SLUG}/${bellinghamFeedPermit(i)}`)!;
      expect([row.lat, row.lng]).toEqual(site ? [site.lat, site.lng] : [null, null]);
    }
    expect(rows.filter((r) => r.lat === null)).toHaveLength(2);
  });
});
