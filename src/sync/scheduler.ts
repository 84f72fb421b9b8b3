import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/db.ts';
import type { LookupService } from '../ingest/lookup.ts';
import type { Catalog } from '../jurisdictions/catalog.ts';
import type { Jurisdiction } from '../jurisdictions/jurisdiction.ts';
import type { Clock } from '../lib/clock.ts';
import { dueFeeds, nextFeedDueAt } from './feed-cursors.ts';
import type { FeedRunSummary, Feeds } from './feeds.ts';
import { claimDue, completeChecks, releaseChecks, type ClaimedCheck, type Completion } from './claims.ts';
import { leaveHosts, releaseHost, shareHosts } from './host-leases.ts';
import { hasInspectionSoon } from './inspection-soon.ts';
import { reconcileSchedule } from './reconcile.ts';
import { recheck, type CheckKind, type CheckOutcome } from './recheck.ts';
import { nextSlot, retryAfterFailure, SOON_INTERVAL_MS } from './slots.ts';

/**
 * How long a claimed check stays in one worker's hands: the host queue's wait plus three
 * attempts against 20 s portal timeouts fit well inside, and a dead worker's claimed checks are
 * claimable again after it.
 */
export const CHECK_LEASE_MS = 5 * 60_000;
/**
 * How long a worker holds a portal host without renewing: a dead worker's hosts move on within
 * it. Longer than one batch against a hanging portal (three attempts of 20 s timeouts), since a
 * one-off pass renews only between batches.
 */
export const HOST_LEASE_MS = 2 * 60_000;
/**
 * How often a worker renews its hosts, reconciles the watchlist and an idle host looks again for
 * due checks: several renewals per host lease, and a new watch is scheduled within it.
 */
export const TICK_MS = 15_000;

export interface SchedulerOptions {
  db: Db;
  lookup: Pick<LookupService, 'lookup' | 'baseUrlFor'>;
  catalog: Catalog;
  clock: Clock;
  log: Logger;
  intervalMs: number;
  soonIntervalMs?: number;
  checkLeaseMs?: number;
  hostLeaseMs?: number;
  tickMs?: number;
  /** Names this worker in leases; random per process by default. */
  workerId?: string;
  /** A host's circuit breaker: while it refuses calls, the host's checks wait instead of failing one by one. */
  breakerWaitMs?: (host: string) => number;
  /** Told each finished check (the app's Prometheus counters). */
  onCheck?: (jurisdiction: string, kind: CheckKind) => void;
  /** The open-data feeds (issue 18): read by whoever holds their portal host, within its budget. */
  feeds?: Feeds;
}

export interface PassSummary {
  /** Checks that were due when the pass began on hosts this pass held. */
  due: number;
  checked: number;
  changed: number;
  unchanged: number;
  not_found: number;
  failed: number;
  /** Due checks this pass left due: their host's circuit was open (the portal is failing), or the pass was stopped. */
  deferred: number;
  /** Hosts with watched permits or feeds that another running worker holds: their checks are its to make. */
  hosts_elsewhere: number;
  /** Each feed this pass read (all of those on the hosts it held, due or not). */
  feeds: FeedRunSummary[];
}

export interface Scheduler {
  readonly workerId: string;
  /** One pass (`permitwatch sync --once`): checks what is due now on the hosts nobody else holds, then lets them go. */
  runOnce(options?: { onProgress?: (done: number, due: number) => void }): Promise<PassSummary>;
  /** Runs until stopped: each held host checks its permits as they come due. */
  start(): void;
  /** Cancels checks in flight (their claims are given back), lets the hosts go, and stops. */
  stop(): Promise<void>;
}

interface HostWork {
  /** Jurisdictions with watched permits on the host. */
  jurisdictions: Jurisdiction[];
  /** Enabled feeds on the host (slugs). */
  feeds: string[];
  /** Checks in flight at once: the host's strictest catalog concurrency. */
  batch: number;
}

