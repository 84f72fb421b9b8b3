import type { Queryable } from '../db/db.ts';
import type { HttpClient } from '../http/client.ts';
import { forgetObserved, OBSERVE_BATCH_MAX, observeBatchIn, type ObserveInput } from '../ingest/observe.ts';
import type { LookupDeps } from '../ingest/lookup.ts';
import { portalSourceUrl } from '../ingest/source-url.ts';
import type { Observation } from '../jurisdictions/adapter.ts';
import type { Jurisdiction } from '../jurisdictions/jurisdiction.ts';
import { completeRun, readCursor, recordFailure, recordPage } from './feed-cursors.ts';
import { retryAfterFailure } from './slots.ts';

/**
 * Each run reads again this far before the last run began. Publishers stamp change columns with
 * their own clock or with a date only (Austin's statusdate, Bellingham's ISSUED are days) and
 * publish a day's rows late; re-reading a day costs a page, and rows already logged append nothing.
 */
export const FEED_OVERLAP_MS = 24 * 60 * 60 * 1000;
/** Observations per transaction: one observeMany batch, so a page's write lock stays short. */
export const FEED_BATCH = OBSERVE_BATCH_MAX;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface FeedRunSummary {
  jurisdiction: string;
  /** The first run of the jurisdiction: its rows are history (no `permit.created`). */
  backfill: boolean;
  /** Rows read, and how many were new or changed (an event was appended). */
  rows: number;
  appended: number;
  ok: boolean;
  error?: string;
}

/** The host lease a run must hold (the scheduler's, sync_hosts): each page's transaction renews it or the run stops. */
export interface FeedLease {
  worker: string;
  host: string;
  leaseMs: number;
}

/** The lookup service's own dependencies (the same database, projector, catalog, adapters and polite client), and: */
export interface FeedOptions extends Pick<LookupDeps, 'db' | 'projector' | 'catalog' | 'adapters' | 'http' | 'clock' | 'log'> {
  /** Where a jurisdiction's requests go (the lookup service's: its override or its own base URL). */
  baseUrlFor: (j: Jurisdiction) => string;
  /** The enabled feeds' slugs (config `feeds`, resolved by resolveFeeds). */
  feeds: readonly string[];
  intervalMs: number;
  backfillDays: number;
  /** Told each finished run (the app's Prometheus counters). */
  onRun?: (summary: FeedRunSummary) => void;
}

export interface Feeds {
  readonly jurisdictions: readonly Jurisdiction[];
  /** Reads one feed's changes since its cursor to the end of the answer. Never throws for a portal failure: the summary says. */
  run(slug: string, options?: { lease?: FeedLease; signal?: AbortSignal }): Promise<FeedRunSummary>;
}

/** Thrown inside a page's transaction when the run's host lease went to another worker: nothing of that page is kept. */
class LostHostLease extends Error {}

/**
 * The open-data feeds (issue 18): each run pulls the adapter's `changedSince(cursor)` through
 * the whole answer and appends every new or changed permit as a `source: "feed"` event through
 * the group-commit path, moving the cursor in the transaction of each page's events. A run that
 * dies leaves its window to be read again: rows already logged have the same content hash and
 * append nothing, so nothing is lost and nothing is logged twice. The first run of a
 * jurisdiction backfills `backfillDays` and marks its events `backfill` (no `permit.created`).
 */
