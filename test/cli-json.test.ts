import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermitStatus } from '../src/api/schemas.ts';
import { startHarness, type Harness } from './harness.ts';
import { runCliCaptured } from './run-cli.ts';

// Issue 21: `--json` prints the API's own shapes; `lookup --json` exactly the status body.
describe('CLI --json in the API shapes', () => {
  let h: Harness;
  let env: Record<string, string>;
  beforeAll(async () => {
    h = await startHarness();
    // The CLI on the server's own live database, fetching from the same fixture portal.
    env = { PERMITWATCH_DATABASE_URL: h.config.database_url, PERMITWATCH_PORTAL_OVERRIDES: `*=${h.portal.url}`, PERMITWATCH_LOG_LEVEL: 'silent' };
  });
  afterAll(() => h.close());
  const cli = async (...argv: string[]) => {
    const r = await runCliCaptured(argv, env);
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out);
  };
  const withoutAge = (body: { data_freshness: Record<string, unknown> }) => ({ ...body, data_freshness: { ...body.data_freshness, age_seconds: 0 } });

  it('lookup --json prints the body GET /api/v1/permits/{n}/status answers', async () => {
    const printed = await cli('lookup', '16041-10000-23545', '--json');
    expect(PermitStatus.strict().safeParse(printed).success).toBe(true);
    const answered = await h.get('/api/v1/permits/16041-10000-23545/status', await h.key('developer'));
    expect(answered.status).toBe(200);
    expect(withoutAge(answered.body)).toEqual(withoutAge({ ...printed, source: 'cached', data_freshness: { ...printed.data_freshness, cached: true } }));
  });

  it('keys create, list and revoke --json print the bodies of POST, GET and DELETE /api/v1/keys', async () => {
    const admin = await h.key('developer', { permissions: ['admin'] });
    const created = await cli('keys', 'create', '--name', 'ops', '--plan', 'pro', '--json');
    const viaApi = await h.post('/api/v1/keys', { name: 'ops2', plan: 'pro' }, admin);
    expect(Object.keys(created).sort()).toEqual(Object.keys(viaApi.body).sort());
    expect(created).toMatchObject({ name: 'ops', plan: 'pro', key: expect.stringMatching(/^sk_live_/), warning: viaApi.body.warning });
    const listed = await cli('keys', 'list', '--json');
    const listedViaApi = (await h.get('/api/v1/keys', admin)).body;
    expect(Object.keys(listed)).toEqual(Object.keys(listedViaApi));
    expect(listed.keys.map((k: { id: string }) => k.id)).toContain(created.id);
    const revoked = await cli('keys', 'revoke', created.id, '--json');
    expect(revoked).toMatchObject({ status: 'revoked', key: { id: created.id, revoked_at: expect.any(String) } });
  });

  it('rebuild --json prints its summary', async () => {
    expect(await cli('rebuild', '--json')).toMatchObject({ projections: expect.arrayContaining(['permits']), events: expect.any(Number) });
  });
});
