import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDatabase, type TempDatabase } from '../../test/temp-database.ts';
import { openDatabase } from '../app.ts';
import type { Db } from '../db/db.ts';
import type { LookupInput, LookupResult } from '../ingest/lookup.ts';
import { createCatalog } from '../jurisdictions/catalog.ts';
import type { Jurisdiction } from '../jurisdictions/jurisdiction.ts';
import { LADBS_JURISDICTION } from '../jurisdictions/ladbs/jurisdiction.ts';
import { createManualClock, type ManualClock } from '../lib/manual-clock.ts';
import { unwatchPermit, watchPermit } from '../testing/watch-permits.ts';
import { reconcileSchedule } from './reconcile.ts';
import { CHECK_LEASE_MS, createScheduler, type Scheduler } from './scheduler.ts';
import { nextSlot } from './slots.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const INTERVAL = 4 * HOUR;
const TICK = MINUTE;
/** Simulated portal answer time. */
const PORTAL_LATENCY_MS = 2_000;
/** 2026-12-07T00:00:00Z: a day of simulated time starts here. */
const START = Date.UTC(2026, 11, 7);

/** Four jurisdictions on four portal hosts (LADBS's entry under other names and base URLs). */
const JURISDICTIONS: Jurisdiction[] = ['north', 'south', 'east', 'west'].map((side) => ({
  ...LADBS_JURISDICTION,
  slug: `ladbs-${side}`,
  display_name: `LADBS ${side}`,
  base_url: `https://${side}.portal.example`,
  auto_detect: false,
}));
const catalog = createCatalog(JURISDICTIONS);
const permitsOf = (slug: string) => Array.from({ length: 6 }, (_, i) => ({ slug, number: `26014-10000-0${slug.length}${i}` }));
const PERMITS = JURISDICTIONS.flatMap((j) => permitsOf(j.slug));

interface Check {
  stream: string;
  at: number;
  worker: string;
}

/**
 * The scheduler's view of a portal, for specs of who checks what when: it records each check
 * with the clock's time and answers "unchanged" after a simulated fetch time (no I/O, so the
 * manual clock alone moves the day along). The fetch itself is the lookup service's, covered by test/watch-sync tests.
 */
function recordingLookup(worker: string, checks: Check[], clock: ManualClock, fail?: (slug: string) => boolean) {
  return {
    baseUrlFor: (j: Jurisdiction) => j.base_url,
    async lookup(input: LookupInput): Promise<LookupResult> {
      const j = catalog.get(input.jurisdiction!)!;
      checks.push({ stream: `permit/${j.slug}/${input.permitNumber}`, at: clock.now(), worker });
      await clock.sleep(PORTAL_LATENCY_MS); // so two workers' checks overlap in time, as real fetches do
      if (fail?.(j.slug))
        return {
          ok: false,
          reason: 'jurisdiction_unavailable',
          jurisdiction: j,
          retry_after_seconds: 60,
          cause: 'http_5xx',
          message: 'down',
        };
      return { ok: true, source: 'live', changed: false, jurisdiction: j, age_seconds: 0, row: {} as never };
    },
  };
}

let temp: TempDatabase;
let second: Db | undefined;
let clock: ManualClock;
const running: Scheduler[] = [];

beforeEach(async () => {
  temp = await openTempDatabase('sync');
  clock = createManualClock(START);
});

afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
  await second?.close();
  second = undefined;
  await temp.close();
});

function scheduler(db: Db, worker: string, checks: Check[], fail?: (slug: string) => boolean): Scheduler {
  const s = createScheduler({
    db,
    lookup: recordingLookup(worker, checks, clock, fail),
    catalog,
    clock,
    log: pino({ level: 'silent' }),
    intervalMs: INTERVAL,
    tickMs: TICK,
    workerId: worker,
  });
  running.push(s);
  return s;
}

async function watchAll(): Promise<void> {
  for (const p of PERMITS) await watchPermit(temp.db, 'key_1', p.slug, p.number);
}

describe('reconcile', () => {
  it('schedules a newly watched permit at its next slot and drops one nobody watches any more', async () => {
    await watchAll();
    await watchPermit(temp.db, 'key_2', PERMITS[0]!.slug, PERMITS[0]!.number); // a second watcher: still one permit to check
    expect(await reconcileSchedule(temp.db, START, INTERVAL)).toEqual({ added: PERMITS.length, removed: 0 });
    const rows = await temp.db.all<{ stream: string; due_at: number }>('SELECT stream, due_at FROM sync_schedule');
    expect(rows).toHaveLength(PERMITS.length);
    for (const r of rows) expect(r.due_at).toBe(nextSlot(r.stream, START, INTERVAL));

    await unwatchPermit(temp.db, 'key_1', PERMITS[1]!.slug, PERMITS[1]!.number);
    await unwatchPermit(temp.db, 'key_1', PERMITS[0]!.slug, PERMITS[0]!.number); // key_2 still watches it
    expect(await reconcileSchedule(temp.db, START, INTERVAL)).toEqual({ added: 0, removed: 1 });
    expect(await reconcileSchedule(temp.db, START, INTERVAL)).toEqual({ added: 0, removed: 0 });
  });
});