export function createFeeds(options: FeedOptions): Feeds {
  const { db, projector, catalog, adapters, clock } = options;
  const jurisdictions = options.feeds.map((slug) => {
    const j = catalog.get(slug);
    if (!j) throw new Error(`feed ${slug} is not in the catalog`);
    return j;
  });

  async function run(slug: string, o: { lease?: FeedLease; signal?: AbortSignal } = {}): Promise<FeedRunSummary> {
    const j = jurisdictions.find((f) => f.slug === slug);
    const adapter = j && adapters[j.platform];
    if (!j || !adapter?.changedSince) throw new Error(`${slug} is not an enabled feed`);
    const log = options.log.child({ jurisdiction: slug, component: 'feed' });
    const cursor = await readCursor(db, slug);
    const startedMs = clock.now();
    const runStartedAt = iso(startedMs);
    const backfill = !cursor?.since;
    const windowStart = cursor?.run_since ?? cursor?.since ?? iso(startedMs - options.backfillDays * DAY_MS);
    const summary: FeedRunSummary = { jurisdiction: slug, backfill, rows: 0, appended: 0, ok: true };
    const base = options.baseUrlFor(j);
    const http: HttpClient = { ...options.http, fetch: (req) => options.http.fetch({ ...req, signal: o.signal }) };
    const requestId = `feed-${slug}-${runStartedAt}`;

    const toInput = (obs: Observation): ObserveInput => ({
      record: obs.record,
      source: 'feed',
      source_url: portalSourceUrl(obs.source_url, base, j.base_url),
      observedAt: iso(clock.now()),
      meta: {
        adapter: adapter.platform,
        adapter_version: adapter.version,
        request_id: requestId,
        fetch_ms: obs.fetch_ms,
        fetched_url: obs.source_url,
      },
      ...(backfill ? { backfill: true } : {}),
    });

    /** One transaction: the batch's events, the projections, the cursor (and, when `last`, the run's end). */
    async function commit(batch: ObserveInput[], last: boolean): Promise<void> {
      await db.transaction(async (tx) => {
        if (o.lease) await renewLease(tx, o.lease, clock.now());
        const out = batch.length > 0 ? await observeBatchIn(tx, projector, batch) : [];
        const appended = out.filter((r) => r.appended).length;
        if (batch.length > 0) await recordPage(tx, { jurisdiction: slug, runSince: windowStart, runStartedAt, rows: batch.length, appended });
        summary.rows += batch.length;
        summary.appended += appended;
        if (last) {
          // Never before the window this run read: a short backfill must not turn older history into news.
          const since = iso(Math.max(startedMs - FEED_OVERLAP_MS, Date.parse(windowStart)));
          const at = iso(clock.now());
          await completeRun(tx, { jurisdiction: slug, since, at, rows: summary.rows, appended: summary.appended, dueAt: startedMs + options.intervalMs });
        }
      });
      forgetObserved(db, batch);
    }

    try {
      let batch: ObserveInput[] = [];
      for await (const obs of adapter.changedSince(new Date(windowStart), { jurisdiction: j, baseUrl: base, http, log })) {
        // A page is committed once the next one has answered (or at FEED_BATCH rows): each page's
        // rows and the cursor share a transaction, and a failed page keeps none of its rows.
        if (batch.length >= FEED_BATCH || (batch.length > 0 && batch.at(-1)!.meta.fetched_url !== obs.source_url)) {
          await commit(batch, false);
          batch = [];
        }
        batch.push(toInput(obs));
      }
      await commit(batch, true);
    } catch (err) {
      summary.ok = false;
      summary.error = err instanceof Error ? err.message : String(err);
      if (o.signal?.aborted || err instanceof LostHostLease) {
        // Stopped, or the host moved on: not the feed's failure; its window is read again by whoever runs it next.
        return summary;
      }
      log.warn({ err: summary.error, rows: summary.rows }, 'feed run failed; its window is read again when next due');
      // The cursor keeps the last error only while failures run on: a second one waits longer.
      const failures = cursor?.last_error ? 2 : 1;
      await recordFailure(db, { jurisdiction: slug, at: iso(clock.now()), error: summary.error, dueAt: retryAfterFailure(failures, clock.now(), options.intervalMs) });
    }
    options.onRun?.(summary);
    if (summary.ok) log.info({ rows: summary.rows, appended: summary.appended, backfill }, 'feed read');
    return summary;
  }

  return { jurisdictions, run };
}

async function renewLease(tx: Queryable, lease: FeedLease, nowMs: number): Promise<void> {
  const r = await tx.run('UPDATE sync_hosts SET lease_until = ? WHERE host = ? AND lease_owner = ? AND lease_until >= ?', [
    nowMs + lease.leaseMs,
    lease.host,
    lease.worker,
    nowMs,
  ]);
  if (r.changes === 0) throw new LostHostLease(`host ${lease.host} is no longer held by ${lease.worker}`);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
