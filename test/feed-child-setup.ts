import pino from 'pino';
import { createPlaneProjector } from '../src/app.ts';
import type { Db } from '../src/db/db.ts';
import type { HttpClient } from '../src/http/client.ts';
import { ADAPTERS } from '../src/jurisdictions/adapters.ts';
import { createCatalog } from '../src/jurisdictions/catalog.ts';
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
  const catalog = createCatalog([{ ...chicago, settings: { ...chicago.settings, feed_page_size: o.pageSize } }]);
  return createFeeds({
    db: o.db,
    projector: createPlaneProjector(catalog),
    catalog,
    adapters: ADAPTERS,
    http: o.http,
    clock: systemClock,
    log: pino({ level: 'silent' }),
    baseUrlFor: () => o.portalUrl,
    feeds: [FEED_CHILD_SLUG],
    intervalMs: 900_000,
    backfillDays: 30,
  });
}
