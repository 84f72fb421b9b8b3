import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_ROUTES } from '../fixtures/routes.ts';
import { openDatabase } from '../src/app.ts';
import type { Db } from '../src/db/db.ts';
import { startFixturePortal, type FixturePortal } from '../src/demo/fixture-portal.ts';
import { reconcileSchedule } from '../src/sync/reconcile.ts';
import { nextSlot } from '../src/sync/slots.ts';
import { watchPermit } from '../src/testing/watch-permits.ts';
import { SYNC_CHILD_TIMING } from './sync-child-setup.ts';

const { intervalMs: INTERVAL_MS } = SYNC_CHILD_TIMING;
const PER_HOST = 8;
/** Kill the first worker once this many checks have reached the portals: well inside the pass. */
const KILL_AFTER = 4;
/** Send jitter allowed at the portal on this shared machine (see test/watch-sync.e2e.test.ts). */
const JITTER_MS = 250;
const numbers = (base: number) => Array.from({ length: PER_HOST }, (_, i) => `26014-10000-${String(base + i).padStart(5, '0')}`);
const WATCHED = [...numbers(100).map((n) => ({ slug: 'ladbs', n })), ...numbers(200).map((n) => ({ slug: 'ladbs-b', n }))];

let dir: string;
let url: string;
let db: Db;
const portals: FixturePortal[] = [];
/** Per permit stream, when its detail page was requested (arrival at the portal). */
const arrivals = new Map<string, number[]>();
const byHost: number[][] = [[], []];
const children: ChildProcess[] = [];

function startChild(worker: string): Promise<ChildProcess> {
  const args = [join(import.meta.dirname, 'sync-child.ts'), url, portals[0]!.url, portals[1]!.url, worker];
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`sync child exited early (${code})`)));
  });
}

async function until(ok: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pw-sync-crash-'));
  url = `file:${join(dir, 'live.db')}`;
  db = await openDatabase(url);
  for (const { slug, n } of WATCHED) await watchPermit(db, 'key_1', slug, n);
  for (const [i, slug] of ['ladbs', 'ladbs-b'].entries()) {
    const portal = await startFixturePortal({ routes: FIXTURE_ROUTES });
    const log = portal.requests;
    portal.requests.push = (...r) => {
      const q = new URL(r[0]!.url, 'http://x').searchParams;
      const stream = `permit/${slug}/${q.get('id1')}-${q.get('id2')}-${q.get('id3')}`;
      arrivals.set(stream, [...(arrivals.get(stream) ?? []), Date.now()]);
      byHost[i]!.push(Date.now());
      return Array.prototype.push.apply(log, r);
    };
    portals.push(portal);
  }
}, 60_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await db.close();
  for (const p of portals) await p.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('two sync processes on one database file', () => {
  it('lose no due check when one is SIGKILLed mid-pass, check none twice in an interval, and keep each host within its rate', async () => {
    // Scheduled, but nothing due until both workers run and have shared the two hosts out.
    await reconcileSchedule(db, Date.now(), INTERVAL_MS);
    await db.run('UPDATE sync_schedule SET due_at = due_at + ?', [60 * INTERVAL_MS]);
    const [first] = await Promise.all([startChild('worker_first'), startChild('worker_second')]);
    const split = async () =>
      (await db.all<{ lease_owner: string }>('SELECT DISTINCT lease_owner FROM sync_hosts WHERE lease_owner IS NOT NULL')).length === 2;
    await until(split, 20_000);
    expect(await split()).toBe(true);
    // Every permit is due now, at the slot before its next one: one pass's worth of checks.
    await db.run('UPDATE sync_schedule SET due_at = due_at - ?', [61 * INTERVAL_MS]);
    const passStart = Date.now();
    await until(() => [...arrivals.values()].flat().length >= KILL_AFTER, 20_000);
    first.kill('SIGKILL');
    const killedAt = Date.now();
    const doneAtKill = (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM sync_schedule WHERE last_checked_at IS NOT NULL'))!.n;
    await new Promise((r) => first.once('exit', r));

    const allChecked = async () =>
      (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM sync_schedule WHERE last_checked_at IS NOT NULL'))?.n === WATCHED.length;
    await until(allChecked, 20_000);
    expect(await allChecked()).toBe(true);
    expect(doneAtKill).toBeLessThan(WATCHED.length); // it really died mid-pass
    console.log(`sync crash test: ${doneAtKill} of ${WATCHED.length} checked at SIGKILL, ${killedAt - passStart} ms into the pass`);

    // Checks each permit had recorded: one row update per finished check (src/sync/claims.ts).
    const checks = new Map(
      (await db.all<{ stream: string; checks: number }>('SELECT stream, checks FROM sync_schedule')).map((r) => [r.stream, r.checks]),
    );
    let repeated = 0;
    for (const { slug, n } of WATCHED) {
      const stream = `permit/${slug}/${n}`;
      const times = arrivals.get(stream) ?? [];
      expect(times.length, stream).toBeGreaterThan(0);
      // Interval windows of this permit's grid: a second request in one window is a repeat.
      const windows = times.map((t) => nextSlot(stream, t, INTERVAL_MS));
      const repeats = windows.length - new Set(windows).size;
      // A second request before the kill is the HTTP client retrying one check's timed-out or
      // 5xx request (src/http/client.ts; a loaded machine makes the fixture portal that slow):
      // the permit then has one check recorded, not two.
      if (repeats > 0 && times.at(-1)! <= killedAt) {
        expect(checks.get(stream), `${stream}: one check, its request retried`).toBe(1);
        continue;
      }
      // Only a check the killed worker had claimed may be made again, after the kill, once its
      // lease lapsed (the claim's time is not seen from here; its lease is CHECK_LEASE_MS).
      repeated += repeats;
    }
    // At most the killed worker's batches in flight: 2 at a time on each of 2 hosts.
    expect(repeated).toBeLessThanOrEqual(4);
    // Never more than 4 requests started within a second at either host, across both processes.
    for (const times of byHost) times.slice(4).forEach((t, i) => expect(t - times[i]!).toBeGreaterThanOrEqual(1_000 - JITTER_MS));
  }, 60_000);
});
