import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFixturePortal, type FixturePortal } from '../src/demo/fixture-portal.ts';
import { FIXTURE_ROUTES } from '../fixtures/routes.ts';
import { openDatabase } from '../src/app.ts';
import { startHarness } from './harness.ts';
import { runCliCaptured } from './run-cli.ts';

let dir: string;
let env: Record<string, string>;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pw-cli-'));
  env = { PERMITWATCH_DATABASE_URL: `file:${join(dir, 'cli.db')}`, PERMITWATCH_LOG_LEVEL: 'silent' };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in-process with the current `env` and captures what it prints. */
const cli = (...argv: string[]) => runCliCaptured(argv, env);

describe('permitwatch CLI', () => {
  it.each([
    ['ladbs', [], 'fixtures/ladbs/ladbs-pcis-detail-16041-10000-23545.html', '16041-10000-23545'],
    ['accela', ['-j', 'aca:osceola'], 'fixtures/accela/osceola-capdetail-A26-006405-excerpt.html', 'A26-006405'],
    ['socrata', ['-j', 'socrata:chicago'], 'fixtures/socrata/chicago-permit-100858762.json', '100858762'],
    ['arcgis', ['-j', 'arcgis:bellingham'], 'fixtures/arcgis/bellingham-query-bld2024-0412.json', 'BLD2024-0412'],
  ])('parse --platform %s prints the normalised record', async (platform, extra, file, number) => {
    const r = await cli('parse', '--platform', platform, ...extra, file);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ permit_number: number });
  });

  it('parse reports a page without a permit and an unknown platform', async () => {
    const none = await cli('parse', '--platform', 'ladbs', 'fixtures/ladbs/ladbs-online-services-permit-report-search-form.html');
    expect(none.code).toBe(1);
    expect(none.err).toContain('no permit record');
    const bad = await cli('parse', '--platform', 'etrakit', 'x.html');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown platform');
  });

  it('keys create prints the key alone on the last line; list and revoke', async () => {
    const created = await cli('keys', 'create', '--name', 'ops', '--plan', 'pro', '--permissions', 'read,admin');
    expect(created.code).toBe(0);
    const lines = created.out.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^sk_live_[A-Za-z0-9_-]+$/);
    const id = /key (key_[0-9a-f]+)/.exec(created.out)![1]!;
    expect((await cli('keys', 'create', '--name', 's', '--sandbox')).out.trim().split('\n').at(-1)).toMatch(/^sk_test_/);
    expect((await cli('keys', 'list')).out).toContain(`${id}  sk_live_`);
    expect((await cli('keys', 'revoke', id)).code).toBe(0);
    expect((await cli('keys', 'list')).out).toMatch(new RegExp(`${id}.*revoked`));
    expect((await cli('keys', 'revoke', id)).code).toBe(1);
    expect((await cli('keys', 'create', '--name', 'x', '--permissions', 'root')).code).toBe(2);
    expect((await cli('keys', 'create', '--name', 'x', '--plan', 'team')).code).toBe(2);
    env = { ...env, PERMITWATCH_PLANS: '[{"name":"team","monthly_limit":50000,"burst_per_minute":200,"force_refresh":true}]' };
    expect((await cli('keys', 'create', '--name', 'x', '--plan', 'team')).out).toContain('plan team');
  });

  it('rebuild replays the log and names unknown projections', async () => {
    const r = await cli('rebuild');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/rebuilt permits, timeline, inspections, stats.* from 0 events/);
    expect((await cli('rebuild', '--only', 'nope')).code).toBe(2);
  });

  it('stops with the key named when the config is bad', async () => {
    const saved = env;
    env = { ...env, PERMITWATCH_CACHE_TTL_SECONDS: 'soon' };
    try {
      const r = await cli('keys', 'list');
      expect(r.code).toBe(2);
      expect(r.err).toContain('PERMITWATCH_CACHE_TTL_SECONDS');
    } finally {
      env = saved;
    }
  });
});

