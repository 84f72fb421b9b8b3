import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LADBS_JURISDICTION as LADBS } from '../src/jurisdictions/ladbs/jurisdiction.ts';
import { callApi, startHarness, type Harness } from './harness.ts';
import { runCliCaptured } from './run-cli.ts';

// Issue 17, item 1: `permitwatch watch add|list|remove` against the real server, on the real
// LADBS captures served by the fixture portal.
const PLAN_CHECK = '26014-10000-00017';
const FINALED = '16041-10000-23545';
/** The same portal under a second slug bare numbers do not auto-detect to: a number cached under both is ambiguous. */
const MIRROR = { ...LADBS, slug: 'ladbs-mirror', display_name: 'LADBS mirror', auto_detect: false };

let h: Harness;
let key: string;
let env: Record<string, string>;
const cli = (...argv: string[]) => runCliCaptured(argv, env);

beforeAll(async () => {
  h = await startHarness({ jurisdictions: [LADBS, MIRROR] });
  key = await h.key('developer', { permissions: ['read', 'write'] });
  // PORT is the server's, so the commands reach it without --url; the key comes from the env.
  env = { PERMITWATCH_LOG_LEVEL: 'silent', PORT: String(h.server.port), PERMITWATCH_API_KEY: key };
});
afterAll(() => h.close());

