/**
 * A scheduler worker in a process of its own, for the crash test: `node --import tsx
 * test/sync-child.ts <database-url> <ladbs-portal-url> <ladbs-b-portal-url> <worker-id>`. It
 * runs the real lookup path (HTTP client, host queues, adapters, projections) with the short
 * timings of SYNC_CHILD_TIMING, and prints "ready" once it runs; the test kills it with SIGKILL.
 */
import pino from 'pino';
import { createPlaneProjector, openDatabase } from '../src/app.ts';
import { createHttpClient } from '../src/http/client.ts';
import { createLookupService } from '../src/ingest/lookup.ts';
import { ADAPTERS } from '../src/jurisdictions/adapters.ts';
import { createCatalog } from '../src/jurisdictions/catalog.ts';
import { systemClock } from '../src/lib/clock.ts';
import { createScheduler } from '../src/sync/scheduler.ts';
import { SYNC_CHILD_JURISDICTIONS, SYNC_CHILD_TIMING } from './sync-child-setup.ts';

const [url, portalA, portalB, workerId] = process.argv.slice(2) as [string, string, string, string];
const db = await openDatabase(url);
const catalog = createCatalog(SYNC_CHILD_JURISDICTIONS);
const log = pino({ level: 'silent' });
const http = createHttpClient({ clock: systemClock });
const lookup = createLookupService({
  db,
  projector: createPlaneProjector(catalog),
  catalog,
  adapters: ADAPTERS,
  http,
  clock: systemClock,
  log,
  cacheTtlSeconds: 0,
  portalOverrides: { ladbs: portalA, 'ladbs-b': portalB },
});
createScheduler({
  db,
  lookup,
  catalog,
  clock: systemClock,
  log,
  workerId,
  breakerWaitMs: (host) => http.breakerState(host).retry_after_ms,
  ...SYNC_CHILD_TIMING,
}).start();
process.stdout.write('ready\n');