describe('permitwatch lookup, rebuild and jurisdictions against real material', () => {
  let portal: FixturePortal;
  let saved: Record<string, string>;
  beforeAll(async () => {
    portal = await startFixturePortal({ routes: FIXTURE_ROUTES });
    saved = env;
    env = {
      PERMITWATCH_DATABASE_URL: `file:${join(dir, 'lookup.db')}`,
      PERMITWATCH_LOG_LEVEL: 'silent',
      PERMITWATCH_PORTAL_OVERRIDES: `*=${portal.url}`,
    };
  });
  afterAll(async () => {
    env = saved;
    await portal.close();
  });

  it('lookup goes through the write path: live, then cached; --json prints the status body', async () => {
    const first = await cli('lookup', '16041-10000-23545');
    expect(first.code).toBe(0);
    expect(first.out).toContain('16041-10000-23545  LADBS (City of Los Angeles)');
    expect(first.out).toContain('status:   Permit Finaled on 8/8/2018  [closed]');
    expect(first.out).toMatch(/source: {3}live, checked 0s ago, version 1/);
    expect((await cli('lookup', '16041-10000-23545')).out).toMatch(/source: {3}cached/);
    const json = JSON.parse((await cli('lookup', '16041-10000-23545', '--json')).out);
    expect(json).toMatchObject({ source: 'cached', permit_number: '16041-10000-23545', address: '3030 S MIDVALE AVE LOS ANGELES CA 90034' });
    expect(portal.requests).toHaveLength(1);
  });

  it('lookup names what went wrong', async () => {
    expect(await cli('lookup', 'XYZ-1')).toMatchObject({ code: 1, err: expect.stringContaining('jurisdiction_not_supported') });
    expect(await cli('lookup', '99999-10000-00001')).toMatchObject({ code: 1, err: expect.stringContaining('permit_not_found') });
    expect(await cli('lookup', '<x>')).toMatchObject({ code: 2, err: expect.stringContaining('permit_number') });
  });

  it('rebuild replays the events a lookup appended into identical tables', async () => {
    const dump = async () => {
      const db = await openDatabase(env.PERMITWATCH_DATABASE_URL!);
      try {
        return JSON.stringify([await db.all('SELECT * FROM permits'), await db.all('SELECT * FROM timeline ORDER BY 1, 2, 3')]);
      } finally {
        await db.close();
      }
    };
    const before = await dump();
    expect(before).toContain('16041-10000-23545');
    const r = await cli('rebuild');
    expect(r).toMatchObject({ code: 0, out: expect.stringMatching(/from 1 events/) });
    expect(await dump()).toBe(before);
  });

  it('jurisdictions prints the catalog with each portal health from a running server', async () => {
    const h = await startHarness();
    try {
      const table = await cli('jurisdictions', '--url', h.server.url);
      expect(table.code).toBe(0);
      const lines = table.out.trim().split('\n');
      expect(lines[0]).toMatch(/^SLUG\s+PLATFORM\s+ST\s+ACTIVE\s+LAST SUCCESS\s+FETCHES\s+ERRORS\s+MEDIAN MS\s+UNKNOWN\s+BREAKER$/);
      expect(lines).toHaveLength(1 + h.server.app.live.catalog.all().length);
      // No key: the public list counts the live plane's permits (none yet: issue 21, defect 1);
      // health is the demo plane's, which loaded the captures through its fixture portal at
      // start-up. Fetch health is per host, and the demo sends every jurisdiction to that one host.
      expect(lines.find((l) => l.startsWith('ladbs '))).toMatch(
        /^ladbs\s+ladbs\s+CA\s+0\s+\d{4}-\d\d-\d\dT[\d:]+\s+\d+\s+0\.0%\s+\d+\s+0\.0%\s+closed$/,
      );
      const json = JSON.parse((await cli('jurisdictions', '--url', h.server.url, '--json')).out);
      expect(json.find((j: { slug: string }) => j.slug === 'ladbs')).toMatchObject({
        health: { errors: 0, permits_observed: 3, breaker: { state: 'closed' } },
      });
    } finally {
      await h.close();
    }
    expect(await cli('jurisdictions', '--url', 'http://127.0.0.1:9')).toMatchObject({
      code: 1,
      err: expect.stringContaining('cannot reach the server'),
    });
  });
});