describe('permitwatch watch', () => {
  it('add watches a permit through POST /watchlist (the watch.added event, seen by the API), then answers the same watch', async () => {
    const added = await cli('watch', 'add', PLAN_CHECK, '--label', 'Midvale addition', '--note', 'call Fridays');
    expect(added).toMatchObject({ code: 0, err: '' });
    const lines = added.out.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^watching ${PLAN_CHECK} \\(ladbs\\) as wat_[0-9a-f]{16} "Midvale addition"$`));
    expect(lines[1]).toBe('  status: Quality Review Completed on 2/12/2026  [in_review]');
    expect(lines[2]).toBe('  address: 3030 S MIDVALE AVE LOS ANGELES CA 90034');
    const id = /as (wat_[0-9a-f]+)/.exec(lines[0]!)![1]!;

    // The API sees the watch the CLI made: one write path.
    const listed = await callApi(h.server.url, 'GET', '/api/v1/watchlist', key);
    expect(listed.body.watchlist).toEqual([expect.objectContaining({ id, label: 'Midvale addition', note: 'call Fridays' })]);
    const detail = await h.get(`/api/v1/permits/${id}`, key);
    expect(detail.body.watch).toMatchObject({ id, label: 'Midvale addition' });

    const again = await cli('watch', 'add', PLAN_CHECK, '--label', 'ignored', '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ id, label: 'Midvale addition', current_status: { status_phase: 'in_review' } });
    expect((await cli('watch', 'add', PLAN_CHECK)).out).toMatch(new RegExp(`^already watching ${PLAN_CHECK} \\(ladbs\\) as ${id}`));
  });

  it('list prints the watched permits with their status as a table and as JSON; remove ends a watch', async () => {
    const table = await cli('watch', 'list');
    expect(table).toMatchObject({ code: 0, err: '' });
    const lines = table.out.trim().split('\n');
    expect(lines[0]).toMatch(/^WATCH ID\s+PERMIT\s+JURISDICTION\s+PHASE\s+STATUS\s+LABEL\s+LAST CHECKED$/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      new RegExp(
        `^wat_[0-9a-f]{16}\\s+${PLAN_CHECK}\\s+ladbs\\s+in_review\\s+Quality Review Completed on 2/12/2026\\s+Midvale addition\\s+\\d{4}-\\d\\d-\\d\\dT[\\d:]{8}$`,
      ),
    );
    const json = JSON.parse((await cli('watch', 'list', '--json')).out) as { id: string; permit_number: string }[];
    expect(json).toEqual([expect.objectContaining({ permit_number: PLAN_CHECK, status_phase: 'in_review', label: 'Midvale addition' })]);
    const id = json[0]!.id;

    expect(await cli('watch', 'remove', id)).toMatchObject({ code: 0, out: `stopped watching: removed ${id}\n`, err: '' });
    expect(await cli('watch', 'list')).toMatchObject({
      code: 0,
      out: 'no watches under this key yet: permitwatch watch add <permit_number>\n',
    });
    expect(JSON.parse((await cli('watch', 'list', '--json')).out)).toEqual([]);
    // Gone: a second remove is the API's 404, named.
    expect(await cli('watch', 'remove', id)).toMatchObject({
      code: 1,
      err: expect.stringContaining(`answered 404 watch_not_found: no watch ${id} under this API key`),
    });
  });

  it('an ambiguous number lists the candidates and exits 1; --jurisdiction picks one', async () => {
    for (const slug of ['ladbs', 'ladbs-mirror'])
      expect((await h.get(`/api/v1/permits/${FINALED}/status?jurisdiction=${slug}`, key)).status).toBe(200);
    const ambiguous = await cli('watch', 'add', FINALED);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.out).toBe('');
    expect(ambiguous.err).toContain('pass --jurisdiction, one of:\n');
    expect(ambiguous.err).toContain('\n  ladbs  LADBS (City of Los Angeles)');
    expect(ambiguous.err).toContain('\n  ladbs-mirror  LADBS mirror');
    // --json: the API's error body on stdout, for scripts.
    const json = await cli('watch', 'add', FINALED, '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({ error: 'multiple_jurisdictions', candidates: expect.any(Array) });

    const picked = await cli('watch', 'add', FINALED, '-j', 'ladbs-mirror', '--json');
    expect(picked.code).toBe(0);
    expect(JSON.parse(picked.out)).toMatchObject({ permit_number: FINALED, jurisdiction: 'ladbs-mirror' });
  });

  it('names an unknown permit, a bad watch id, a missing key, a read-only key and an unreachable server', async () => {
    expect(await cli('watch', 'add', '99999-10000-00001')).toMatchObject({
      code: 1,
      out: '',
      err: expect.stringContaining('answered 404 permit_not_found'),
    });
    expect(await cli('watch', 'remove', 'not-a-watch')).toMatchObject({
      code: 2,
      err: 'permitwatch: "not-a-watch" is not a watch id (wat_...): `permitwatch watch list` shows them\n',
    });
    const { PERMITWATCH_API_KEY: _, ...noKey } = env;
    expect(await runCliCaptured(['watch', 'list'], noKey)).toMatchObject({
      code: 2,
      err: 'permitwatch: watches belong to an API key: pass --key <key> or set PERMITWATCH_API_KEY\n',
    });
    const reader = await h.key('developer', { permissions: ['read'] });
    expect(await cli('watch', 'add', PLAN_CHECK, '--key', reader)).toMatchObject({
      code: 1,
      err: expect.stringContaining('answered 403 insufficient_permissions'),
    });
    expect(await cli('watch', 'list', '--url', 'http://127.0.0.1:9')).toMatchObject({
      code: 1,
      err: expect.stringContaining('cannot reach the server at http://127.0.0.1:9'),
    });
  });

  it('a sandbox key watches the demo dataset', async () => {
    const sandbox = await h.key('developer', { sandbox: true, permissions: ['read', 'write'] });
    const added = await cli('watch', 'add', PLAN_CHECK, '--key', sandbox, '--json');
    expect(added.code).toBe(0);
    expect(JSON.parse(added.out)).toMatchObject({ permit_number: PLAN_CHECK, jurisdiction: 'ladbs' });
    const listed = JSON.parse((await cli('watch', 'list', '--key', sandbox, '--json')).out);
    expect(listed).toHaveLength(1);
    // The live key's watchlist does not hold it.
    expect(JSON.parse((await cli('watch', 'list', '--json')).out).map((p: { permit_number: string }) => p.permit_number)).not.toContain(
      PLAN_CHECK,
    );
  });
});