/**
 * The watchlist scheduler (issue 17): re-checks every watched permit once per interval at its
 * spread slot, through the lookup write path. Work is shared through the database: each portal
 * host is held by one worker at a time (so its politeness budget is kept by that worker's host
 * queue), and each due check is claimed with a lease (so no check is made twice, and none is
 * lost when a worker dies). A failing host backs off on its own; the other hosts' loops go on.
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const { db, lookup, catalog, clock, log, intervalMs } = options;
  const soonMs = options.soonIntervalMs ?? SOON_INTERVAL_MS;
  const checkLeaseMs = options.checkLeaseMs ?? CHECK_LEASE_MS;
  const hostLeaseMs = options.hostLeaseMs ?? HOST_LEASE_MS;
  const tickMs = options.tickMs ?? TICK_MS;
  const worker = options.workerId ?? `sync_${randomUUID().slice(0, 8)}`;
  const stopping = new AbortController();
  const stopped = new Promise<void>((resolve) => stopping.signal.addEventListener('abort', () => resolve(), { once: true }));
  const pause = (ms: number) => Promise.race([clock.sleep(ms), stopped]);
  const unknownSlugs = new Set<string>();
  let requests = 0;

  /** The hosts that have scheduled permits or feeds, with their jurisdictions. */
  async function scheduledHosts(): Promise<Map<string, HostWork>> {
    const rows = await db.all<{ jurisdiction: string }>('SELECT DISTINCT jurisdiction FROM sync_schedule');
    const hosts = new Map<string, HostWork>();
    const workOf = (j: Jurisdiction) => {
      const host = new URL(lookup.baseUrlFor(j)).host;
      const work = hosts.get(host) ?? { jurisdictions: [], feeds: [], batch: Infinity };
      work.batch = Math.min(work.batch, j.politeness.concurrency);
      hosts.set(host, work);
      return work;
    };
    for (const { jurisdiction } of rows) {
      const j = catalog.get(jurisdiction);
      if (!j) {
        if (!unknownSlugs.has(jurisdiction))
          log.warn({ jurisdiction }, 'watched permits of a jurisdiction not in the catalog are not checked');
        unknownSlugs.add(jurisdiction);
        continue;
      }
      workOf(j).jurisdictions.push(j);
    }
    for (const j of options.feeds?.jurisdictions ?? []) workOf(j).feeds.push(j.slug);
    return hosts;
  }

  /** When the permit is due next after this outcome, and its failure count. */
  async function completion(check: ClaimedCheck, outcome: CheckOutcome, j: Jurisdiction): Promise<Completion> {
    const now = clock.now();
    const checkedAt = new Date(now).toISOString();
    if (outcome.kind === 'failed') {
      const failures = check.failures + 1;
      return {
        stream: check.stream,
        nextDueAt: retryAfterFailure(failures, now, intervalMs),
        result: `failed: ${outcome.reason}`,
        failures,
        checkedAt,
      };
    }
    const soon = outcome.kind !== 'not_found' && (await hasInspectionSoon(db, check.stream, now, j.time_zone));
    return {
      stream: check.stream,
      nextDueAt: nextSlot(check.stream, now, soon ? soonMs : intervalMs),
      result: outcome.kind,
      failures: 0,
      checkedAt,
    };
  }

  /** Claims one batch of the host's checks due by `dueBy` and makes them. Returns the outcomes (none: nothing was due). */
  async function checkBatch(host: string, work: HostWork, dueBy: number): Promise<CheckKind[]> {
    const slugs = work.jurisdictions.map((j) => j.slug);
    if (slugs.length === 0) return [];
    const claimed = await claimDue(db, {
      worker,
      host,
      jurisdictions: slugs,
      dueBy,
      nowMs: clock.now(),
      leaseMs: checkLeaseMs,
      limit: work.batch,
    });
    if (claimed.length === 0) return [];
    const outcomes = await Promise.all(
      claimed.map((c) =>
        recheck(lookup, c, `sync-${worker}-${++requests}`, stopping.signal).catch((err: unknown): CheckOutcome => {
          log.error({ err, stream: c.stream }, 'scheduled check failed unexpectedly');
          return { kind: 'failed', reason: 'internal error' };
        }),
      ),
    );
    if (stopping.signal.aborted) {
      // Stopping cut these checks short: give them back as they were, to be made by whoever is next.
      await releaseChecks(
        db,
        worker,
        claimed.map((c) => c.stream),
      );
      return [];
    }
    const done = await Promise.all(
      claimed.map((c, i) =>
        completion(
          c,
          outcomes[i]!,
          work.jurisdictions.find((j) => j.slug === c.jurisdiction)!,
        ),
      ),
    );
    const lost = await completeChecks(db, worker, done);
    if (lost.length > 0) log.warn({ streams: lost, host }, 'checks finished after their lease lapsed or their watch ended');
    claimed.forEach((c, i) => options.onCheck?.(c.jurisdiction, outcomes[i]!.kind));
    return outcomes.map((o) => o.kind);
  }

  /**
   * When the host's next work can start: its next feed read, the earliest due time of a check
   * nobody holds, or for one in someone's hands, the later of its due time and its lease's end. Asked after every
   * batch, so both are index reads (the first row of `sync_schedule_due` per jurisdiction, and the
   * few leased rows through `sync_schedule_leased`; `+jurisdiction` keeps the planner off the
   * jurisdiction's whole range there), not a scan of the host's schedule.
   */
  async function nextClaimableAt(work: HostWork): Promise<number | undefined> {
    const now = clock.now();
    const times: number[] = [];
    // A host without feeds waits on its checks alone, as before feeds.
    const feedAt = work.feeds.length > 0 ? await nextFeedDueAt(db, work.feeds) : undefined;
    if (feedAt !== undefined) times.push(feedAt);
    for (const j of work.jurisdictions) {
      const free = await db.get<{ due_at: number }>(
        'SELECT due_at FROM sync_schedule WHERE jurisdiction = ? AND (lease_until IS NULL OR lease_until < ?) ORDER BY due_at LIMIT 1',
        [j.slug, now],
      );
      if (free) times.push(free.due_at);
    }
    const slugs = work.jurisdictions.map((j) => j.slug);
    if (slugs.length > 0) {
      const held = await db.get<{ at: number | null }>(
        `SELECT MIN(MAX(due_at, lease_until + 1)) AS at FROM sync_schedule
         WHERE lease_until >= ? AND +jurisdiction IN (${slugs.map(() => '?').join(', ')})`,
        [now, ...slugs],
      );
      if (held?.at != null) times.push(held.at);
    }
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  /** Reads the host's feeds that are due (`all`: every one), one after another within the host's budget. */
  async function runFeeds(host: string, work: HostWork, all: boolean): Promise<FeedRunSummary[]> {
    const feeds = options.feeds;
    if (!feeds || work.feeds.length === 0) return [];
    const slugs = all ? work.feeds : await dueFeeds(db, work.feeds, clock.now());
    const done: FeedRunSummary[] = [];
    for (const slug of slugs) {
      if (stopping.signal.aborted) break;
      done.push(await feeds.run(slug, { lease: { worker, host, leaseMs: hostLeaseMs }, signal: stopping.signal }));
    }
    return done;
  }

  // --- one pass -------------------------------------------------------------------------------

  async function runOnce(o: { onProgress?: (done: number, due: number) => void } = {}): Promise<PassSummary> {
    await reconcileSchedule(db, clock.now(), intervalMs);
    const hosts = await scheduledHosts();
    const passStart = clock.now();
    const { held } = await shareHosts(db, { worker, hosts: [...hosts.keys()], nowMs: passStart, leaseMs: hostLeaseMs, mode: 'free' });
    const summary: PassSummary = {
      due: 0,
      checked: 0,
      changed: 0,
      unchanged: 0,
      not_found: 0,
      failed: 0,
      deferred: 0,
      hosts_elsewhere: hosts.size - held.length,
      feeds: [],
    };
    for (const host of held) {
      const slugs = hosts.get(host)!.jurisdictions.map((j) => j.slug);
      if (slugs.length === 0) continue;
      const row = await db.get<{ n: number }>(
        `SELECT COUNT(*) AS n FROM sync_schedule WHERE jurisdiction IN (${slugs.map(() => '?').join(', ')}) AND due_at <= ?`,
        [...slugs, passStart],
      );
      summary.due += row?.n ?? 0;
    }
    o.onProgress?.(0, summary.due);
    // The pass may outlast a host lease (1 request/s, thousands of permits): renew between batches.
    let renewedAt = passStart;
    try {
      await Promise.all(
        held.map(async (host) => {
          const work = hosts.get(host)!;
          summary.feeds.push(...(await runFeeds(host, work, true)));
          for (;;) {
            // A host whose circuit is open is left for the next pass: waiting out each cool-down
            // here would hold the pass for hours on a portal that is down.
            if (stopping.signal.aborted || (options.breakerWaitMs?.(host) ?? 0) > 0) return;
            if (clock.now() - renewedAt >= hostLeaseMs / 3) {
              renewedAt = clock.now();
              await renewHosts(held);
            }
            const kinds = await checkBatch(host, work, passStart);
            if (kinds.length === 0) return;
            for (const kind of kinds) summary[kind] += 1;
            summary.checked += kinds.length;
            o.onProgress?.(summary.checked, summary.due);
          }
        }),
      );
    } finally {
      await leaveHosts(db, worker);
    }
    summary.deferred = summary.due - summary.checked;
    return summary;
  }

  async function renewHosts(hosts: readonly string[]): Promise<void> {
    await db.transaction(async (tx) => {
      for (const host of hosts) {
        await tx.run('UPDATE sync_hosts SET lease_until = ? WHERE host = ? AND lease_owner = ?', [clock.now() + hostLeaseMs, host, worker]);
      }
    });
  }

  // --- running until stopped -------------------------------------------------------------------

  const loops = new Map<string, Promise<void>>();
  let held = new Set<string>();
  let surplus = new Set<string>();
  let hostWork = new Map<string, HostWork>();
  let main: Promise<void> | undefined;

  async function hostLoop(host: string): Promise<void> {
    while (!stopping.signal.aborted && held.has(host) && !surplus.has(host)) {
      try {
        const work = hostWork.get(host);
        if (!work) return;
        const wait = options.breakerWaitMs?.(host) ?? 0;
        if (wait > 0) {
          await pause(wait);
          continue;
        }
        // A feed that stopped short (host lost, stopping) is not run again at once: the tick decides.
        if (work.feeds.length > 0 && (await runFeeds(host, work, false)).some((r) => r.ok)) continue;
        if ((await checkBatch(host, work, clock.now())).length > 0) continue;
        const next = await nextClaimableAt(work);
        await pause(next === undefined ? tickMs : Math.min(tickMs, Math.max(0, next - clock.now())));
      } catch (err) {
        log.error({ err, host }, 'scheduler host loop failed; retrying after a tick');
        await pause(tickMs);
      }
    }
  }

  /** Renews this worker's hosts, takes its share, starts a loop per new host, lets surplus hosts go once their loop ends. */
  async function maintain(): Promise<void> {
    await reconcileSchedule(db, clock.now(), intervalMs);
    hostWork = await scheduledHosts();
    if (hostWork.size === 0 && held.size === 0) return;
    const share = await shareHosts(db, { worker, hosts: [...hostWork.keys()], nowMs: clock.now(), leaseMs: hostLeaseMs, mode: 'fair' });
    held = new Set(share.held);
    surplus = new Set(share.surplus);
    for (const host of share.held) {
      if (loops.has(host)) continue;
      if (surplus.has(host)) {
        await releaseHost(db, worker, host);
        continue;
      }
      const loop = hostLoop(host).finally(async () => {
        loops.delete(host);
        if (surplus.has(host))
          await releaseHost(db, worker, host).catch((err: unknown) => log.error({ err, host }, 'releasing a host failed'));
      });
      loops.set(host, loop);
    }
  }

  async function run(): Promise<void> {
    while (!stopping.signal.aborted) {
      try {
        await maintain();
      } catch (err) {
        log.error({ err }, 'scheduler maintenance failed; retrying after a tick');
      }
      await pause(tickMs);
    }
  }

  return {
    workerId: worker,
    runOnce,
    start() {
      if (main || stopping.signal.aborted) return;
      main = run();
    },
    async stop() {
      stopping.abort();
      await main;
      await Promise.all(loops.values());
      if (main) await leaveHosts(db, worker);
    },
  };
}
