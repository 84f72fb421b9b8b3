import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_ROUTES } from '../fixtures/routes.ts';
import { openDatabase } from '../src/app.ts';
import { cliContext } from '../src/cli/context.ts';
import { CLOCK_SKEW_FAIL_MS, CLOCK_SKEW_WARN_MS, type CheckResult } from '../src/cli/doctor-checks.ts';
import { runDoctor } from '../src/cli/doctor.ts';
import { ALL_MIGRATIONS } from '../src/db/migrations.ts';
import { startFixturePortal, type FixturePortal } from '../src/demo/fixture-portal.ts';
import { createCatalog } from '../src/jurisdictions/catalog.ts';
import { systemClock } from '../src/lib/clock.ts';
import { closedLoopbackPort } from './harness.ts';
import { runCliCaptured } from './run-cli.ts';

let dir: string;
let portal: FixturePortal;
let env: Record<string, string>;

const byCheck = (checks: CheckResult[], name: string) => checks.find((c) => c.check === name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pw-doctor-'));
  portal = await startFixturePortal({ routes: FIXTURE_ROUTES });
  const url = `file:${join(dir, 'live.db')}`;
  await (await openDatabase(url)).close();
  env = {
    PERMITWATCH_DATABASE_URL: url,
    PERMITWATCH_DEMO: 'false',
    PERMITWATCH_LOG_LEVEL: 'silent',
    PERMITWATCH_PORTAL_OVERRIDES: `*=${portal.url}`,
  };
});

afterAll(async () => {
  await portal.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('permitwatch doctor', () => {
  it('with the fixture portal up: every check ok, exit 0, JSON and a table', async () => {
    const json = await runCliCaptured(['doctor', '--json'], env);
    expect(json.code, json.err).toBe(0);
    const report = JSON.parse(json.out) as { ok: boolean; checks: CheckResult[] };
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => [c.check, c.status])).toEqual([
      ['database', 'ok'],
      ['migrations', 'ok'],
      [`portal ${portal.url}`, 'ok'],
      ['clock', 'ok'],
      ['webhook target guard', 'ok'],
    ]);
    expect(byCheck(report.checks, 'migrations')!.detail).toBe(`all ${ALL_MIGRATIONS.length} applied`);
    // Every jurisdiction of the catalog goes through the one override: one probe names them all.
    expect(byCheck(report.checks, `portal ${portal.url}`)!.detail).toContain(`${createCatalog().all().length} jurisdictions`);

    const table = await runCliCaptured(['doctor'], env);
    expect(table.code).toBe(0);
    expect(table.out.split('\n')[0]).toMatch(/^CHECK\s+STATUS\s+DETAIL$/);
    expect(table.out).toMatch(/^database\s+OK\s+/m);
  });

  it('with the portal down: the portal fails, the clock cannot be compared, exit 1', async () => {
    const down = `http://127.0.0.1:${await closedLoopbackPort()}`;
    const result = await runCliCaptured(['doctor', '--json'], { ...env, PERMITWATCH_PORTAL_OVERRIDES: `*=${down}` });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.out) as { ok: boolean; checks: CheckResult[] };
    expect(report.ok).toBe(false);
    expect(byCheck(report.checks, `portal ${down}`)).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^unreachable/) });
    expect(byCheck(report.checks, 'clock')!.status).toBe('warn');
    expect(byCheck(report.checks, 'database')!.status).toBe('ok');
  });

  it('warns of pending migrations and fails on ones this version does not know', async () => {
    // An empty file is an empty SQLite database: one no migration has touched.
    writeFileSync(join(dir, 'fresh.db'), '');
    const fresh = `file:${join(dir, 'fresh.db')}`;
    const pending = await runDoctor(cliContext({ ...env, PERMITWATCH_DATABASE_URL: fresh }));
    expect(byCheck(pending, 'migrations')).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(new RegExp(`^${ALL_MIGRATIONS.length} of`)),
    });

    const newer = `file:${join(dir, 'newer.db')}`;
    const db = await openDatabase(newer);
    await db.run("INSERT INTO schema_migrations (id, applied_at) VALUES ('9999_from_the_future', '2030-01-01T00:00:00Z')");
    await db.close();
    const unknown = await runCliCaptured(['doctor', '--json'], { ...env, PERMITWATCH_DATABASE_URL: newer });
    expect(unknown.code).toBe(1);
    const report = JSON.parse(unknown.out) as { checks: CheckResult[] };
    expect(byCheck(report.checks, 'migrations')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/9999_from_the_future/) });
  });

  it('fails a database it cannot open', async () => {
    const missing = join(dir, 'no-such-dir', 'x.db');
    const checks = await runDoctor(cliContext({ ...env, PERMITWATCH_DATABASE_URL: `file:${missing}` }));
    expect(byCheck(checks, 'database')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/does not exist/) });
    expect(byCheck(checks, 'migrations')).toBeUndefined();
    // The doctor looked; it made no database (nor its directory) where none was.
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
  });

  it('measures the clock against the portal Date header: warn, then fail, as the skew grows', async () => {
    const skewed = (ms: number) => ({ ...systemClock, now: () => Date.now() + ms });
    const ctx = cliContext(env);
    expect(byCheck(await runDoctor(ctx, skewed(0)), 'clock')!.status).toBe('ok');
    const warn = byCheck(await runDoctor(ctx, skewed(CLOCK_SKEW_WARN_MS + 5_000)), 'clock')!;
    expect(warn).toMatchObject({ status: 'warn', detail: expect.stringMatching(/ahead of/) });
    const fail = byCheck(await runDoctor(ctx, skewed(-(CLOCK_SKEW_FAIL_MS + 5_000))), 'clock')!;
    expect(fail).toMatchObject({ status: 'fail', detail: expect.stringMatching(/behind/) });
  });

  it('reports the target guard switched off as a warning', async () => {
    const checks = await runDoctor(cliContext({ ...env, PERMITWATCH_WEBHOOK_ALLOW_PRIVATE: 'true' }));
    expect(byCheck(checks, 'webhook target guard')!.status).toBe('warn');
  });
});
