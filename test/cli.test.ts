import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/program.ts';

let dir: string;
let env: Record<string, string>;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pw-cli-'));
  env = { PERMITWATCH_DATABASE_URL: `file:${join(dir, 'cli.db')}`, PERMITWATCH_LOG_LEVEL: 'silent' };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in-process and captures what it prints. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    const code = await runCli(argv, env);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

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
