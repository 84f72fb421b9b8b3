import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliContext } from '../src/cli/context.ts';
import { syncCommand } from '../src/cli/sync.ts';
import { FIXTURE_ROUTES } from '../fixtures/routes.ts';
import { openDatabase } from '../src/app.ts';
import type { Db } from '../src/db/db.ts';
import { startFixturePortal, type FixturePortal } from '../src/demo/fixture-portal.ts';
import { watchPermit } from '../src/testing/watch-permits.ts';
import { runCliCaptured } from './run-cli.ts';

let dir: string;
let portal: FixturePortal;
let db: Db;
let env: Record<string, string>;
const cli = (...argv: string[]) => runCliCaptured(argv, env);
const makeAllDue = () => db.run('UPDATE sync_schedule SET due_at = 0');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pw-cli-sync-'));
  portal = await startFixturePortal({ routes: FIXTURE_ROUTES });
  const url = `file:${join(dir, 'live.db')}`;
  env = {
    PERMITWATCH_DATABASE_URL: url,
    PERMITWATCH_PORTAL_OVERRIDES: `*=${portal.url}`,
    PERMITWATCH_DEMO: 'false',
    PERMITWATCH_LOG_LEVEL: 'silent',
  };
  db = await openDatabase(url);
  await watchPermit(db, 'key_1', 'ladbs', '16041-10000-23545');
  await watchPermit(db, 'key_1', 'ladbs', '26030-10000-01235');
});

afterAll(async () => {
  await db.close();
  await portal.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('permitwatch sync --once', () => {
  it('schedules new watches at their slots, then checks what is due and prints the summary', async () => {
    // Just watched: scheduled for later in the interval, nothing due yet.
    expect(await cli('sync', '--once')).toMatchObject({
      code: 0,
      out: 'checked 0 of 0 due: 0 changed, 0 unchanged, 0 not found, 0 failed\n',
    });
    expect((await db.all('SELECT stream FROM sync_schedule')).length).toBe(2);

    await makeAllDue();
    const first = await cli('sync', '--once', '--json');
    expect(first.code).toBe(0);
    // Never seen before: the first observation of each is a change (permit.created).
    expect(JSON.parse(first.out)).toEqual({
      due: 2,
      checked: 2,
      changed: 2,
      unchanged: 0,
      not_found: 0,
      failed: 0,
      deferred: 0,
      hosts_elsewhere: 0,
      feeds: [],
    });
    await makeAllDue();
    expect(JSON.parse((await cli('sync', '--once', '--json')).out)).toMatchObject({ checked: 2, changed: 0, unchanged: 2 });
    expect(await db.all("SELECT COUNT(*) AS n FROM events WHERE type = 'permit.observed'")).toEqual([{ n: 2 }]);
  });

  it('exits 1 and says so when the portal fails', async () => {
    await makeAllDue();
    portal.setMode({ kind: 'fail', status: 503 });
    try {
      const r = await cli('sync', '--once');
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/checked \d of 2 due: 0 changed, 0 unchanged, 0 not found, [12] failed/);
      expect(r.err).toMatch(/check\(s\) failed/);
    } finally {
      portal.setMode({ kind: 'ok' });
    }
  });

  it('draws a progress bar on a terminal, and on anything else prints only the summary', async () => {
    /** A stream that says whether it is a terminal, as process.stderr does, and keeps what was drawn. */
    const terminal = (isTTY: boolean) => {
      const stream = Object.assign(new PassThrough(), { isTTY, columns: 100 });
      const drawn: string[] = [];
      stream.on('data', (chunk: Buffer) => drawn.push(chunk.toString()));
      return { stream, drawn: () => drawn.join('') };
    };
    const pass = async (isTTY: boolean, json = false) => {
      await makeAllDue();
      const out: string[] = [];
      const ctx = { ...cliContext(env, 'silent'), out: (l: string) => void out.push(l) };
      const t = terminal(isTTY);
      await syncCommand(ctx, { once: true, json }, t.stream);
      return { out, drawn: t.drawn() };
    };

    const tty = await pass(true);
    // cli-progress's shades_classic bar, finished: full, 100%, 2 of 2.
    expect(tty.drawn).toContain('█'.repeat(40));
    expect(tty.drawn).toMatch(/ 100% \| ETA: 0s \| 2\/2/);
    expect(tty.out).toEqual(['checked 2 of 2 due: 0 changed, 2 unchanged, 0 not found, 0 failed']);

    const piped = await pass(false);
    expect(piped.drawn).toBe('');
    expect(piped.out).toEqual(['checked 2 of 2 due: 0 changed, 2 unchanged, 0 not found, 0 failed']);

    // --json on a terminal: the summary alone, no bar in the way of a parser.
    const json = await pass(true, true);
    expect(json.drawn).toBe('');
    expect(JSON.parse(json.out[0]!)).toMatchObject({ due: 2, checked: 2, unchanged: 2 });
  });
});
