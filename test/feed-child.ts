/**
 * A feed run in a process of its own, for the crash test: `node --import tsx test/feed-child.ts
 * <database-url> <portal-url>`. It reads the Chicago feed through the real adapter, HTTP client
 * (Chicago's real politeness) and write path, prints "ready" as it starts, and is killed with
 * SIGKILL mid-run.
 */
import { openDatabase } from '../src/app.ts';
import { createHttpClient } from '../src/http/client.ts';
import { systemClock } from '../src/lib/clock.ts';
import { chicagoFeeds, FEED_CHILD_PAGE, FEED_CHILD_SLUG } from './feed-child-setup.ts';

const [url, portalUrl] = process.argv.slice(2) as [string, string];
const db = await openDatabase(url);
const feeds = chicagoFeeds({ db, http: createHttpClient({ clock: systemClock }), portalUrl, pageSize: FEED_CHILD_PAGE });
process.stdout.write('ready\n');
await feeds.run(FEED_CHILD_SLUG);
process.stdout.write('done\n');