describe('two workers on one database file over a simulated day', () => {
  it('check every permit exactly once per interval, at its slot, sharing the hosts between them', async () => {
    await watchAll();
    second = await openDatabase(temp.url); // the other process's own connection to the same file
    const checks: Check[] = [];
    scheduler(temp.db, 'worker_a', checks).start();
    scheduler(second, 'worker_b', checks).start();
    for (let t = 0; t < 24 * HOUR; t += 5 * MINUTE) await clock.advance(5 * MINUTE);

    for (const p of PERMITS) {
      const stream = `permit/${p.slug}/${p.number}`;
      const times = checks.filter((c) => c.stream === stream).map((c) => c.at);
      // Slots fall every INTERVAL from the first one after START: six in the day.
      const first = nextSlot(stream, START, INTERVAL);
      expect(times, stream).toHaveLength(Math.floor((START + 24 * HOUR - first) / INTERVAL) + 1);
      times.forEach((at, k) => {
        expect(at).toBeGreaterThanOrEqual(first + k * INTERVAL);
        // Each check comes within a tick of its slot (the second worker joins within one tick).
        expect(at - (first + k * INTERVAL)).toBeLessThanOrEqual(TICK);
      });
    }
    // Both took part: each held some of the four hosts.
    const byWorker = new Map<string, Set<string>>();
    for (const c of checks) byWorker.set(c.worker, (byWorker.get(c.worker) ?? new Set()).add(c.stream.split('/')[1]!));
    expect([...byWorker.keys()].sort()).toEqual(['worker_a', 'worker_b']);
    expect(byWorker.get('worker_a')!.size + byWorker.get('worker_b')!.size).toBe(4);
  });
});

describe('a worker that dies mid-pass', () => {
  it('loses no due check: its hosts and its claimed checks pass to another worker once their leases lapse', async () => {
    await watchAll();
    await reconcileSchedule(temp.db, START, INTERVAL);
    await clock.advance(INTERVAL); // every permit is due once
    const checks: Check[] = [];
    // The dying worker's portal calls never return: it holds its hosts and its first batches forever.
    const dying = createScheduler({
      db: temp.db,
      lookup: {
        ...recordingLookup('dying', checks, clock),
        lookup: (input) => (
          checks.push({ stream: `permit/${input.jurisdiction}/${input.permitNumber}`, at: clock.now(), worker: 'dying' }),
          new Promise(() => {})
        ),
      },
      catalog,
      clock,
      log: pino({ level: 'silent' }),
      intervalMs: INTERVAL,
      workerId: 'dying',
    });
    void dying.runOnce();
    await clock.advance(1);
    const hung = checks.map((c) => c.stream);
    expect(hung.length).toBe(4 * LADBS_JURISDICTION.politeness.concurrency);

    second = await openDatabase(temp.url);
    scheduler(second, 'survivor', checks).start();
    for (let t = 0; t < 10 * MINUTE; t += TICK) await clock.advance(TICK);
    const survived = checks.filter((c) => c.worker === 'survivor');
    // Every permit was checked by the survivor, the hung ones included (after the check lease)...
    expect(new Set(survived.map((c) => c.stream))).toEqual(new Set(PERMITS.map((p) => `permit/${p.slug}/${p.number}`)));
    for (const stream of hung)
      expect(survived.find((c) => c.stream === stream)!.at).toBeGreaterThanOrEqual(START + INTERVAL + CHECK_LEASE_MS);
    // ...and none twice in one interval of its grid (a permit whose slot comes round again in these
    // ten minutes is checked in its next interval, as it should be).
    for (const p of PERMITS) {
      const stream = `permit/${p.slug}/${p.number}`;
      const windows = survived.filter((c) => c.stream === stream).map((c) => nextSlot(stream, c.at, INTERVAL));
      expect(new Set(windows).size, stream).toBe(windows.length);
    }
  });
});

