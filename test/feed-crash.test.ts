import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHICAGO_FEED_INITIAL, CHICAGO_FEED_PATH, chicagoFeedPermit, chicagoFeedRows } from '../fixtures/socrata/routes.ts';
import { openDatabase } from '../src/app.ts';
import type { Db } from '../src/db/db.ts';
import { startFixturePortal, type FixturePortal } from '../src/demo/fixture-portal.ts';
import { createHttpClient } from '../src/http/client.ts';
import { systemClock } from '../src/lib/clock.ts';
import { readCursor } from '../src/sync/feed-cursors.ts';
import { chicagoFeeds, FEED_CHILD_PAGE, FEED_CHILD_SLUG } from './feed-child-setup.ts';

/** 300 rows of 20 a page at 2 requests/s: a run of about 8 s, killed after its second page. */
const ROWS = 300;
const KILL_AFTER_ROWS = 2 * FEED_CHILD_PAGE;

let dir: string;
let url: string;
let db: Db;
let portal: FixturePortal;
let child: ChildProcess | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pw-feed-crash-'));
  url = `file:${join(dir, 'live.db')}`;
  db = await openDatabase(url);
  portal = await startFixturePortal({ routes: [], feeds: [{ path: CHICAGO_FEED_PATH, rows: chicagoFeedRows(ROWS), initial: CHICAGO_FEED_INITIAL }] });
  portal.publish(CHICAGO_FEED_PATH, ROWS - CHICAGO_FEED_INITIAL);
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await db.close();
  await portal.close();
  rmSync(dir, { recursive: true, force: true });
});

async function until(ok: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

describe('a feed run SIGKILLed mid-run', () => {
  it('resumes from its cursor: every row once, none missing, the backfill still a backfill', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'feed-child.ts'), url, portal.url], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((r) => child!.once('exit', r));
    const committed = async () => ((await readCursor(db, FEED_CHILD_SLUG))?.run_rows ?? 0) >= KILL_AFTER_ROWS;
    await until(committed, 30_000);
    child.kill('SIGKILL');
    await exited;
    const atKill = (await readCursor(db, FEED_CHILD_SLUG))!;
    expect(atKill.run_rows).toBeGreaterThanOrEqual(KILL_AFTER_ROWS);
    expect(atKill.run_rows).toBeLessThan(ROWS); // it really died mid-run
    expect(atKill.since).toBeNull();
    const eventsAtKill = (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM events'))!.n;
    expect(eventsAtKill).toBe(atKill.run_rows); // each committed page's events and cursor together
    console.log(`feed crash test: ${atKill.run_rows} of ${ROWS} rows committed at SIGKILL`);

    // The resumed run may go at full speed: the portal is ours, on loopback.
    const http = createHttpClient({ clock: systemClock, politeness: { requests_per_second: 1_000, concurrency: 4 } });
    try {
      const feeds = chicagoFeeds({ db, http, portalUrl: portal.url, pageSize: FEED_CHILD_PAGE });
      const resumed = await feeds.run(FEED_CHILD_SLUG);
      expect(resumed).toMatchObject({ ok: true, backfill: true, rows: ROWS, appended: ROWS - atKill.run_rows });
    } finally {
      await http.close();
    }
    const streams = await db.all<{ stream: string; n: number; v: number; backfill: number }>(
      "SELECT stream, COUNT(*) AS n, MAX(version) AS v, MIN(json_extract(data, '$.backfill')) AS backfill FROM events GROUP BY stream",
    );
    expect(streams.map((s) => s.stream).sort()).toEqual(Array.from({ length: ROWS }, (_, i) => `permit/${FEED_CHILD_SLUG}/${chicagoFeedPermit(i)}`).sort());
    expect(streams.every((s) => s.n === 1 && s.v === 1 && s.backfill === 1)).toBe(true);
    expect(await readCursor(db, FEED_CHILD_SLUG)).toMatchObject({ run_since: null, run_rows: 0, last_rows: ROWS });
    expect((await readCursor(db, FEED_CHILD_SLUG))!.since).not.toBeNull();
  }, 60_000);
});
