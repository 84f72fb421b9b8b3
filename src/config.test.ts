import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('gives the documented defaults', () => {
    const r = loadConfig({});
    expect(r).toMatchObject({
      ok: true,
      config: { port: 8080, database_url: 'file:./data/permitwatch.db', cache_ttl_seconds: 14_400, portal_overrides: {} },
    });
  });

  it('reads PERMITWATCH_* and PORT from the environment', () => {
    const r = loadConfig({
      PORT: '9000',
      PERMITWATCH_DATABASE_URL: 'file:/tmp/x.db',
      PERMITWATCH_CACHE_TTL_SECONDS: '60',
      PERMITWATCH_PORTAL_OVERRIDES: 'ladbs=http://127.0.0.1:4000/, *=http://127.0.0.1:5000',
    });
    expect(r.ok && r.config).toMatchObject({
      port: 9000,
      database_url: 'file:/tmp/x.db',
      cache_ttl_seconds: 60,
      portal_overrides: { ladbs: 'http://127.0.0.1:4000', '*': 'http://127.0.0.1:5000' },
    });
  });

  it('lets the environment win over the config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-config-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ port: 7000, cache_ttl_seconds: 5 }));
    const r = loadConfig({ PERMITWATCH_CONFIG: file, PORT: '7001' });
    expect(r.ok && r.config.port).toBe(7001);
    expect(r.ok && r.config.cache_ttl_seconds).toBe(5);
  });

  it('reads operator plans as JSON', () => {
    const r = loadConfig({ PERMITWATCH_PLANS: '[{"name":"team","monthly_limit":50000,"burst_per_minute":200,"force_refresh":true}]' });
    expect(r.ok && r.config.plans).toEqual([{ name: 'team', monthly_limit: 50_000, burst_per_minute: 200, force_refresh: true }]);
  });

  it.each([
    [{ PERMITWATCH_PLANS: '[{"name":"team"}]' }, 'PERMITWATCH_PLANS'],
    [{ PERMITWATCH_PLANS: 'not json' }, 'PERMITWATCH_PLANS'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PERMITWATCH_CACHE_TTL_SECONDS: '-1' }, 'PERMITWATCH_CACHE_TTL_SECONDS'],
    [{ PERMITWATCH_PORTAL_OVERRIDES: 'ladbs' }, 'PERMITWATCH_PORTAL_OVERRIDES'],
    [{ PERMITWATCH_PORTAL_OVERRIDES: 'ladbs=ftp://x' }, 'PERMITWATCH_PORTAL_OVERRIDES'],
  ])('rejects %o naming %s', (env, key) => {
    const r = loadConfig(env);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain(key);
  });
});

describe('loadConfig says what a valid value looks like', () => {
  const fileWith = (settings: unknown) => {
    const file = join(mkdtempSync(join(tmpdir(), 'pw-config-')), 'config.json');
    writeFileSync(file, JSON.stringify(settings));
    return file;
  };

  it('refuses an unknown key in the config file, naming it and the known ones', () => {
    const r = loadConfig({ PERMITWATCH_CONFIG: fileWith({ port: 8081, databse_url: 'file:x.db' }) });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain('unknown setting "databse_url"');
    expect(!r.ok && r.message).toContain('database_url');
  });

  it('refuses a config file that is not an object of settings', () => {
    const r = loadConfig({ PERMITWATCH_CONFIG: fileWith([1, 2]) });
    expect(!r.ok && r.message).toContain('expected a JSON object of settings');
  });

  it.each([
    [{ PERMITWATCH_DEMO: 'yes' }, 'PERMITWATCH_DEMO', 'true or false'],
    [{ PERMITWATCH_PLANS: '{"name":"team"}' }, 'PERMITWATCH_PLANS', 'a JSON array of plans'],
    [{ PERMITWATCH_PORTAL_OVERRIDES: 'ladbs' }, 'PERMITWATCH_PORTAL_OVERRIDES', 'slug=http(s)://base-url'],
    [{ PERMITWATCH_HOST: 'not a host!' }, 'PERMITWATCH_HOST', 'an address to listen on'],
    [{ PERMITWATCH_DATABASE_URL: 'postgres://db/permits' }, 'PERMITWATCH_DATABASE_URL', 'file:./data/permitwatch.db, libsql://host'],
    [{ PERMITWATCH_DEMO_DATABASE_URL: 'demo.db' }, 'PERMITWATCH_DEMO_DATABASE_URL', 'file:./data/demo.db'],
  ])('%o: names %s and the expected form', (env, key, form) => {
    const r = loadConfig(env);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain(key);
    expect(!r.ok && r.message).toContain(`expected ${form}`);
  });

  it('follows no feed unless asked; reads PERMITWATCH_FEEDS as slugs or all, and refuses a name that is not a feed', () => {
    expect(loadConfig({})).toMatchObject({ ok: true, config: { feeds: [], feed_interval_seconds: 900, feed_backfill_days: 30 } });
    expect(loadConfig({ PERMITWATCH_FEEDS: 'socrata:chicago, arcgis:bellingham', PERMITWATCH_FEED_BACKFILL_DAYS: '7' })).toMatchObject({
      ok: true,
      config: { feeds: ['socrata:chicago', 'arcgis:bellingham'], feed_backfill_days: 7 },
    });
    expect(loadConfig({ PERMITWATCH_FEEDS: 'all' })).toMatchObject({ ok: true, config: { feeds: 'all' } });
    const typo = loadConfig({ PERMITWATCH_FEEDS: 'socrata:chicgo' });
    expect(typo.ok).toBe(false);
    expect(!typo.ok && typo.message).toMatch(/PERMITWATCH_FEEDS: "socrata:chicgo" is not a feed; feeds: .*socrata:chicago.*, or all \(expected/);
    // LADBS has no feed: its portal answers lookups only.
    expect(loadConfig({ PERMITWATCH_FEEDS: 'ladbs' })).toMatchObject({ ok: false });
    expect(loadConfig({ PERMITWATCH_FEED_INTERVAL_SECONDS: '5' })).toMatchObject({ ok: false });
  });

  it.each(['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost', 'permits.example.org'])('accepts the listen address %s', (host) => {
    expect(loadConfig({ PERMITWATCH_HOST: host }).ok).toBe(true);
  });

  it('the shipped permitwatch.example.json holds only known settings, each valid', () => {
    const r = loadConfig({ PERMITWATCH_CONFIG: new URL('../permitwatch.example.json', import.meta.url).pathname });
    expect(r).toMatchObject({ ok: true });
  });
});
