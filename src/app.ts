import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import pino, { type Logger } from 'pino';
import { findKey } from './accounts/keys.ts';
import { resolvePlans, type Plan } from './accounts/plans.ts';
import { createApi } from './api/app.ts';
import type { DataPlane } from './api/context.ts';
import { DEFAULT_DATA_DIRECTORY, type Config } from './config.ts';
import type { Db } from './db/db.ts';
import { applyMigrations } from './db/migrate.ts';
import { ALL_MIGRATIONS } from './db/migrations.ts';
import { openDb } from './db/open.ts';
import { embeddedPath } from './db/url.ts';
import { createHttpClient } from './http/client.ts';
import type { PlatformAdapter } from './jurisdictions/adapter.ts';
import { ADAPTERS } from './jurisdictions/adapters.ts';
import { createCatalog, type Catalog } from './jurisdictions/catalog.ts';
import type { Jurisdiction } from './jurisdictions/jurisdiction.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { createLookupService } from './ingest/lookup.ts';
import { createMetrics, type Metrics } from './metrics/registry.ts';
import { registerUnknownStatusMetrics } from './metrics/unknown-statuses.ts';
import { registerOperationalMetrics } from './metrics/operations.ts';
import { PROJECTIONS } from './projections/all.ts';
import { createCounterStore } from './accounts/counters.ts';
import { createUsageRecorder } from './accounts/usage.ts';
import { currentRuntime } from './runtime/runtime.ts';
import { createProjector, type Projector } from './projections/projector.ts';
import { createDispatcher, type Dispatcher } from './webhooks/dispatcher.ts';
import { createOutboxProjection } from './webhooks/outbox.ts';
import { payloadNames } from './webhooks/payloads.ts';
import { createLookupRecorder } from './webhooks/visibility.ts';
import { createWatchWriter } from './watchlist/write.ts';
import { createDeliveryAgent } from './webhooks/post.ts';
import { checkTargetGuard } from './webhooks/guard-check.ts';
import { systemResolve, type ResolveHost } from './webhooks/target-guard.ts';
import { registerSyncMetrics } from './metrics/sync.ts';
import { createScheduler, type Scheduler } from './sync/scheduler.ts';
import { createFeeds, type Feeds } from './sync/feeds.ts';
import { resolveFeeds } from './sync/feed-names.ts';
import { registerFeedMetrics } from './metrics/feeds.ts';

/** The fixture portal is ours and on loopback: pacing it would only slow the demo seed. */
export const DEMO_POLITENESS = { requests_per_second: 1_000, concurrency: 8 };

export interface AppOptions {
  config: Config;
  log?: Logger;
  clock?: Clock;
  /** Catalog entries; the shipped catalog by default. */
  jurisdictions?: readonly Jurisdiction[];
  adapters?: Readonly<Record<string, PlatformAdapter>>;
  plans?: readonly Plan[];
  /**
   * The demo plane's portal: a base URL serving the captured pages (the fixture portal). When
   * absent, the demo plane is off and anonymous calls are 401.
   */
  demoPortalUrl?: string;
  /** Run the webhook dispatchers in this process (config `webhook_dispatcher` by default). */
  dispatch?: boolean;
  /** Resolves webhook target names (the system resolver by default; tests inject one, never DNS). */
  webhookResolve?: ResolveHost;
  /** Run the watchlist scheduler on the live plane in this process (`serve` passes config `sync`; off by default for other commands). */
  sync?: boolean;
  /** The status route's fast path (api/status-fast-path.ts); on unless false (tests compare both). */
  statusFastPath?: boolean;
}

