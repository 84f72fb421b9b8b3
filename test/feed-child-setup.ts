import pino from 'pino';
import { createPlaneProjector } from '../src/app.ts';
import type { Db } from '../src/db/db.ts';
import type { HttpClient } from '../src/http/client.ts';
import { ADAPTERS } from '../src/jurisdictions/adapters.ts';
import { createCatalog } from '../src/jurisdictions/catalog.ts';
import type { Jurisdiction } from '../src/jurisdictions/jurisdiction.ts';
import { SOCRATA_JURISDICTIONS } from '../src/jurisdictions/socrata/jurisdictions.ts';
import { systemClock } from '../src/lib/clock.ts';
import { createFeeds, type Feeds } from '../src/sync/feeds.ts';

export const FEED_CHILD_SLUG = 'socrata:chicago';
/** Twenty rows a page: the feed of the crash test is many pages long, each its own transaction. */
export const FEED_CHILD_PAGE = 20;
const chicago = SOCRATA_JURISDICTIONS.find((j) => j.slug === FEED_CHILD_SLUG)!;

/**
 * The Chicago feed alone, read from `portalUrl` with `pageSize` rows a page through the real
 * adapter, write path and projections (the crash test's child and parent, the feed specs).
 */
export function chicagoFeeds(o: { db: Db; http: HttpClient; portalUrl: string; pageSize: number }): Feeds {
  return jurisdictionFeeds({ ...chicago, settings: { ...chicago.settings, feed_page_size: o.pageSize } }, o);
}

/** The one feed of `jurisdiction`, read from `portalUrl` through the real adapter, write path and projections. */
export function jurisdictionFeeds(jurisdiction: Jurisdiction, o: { db: Db; http: HttpClient; portalUrl: string }): Feeds {
  const catalog = createCatalog([jurisdiction]);
  return createFeeds({
    db: o.db,
    projector: createPlaneProjector(catalog),
    catalog,
    adapters: ADAPTERS,
    http: o.http,
    clock: systemClock,
    log: pino({ level: 'silent' }),
    baseUrlFor: () => o.portalUrl,
    feeds: [jurisdiction.slug],
    intervalMs: 900_000,
    backfillDays: 30,
  });
}