describe('a failing jurisdiction', () => {
  it('backs off by the failure schedule while the other hosts stay on their slots', async () => {
    await watchAll();
    const checks: Check[] = [];
    scheduler(temp.db, 'worker_a', checks, (slug) => slug === 'ladbs-north').start();
    for (let t = 0; t < 8 * HOUR; t += MINUTE) await clock.advance(MINUTE);

    const north = checks.filter((c) => c.stream.includes('/ladbs-north/'));
    const others = checks.filter((c) => !c.stream.includes('/ladbs-north/'));
    // Others: two slots each in 8 hours, on time.
    expect(others).toHaveLength(2 * 18);
    for (const c of others) expect((c.at - nextSlot(c.stream, START, INTERVAL)) % INTERVAL).toBeLessThanOrEqual(TICK);
    // North: asked again after 1, 5, 15 and then every 60 minutes, not every tick.
    const one = north.filter((c) => c.stream === north[0]!.stream).map((c) => c.at);
    const gaps = one.slice(1).map((at, i) => Math.round((at - one[i]!) / MINUTE));
    expect(gaps.slice(0, 4)).toEqual([1, 5, 15, 60]);
    const row = await temp.db.get<{ failures: number; last_result: string }>(
      'SELECT failures, last_result FROM sync_schedule WHERE stream = ?',
      [north[0]!.stream],
    );
    expect(row).toMatchObject({ failures: one.length, last_result: 'failed: down' });
  });
});

describe('sync --once', () => {
  it('checks what is due on the hosts nobody holds, reports them, and lets the hosts go', async () => {
    await watchAll();
    await reconcileSchedule(temp.db, START, INTERVAL);
    await clock.advance(INTERVAL); // every permit is due once
    const checks: Check[] = [];
    const progress: number[] = [];
    const summary = await clock.runUntilSettled(scheduler(temp.db, 'once', checks).runOnce({ onProgress: (done) => progress.push(done) }));
    expect(summary).toEqual({ due: 24, checked: 24, changed: 0, unchanged: 24, not_found: 0, failed: 0, deferred: 0, hosts_elsewhere: 0, feeds: [] });
    expect(new Set(checks.map((c) => c.stream)).size).toBe(24);
    expect(progress.at(-1)).toBe(24);
    expect(await temp.db.all('SELECT host FROM sync_hosts WHERE lease_owner IS NOT NULL')).toEqual([]);
    // Nothing is due again within the interval.
    expect((await clock.runUntilSettled(scheduler(temp.db, 'again', checks).runOnce())).checked).toBe(0);
  });
});

describe('a permit with an inspection scheduled within a day', () => {
  it('is checked hourly until the inspection day has passed, then on the interval again; the others stay on the interval', async () => {
    const [soon, later, done] = permitsOf('ladbs-north').map((p) => `permit/${p.slug}/${p.number}`) as [string, string, string];
    for (const p of permitsOf('ladbs-north').slice(0, 3)) await watchPermit(temp.db, 'key_1', p.slug, p.number);
    // The inspections read model as a check would leave it. START is 16:00 on 6 December in Los
    // Angeles (the jurisdiction's zone), so the 7th is tomorrow there.
    const inspection = (stream: string, date: string, status: string) =>
      temp.db.run(`INSERT INTO inspections (stream, seq, type, date, status) VALUES (?, 1, 'Final', ?, ?)`, [stream, date, status]);
    await inspection(soon, '2026-12-07', 'scheduled');
    await inspection(later, '2026-12-10', 'scheduled');
    await inspection(done, '2026-12-07', 'completed');
    const checks: Check[] = [];
    scheduler(temp.db, 'worker_a', checks).start();
    for (let t = 0; t < 48 * HOUR; t += 5 * MINUTE) await clock.advance(5 * MINUTE);

    const gaps = (stream: string) => {
      const at = checks.filter((c) => c.stream === stream).map((c) => c.at);
      return at.slice(1).map((t, i) => ({ at: t, gap: t - at[i]! }));
    };
    /** Midnight starting 8 December in Los Angeles: from here the 7th's inspection is past. */
    const dayAfter = Date.UTC(2026, 11, 8, 8);
    // The check that finds the day passed is the first after its midnight: up to it, hourly.
    const turn = gaps(soon).findIndex((g) => g.at > dayAfter);
    const hourly = gaps(soon).slice(0, turn + 1);
    // The first check finds the inspection and moves the permit onto its hourly grid (a phase of
    // its own, so that first wait is under an hour); from then on, every hour on the hour of it.
    expect(hourly.length).toBeGreaterThanOrEqual(24);
    expect(hourly[0]!.gap).toBeLessThanOrEqual(HOUR);
    for (const g of hourly.slice(1)) expect(g.gap).toBe(HOUR);
    // After it, back onto the interval's grid.
    const after = gaps(soon).slice(turn + 1);
    expect(after.length).toBeGreaterThan(1);
    expect(after[0]!.gap).toBeLessThanOrEqual(INTERVAL);
    for (const g of after.slice(1)) expect(g.gap).toBe(INTERVAL);
    for (const stream of [later, done]) {
      expect(gaps(stream)).toHaveLength(11);
      for (const g of gaps(stream)) expect(g.gap).toBe(INTERVAL);
    }
  });
});