export interface App {
  api: ReturnType<typeof createApi>;
  live: DataPlane & { projector: Projector; dispatcher: Dispatcher; scheduler: Scheduler; feeds: Feeds };
  demo?: DataPlane & { projector: Projector; dispatcher: Dispatcher };
  log: Logger;
  metrics: Metrics;
  /**
   * Stops the background work and lets go of its leases: the scheduler cancels its checks in
   * flight (their claims given back) and releases its hosts; each dispatcher stops claiming and
   * records the attempts in flight as they end. Requests are still served meanwhile.
   */
  stopWorkers(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens a database and brings its schema up to date. An embedded file in a directory that does
 * not exist is refused (a mistyped path would otherwise start an empty database without a word),
 * except in the default data directory, which the first start creates.
 */
export async function openDatabase(url: string, authToken?: string): Promise<Db> {
  const dir = embeddedDirectory(url);
  if (dir && !existsSync(dir) && resolve(dir) !== resolve(DEFAULT_DATA_DIRECTORY)) {
    throw new Error(`the directory of database ${url} does not exist (${resolve(dir)}): create it, or fix PERMITWATCH_DATABASE_URL`);
  }
  const db = openDb(url, { authToken });
  await applyMigrations(db, ALL_MIGRATIONS);
  return db;
}

/** The directory of a `file:` database URL; undefined for in-memory and remote databases. */
function embeddedDirectory(url: string): string | undefined {
  const path = embeddedPath(url);
  return path ? dirname(path) : undefined;
}

/**
 * Every projection a plane runs: the read models, then the webhook outbox, which names
 * jurisdictions in payloads the way the catalog does.
 */
export function createPlaneProjector(catalog: Catalog): Projector {
  return createProjector([...PROJECTIONS, createOutboxProjection(payloadNames(catalog))]);
}

/**
 * The composition root: databases, HTTP client, catalog, adapters and services, wired once.
 * Everything is passed down from here; nothing below reads the environment.
 */
export async function createApp(options: AppOptions): Promise<App> {
  const { config } = options;
  const log = options.log ?? pino({ level: config.log_level });
  const clock = options.clock ?? systemClock;
  const catalog: Catalog = createCatalog(options.jurisdictions);
  const adapters = options.adapters ?? ADAPTERS;
  const metrics = createMetrics();
  const liveHttp = createHttpClient({ clock });
  // The demo plane only reaches the in-process fixture portal: no city to be polite to.
  const demoHttp = createHttpClient({ clock, politeness: DEMO_POLITENESS });
  const webhookResolve = options.webhookResolve ?? systemResolve;
  const deliveryAgent = createDeliveryAgent({ allowPrivate: config.webhook_allow_private, resolve: webhookResolve });
  if (config.webhook_allow_private) {
    log.warn(
      'PERMITWATCH_WEBHOOK_ALLOW_PRIVATE=true: webhooks may target loopback, private and metadata addresses over plain http. For local development and tests only; never in production.',
    );
  } else {
    // The guard must hold on whatever runtime this is, or nothing starts (issue 19).
    const guard = await checkTargetGuard(deliveryAgent);
    if (!guard.ok) {
      await deliveryAgent.close();
      throw new Error(`${guard.message}; refusing to start`);
    }
  }

  /** `accountsDb`: where the keys are (the live database; absent for the live plane itself). */
  async function plane(name: 'live' | 'demo', url: string, overrides: Record<string, string>, accountsDb?: Db) {
    const http = name === 'live' ? liveHttp : demoHttp;
    const db = await openDatabase(url, name === 'live' ? config.database_auth_token : undefined);
    const keys = accountsDb ?? db;
    const projector = createPlaneProjector(catalog);
    const lookup = createLookupService({
      db,
      projector,
      catalog,
      adapters,
      http,
      clock,
      log: log.child({ plane: name }),
      cacheTtlSeconds: config.cache_ttl_seconds,
      portalOverrides: overrides,
      metrics,
      plane: name,
      recordViewer: createLookupRecorder(db, clock),
    });
    const dispatcher = createDispatcher({
      db,
      clock,
      agent: deliveryAgent,
      log: log.child({ plane: name, component: 'webhooks' }),
      schedule: config.webhook_retry_schedule,
      maxConsecutiveFailures: config.webhook_max_consecutive_failures,
      leaseMs: config.webhook_lease_seconds * 1_000,
      keyActive: async (id) => (await findKey(keys, id))?.revoked_at === null,
      onAttempt: (outcome, ms) => metrics.webhookAttempt(name, outcome, ms / 1_000),
    });
    return { name, db, projector, lookup, catalog, http, dispatcher, watches: createWatchWriter(db, projector) };
  }

  const planeLive = await plane('live', config.database_url, config.portal_overrides);
  const syncMetrics = registerSyncMetrics(metrics.registry, planeLive.db, clock);
  // The catalog may be a test's own: the feeds are checked against it again here.
  const feedSlugs = resolveFeeds(config.feeds, catalog.all(), adapters);
  if (!feedSlugs.ok) throw new Error(`PERMITWATCH_FEEDS: ${feedSlugs.message}`);
  const feedMetrics = registerFeedMetrics(metrics.registry, planeLive.db, clock);
  const feeds = createFeeds({
    db: planeLive.db,
    projector: planeLive.projector,
    catalog,
    adapters,
    http: liveHttp,
    clock,
    log: log.child({ plane: 'live' }),
    baseUrlFor: (j) => planeLive.lookup.baseUrlFor(j),
    feeds: feedSlugs.slugs,
    intervalMs: config.feed_interval_seconds * 1_000,
    backfillDays: config.feed_backfill_days,
    onRun: (run) => feedMetrics.run(run),
  });
  // Watched permits are re-checked on the live plane only: the demo plane holds captured pages.
  const scheduler = createScheduler({
    db: planeLive.db,
    lookup: planeLive.lookup,
    catalog,
    clock,
    log: log.child({ plane: 'live', component: 'sync' }),
    intervalMs: config.sync_interval_seconds * 1_000,
    breakerWaitMs: (host) => liveHttp.breakerState(host).retry_after_ms,
    onCheck: (jurisdiction, kind) => syncMetrics.check(jurisdiction, kind),
    feeds,
  });
  const live = { ...planeLive, scheduler, feeds };
  // The demo plane sends every jurisdiction to the fixture portal: captured pages only.
  const demo = options.demoPortalUrl ? await plane('demo', config.demo_database_url, { '*': options.demoPortalUrl }, live.db) : undefined;
  registerUnknownStatusMetrics(metrics.registry, demo ? [live, demo] : [live]);
  registerOperationalMetrics(metrics.registry, {
    planes: demo ? [live, demo] : [live],
    accountsDb: live.db,
    plans: options.plans ?? resolvePlans(config.plans),
    clock,
  });

  const usage = createUsageRecorder(live.db, { onError: (err) => log.error({ err }, 'usage flush failed') });
  const counters = createCounterStore(live.db, {
    clock,
    onError: (err) => log.error({ err }, 'rate counter flush failed'),
  });
  const api = createApi({
    accountsDb: live.db,
    plans: options.plans ?? resolvePlans(config.plans),
    live,
    demo,
    log,
    clock,
    maxUrlLength: config.max_url_length,
    publicUrl: config.public_url,
    batchTimeoutSeconds: config.batch_timeout_seconds,
    demoDailyCap: config.demo_daily_cap,
    clientAddress: (await currentRuntime()).clientAddress,
    metrics,
    usage,
    counters,
    migrationIds: ALL_MIGRATIONS.map((m) => m.id),
    statusFastPath: options.statusFastPath,
    webhooks: {
      agent: deliveryAgent,
      allowPrivate: config.webhook_allow_private,
      resolve: webhookResolve,
      secretOverlapMs: config.webhook_secret_overlap_seconds * 1_000,
      wake: () => {
        live.dispatcher.wake();
        demo?.dispatcher.wake();
      },
    },
  });
  if (options.dispatch ?? config.webhook_dispatcher) {
    live.dispatcher.start();
    demo?.dispatcher.start();
  }
  if (options.sync) scheduler.start();

  let workersStopped: Promise<void> | undefined;
  /** Idempotent: the scheduler gives its checks and hosts back, the dispatchers end their attempts. */
  function stopWorkers(): Promise<void> {
    workersStopped ??= Promise.all([live.scheduler.stop(), live.dispatcher.stop(), demo?.dispatcher.stop()]).then(() => undefined);
    return workersStopped;
  }

  return {
    api,
    live,
    demo,
    log,
    metrics,
    stopWorkers,
    async close() {
      // First: its checks in flight are cancelled and given back, before the HTTP client goes.
      await stopWorkers();
      await deliveryAgent.close();
      await usage.close();
      await counters.close();
      await liveHttp.close();
      await demoHttp.close();
      await live.db.close();
      await demo?.db.close();
    },
  };
}
