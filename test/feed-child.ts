/**
 * A feed run in a process of its own, for the crash test: `node --import tsx test/feed-child.ts
 * <database-url> <portal-url>`. It reads the Chicago feed through the real adapter, HTTP client
 * and write path, prints "ready" as it starts, and is killed with SIGKILL mid-run.
 */
import pino from 'pino';
import { createPlaneProjector, openDatabase } from '../src/app.ts';
import { createHttpClient } from '../src/http/client.ts';
import { ADAPTERS } from '../src/jurisdictions/adapters.ts';
import { systemClock } from '../src/lib/clock.ts';
import { createFeeds } from '../src/sync/feeds.ts';
import { FEED_CHILD_SLUG, feedChildCatalog } from './feed-child-setup.ts';

const [url, portal] = process.argv.slice(2) as [string, string];
const db = await openDatabase(url);
const catalog = feedChildCatalog();
const feeds = createFeeds({
  db,
  projector: createPlaneProjector(catalog),
  catalog,
  adapters: ADAPTERS,
  http: createHttpClient({ clock: systemClock }),
  clock: systemClock,
  log: pino({ level: 'silent' }),
  baseUrlFor: () => portal,
  feeds: [FEED_CHILD_SLUG],
  intervalMs: 900_000,
  backfillDays: 30,
});
process.stdout.write('ready\n');
await feeds.run(FEED_CHILD_SLUG);
process.stdout.write('done\n');
