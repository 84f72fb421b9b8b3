import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_FEEDS, FIXTURE_ROUTES } from '../fixtures/routes.ts';
import { CHICAGO_FEED_INITIAL, CHICAGO_FEED_PATH } from '../fixtures/socrata/routes.ts';
import { startFixturePortal, type FixturePortal } from '../src/demo/fixture-portal.ts';
import { runCliCaptured } from './run-cli.ts';

let dir: string;
let portal: FixturePortal;
let env: Record<string, string>;
const cli = (...argv: string[]) => runCliCaptured(argv, env);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pw-cli-feeds-'));
  portal = await startFixturePortal({ routes: FIXTURE_ROUTES, feeds: FIXTURE_FEEDS });
  env = {
    PERMITWATCH_DATABASE_URL: `file:${join(dir, 'live.db')}`,
    PERMITWATCH_PORTAL_OVERRIDES: `*=${portal.url}`,
    PERMITWATCH_DEMO: 'false',
    PERMITWATCH_LOG_LEVEL: 'silent',
    PERMITWATCH_FEEDS: 'socrata:chicago',
  };
});

afterAll(async () => {
  await portal.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('permitwatch sync --once and permitwatch feeds', () => {
  it('reads each enabled feed in the pass, and feeds shows its cursor, last run, rows and errors', async () => {
    expect((await cli('feeds')).out).toMatch(/^JURISDICTION +ENABLED +CURSOR.*\nsocrata:chicago +yes +not read yet +- +0 +0 +0 +0 +-\n$/);

    const first = await cli('sync', '--once');
    expect(first).toMatchObject({ code: 0 });
    expect(first.out).toContain(`feed socrata:chicago: ${CHICAGO_FEED_INITIAL} rows read, ${CHICAGO_FEED_INITIAL} new or changed (backfill: no webhooks)`);
    portal.publish(CHICAGO_FEED_PATH, 2);
    const second = await cli('sync', '--once', '--json');
    expect(JSON.parse(second.out).feeds).toEqual([
      { jurisdiction: 'socrata:chicago', backfill: false, rows: CHICAGO_FEED_INITIAL + 2, appended: 2, ok: true },
    ]);

    const table = (await cli('feeds')).out.split('\n');
    expect(table[1]).toMatch(/^socrata:chicago +yes +\d{4}-\d\d-\d\dT[\d:.]+Z +\d{4}-\d\d-\d\dT[\d:.]+Z +7 +2 +12 +0 +-$/);
    const [feed] = JSON.parse((await cli('feeds', '--json')).out);
    expect(feed).toMatchObject({ jurisdiction: 'socrata:chicago', enabled: true, cursor: { last_rows: 7, last_appended: 2, errors_total: 0 } });
  });

  it('refuses a feed name that is not a feed before doing anything', async () => {
    const r = await runCliCaptured(['sync', '--once'], { ...env, PERMITWATCH_FEEDS: 'socrata:gotham' });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/PERMITWATCH_FEEDS: "socrata:gotham" is not a feed/);
  });
});
