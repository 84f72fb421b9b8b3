import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_ROUTES } from '../fixtures/routes.ts';
import { startFixturePortal, type FixturePortal, type FixtureRoute } from '../src/demo/fixture-portal.ts';
import { SOCRATA_FIXTURES, readSocrataFixture } from '../src/testing/socrata-fixtures.ts';
import { startHarness, type Harness } from './harness.ts';

// Two edited copies of the real Austin 2009-074412 EP row (fixtures/socrata/) with a status the
// Austin table does not list, under two other numbers, served by a portal of the test's own;
// Chicago's real 100858762 row, which has no permit_status, comes from the shared fixture portal.
const ODD = 'Under Construction';
const ODD_NUMBERS = ['2009-999991 EP', '2009-999992 EP'];

describe('unmapped statuses reported by health and /metrics', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unknown-statuses-'));
  let austin: FixturePortal;
  let h: Harness;
  let key: string;

  beforeAll(async () => {
    const routes: FixtureRoute[] = ODD_NUMBERS.map((n) => {
      const file = join(dir, `${n}.json`);
      writeFileSync(file, readSocrataFixture(SOCRATA_FIXTURES.austin).replace('"Final"', JSON.stringify(ODD)).replace('2009-074412 EP', n));
      return { path: '/resource/3syk-w9eu.json', query: { $where: `permit_number='${n}'` }, versions: [file], contentType: 'application/json' };
    });
    austin = await startFixturePortal({ routes: [...routes, ...FIXTURE_ROUTES] });
    h = await startHarness({ overrides: (url) => `socrata:austin=${austin.url},*=${url}` });
    key = await h.key('developer');
    for (const [n, j] of [...ODD_NUMBERS.map((n) => [n, 'socrata:austin']), ['2009-074412 EP', 'socrata:austin'], ['100858762', 'socrata:chicago']]) {
      const res = await h.get(`/api/v1/permits/${encodeURIComponent(n as string)}/status?jurisdiction=${j}`, key);
      expect(res.status).toBe(200);
    }
  });
  afterAll(async () => {
    await h.close();
    await austin.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('health counts the unknown-phase permits and names the raw statuses seen most', async () => {
    const res = await h.get('/api/v1/jurisdictions/socrata:austin/health', key);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      permits_observed: 3,
      unknown_status_permits: 2,
      unknown_status_share: 0.6667,
      unknown_statuses: [{ status: ODD, permits: 2 }],
    });
  });

  it('health names a permit without any status as null (Chicago 100858762, unknown, never issued by its date)', async () => {
    const res = await h.get('/api/v1/jurisdictions/socrata:chicago/health', key);
    expect(res.body).toMatchObject({ permits_observed: 1, unknown_status_permits: 1, unknown_statuses: [{ status: null, permits: 1 }] });
  });

  it('health of a jurisdiction with nothing unmapped is zero and empty', async () => {
    const res = await h.get('/api/v1/jurisdictions/ladbs/health', key);
    expect(res.body).toMatchObject({ unknown_status_permits: 0, unknown_statuses: [] });
  });

  it('/metrics carries the same counts per jurisdiction and raw status', async () => {
    const text = await fetch(`${h.server.url}/metrics`).then((r) => r.text());
    expect(text).toContain('permitwatch_unknown_status_permits{plane="live",jurisdiction="socrata:austin"} 2');
    expect(text).toContain('permitwatch_unknown_status_permits{plane="live",jurisdiction="socrata:chicago"} 1');
    expect(text).toContain(`permitwatch_unknown_status_top{plane="live",jurisdiction="socrata:austin",status="${ODD}"} 2`);
    expect(text).toContain('permitwatch_unknown_status_top{plane="live",jurisdiction="socrata:chicago",status="(none)"} 1');
  });
});
