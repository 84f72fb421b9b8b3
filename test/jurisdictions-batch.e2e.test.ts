import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixturePortal, type FixturePortal } from '../src/demo/fixture-portal.ts';
import { FIXTURE_ROUTES } from '../fixtures/routes.ts';
import { LADBS_JURISDICTION } from '../src/jurisdictions/ladbs/jurisdiction.ts';
import { BATCH_MAX_PERMITS } from '../src/api/routes/batch-status.ts';
import { startHarness, type Harness } from './harness.ts';

// A second jurisdiction with LADBS's number format whose portal never answers.
const SLOW = { ...LADBS_JURISDICTION, slug: 'ladbs-slow', display_name: 'Slow portal (test catalog entry)' };

describe('batch-status', () => {
  let h: Harness;
  let slow: FixturePortal;
  let key: string;
  beforeAll(async () => {
    slow = await startFixturePortal({ routes: FIXTURE_ROUTES });
    slow.setMode({ kind: 'hang' });
    h = await startHarness({
      jurisdictions: [LADBS_JURISDICTION, SLOW],
      overrides: (url) => `ladbs-slow=${slow.url},*=${url}`,
      // Long enough for two live fetches at LADBS's 1 request/s, short enough to keep the test quick.
      env: { batch_timeout_seconds: 4 },
    });
    key = await h.key('developer');
    expect((await h.get('/api/v1/permits/16041-10000-23545/status?jurisdiction=ladbs', key)).status).toBe(200);
  });
  afterAll(async () => {
    await h.close();
    await slow.close();
  });

  it('answers 200 with results and errors for a mix of cached, live, unknown, ambiguous and timed-out permits', async () => {
    const res = await h.post(
      '/api/v1/permits/batch-status',
      {
        permit_numbers: [
          '16041-10000-23545', // cached (known under ladbs)
          '16041-10000-23545', // duplicate: answered once
          { permit_number: '26030-10000-01235', jurisdiction: 'ladbs' }, // live
          'XYZ-1', // no jurisdiction uses this format
          '12345-10000-00001', // matches ladbs and ladbs-slow
          { permit_number: '26014-10000-00017', jurisdiction: 'ladbs-slow' }, // portal hangs
          { permit_number: '99999-10000-00001', jurisdiction: 'ladbs' }, // portal has no such permit
        ],
      },
      key,
    );
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { permit_number: string; source: string }) => [r.permit_number, r.source])).toEqual([
      ['16041-10000-23545', 'cached'],
      ['26030-10000-01235', 'live'],
    ]);
    const errors = Object.fromEntries(res.body.errors.map((e: { permit_number: string }) => [e.permit_number, e]));
    expect(errors['XYZ-1']).toMatchObject({ error: 'not_found', jurisdiction_hint: null });
    expect(errors['12345-10000-00001']).toMatchObject({
      error: 'multiple_jurisdictions',
      candidates: [{ slug: 'ladbs' }, { slug: 'ladbs-slow' }],
    });
    expect(errors['26014-10000-00017']).toMatchObject({ error: 'timeout', jurisdiction_hint: 'ladbs-slow' });
    expect(errors['99999-10000-00001']).toMatchObject({ error: 'not_found', jurisdiction_hint: 'ladbs' });
    expect(res.body.errors).toHaveLength(4);
  });

  it('charges valid numbers only: an invalid number is free in a batch as it is alone', async () => {
    const remaining = (r: { headers: Headers }) => Number(r.headers.get('x-ratelimit-remaining'));
    const before = await h.post('/api/v1/permits/batch-status', { permit_numbers: ['16041-10000-23545'] }, key);
    expect(before.status).toBe(200);
    const invalid = ['!!!', '   ', 'A'.repeat(65)];
    for (const n of invalid) expect((await h.get(`/api/v1/permits/${encodeURIComponent(n)}/status`, key)).status).toBe(400);
    const mixed = await h.post('/api/v1/permits/batch-status', { permit_numbers: ['16041-10000-23545', ...invalid] }, key);
    expect(mixed.body.errors.map((e: { error: string }) => e.error)).toEqual(invalid.map(() => 'invalid_permit_number'));
    expect(remaining(before) - remaining(mixed)).toBe(1);
  });

  it('rejects an empty batch and more than the maximum with 400', async () => {
    expect(await h.post('/api/v1/permits/batch-status', { permit_numbers: [] }, key)).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
    const tooMany = Array.from({ length: BATCH_MAX_PERMITS + 1 }, (_, i) => `16041-10000-${String(i).padStart(5, '0')}`);
    const res = await h.post('/api/v1/permits/batch-status', { permit_numbers: tooMany }, key);
    expect(res).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(res.body.message).toContain('permit_numbers');
    expect(await h.post('/api/v1/permits/batch-status', '{not json', key)).toMatchObject({ status: 400 });
  });
});

describe('jurisdiction endpoints', () => {
  let h: Harness;
  let key: string;
  beforeAll(async () => {
    h = await startHarness();
    key = await h.key('developer');
    for (const n of ['16041-10000-23545', '26014-10000-00017', '26030-10000-01235']) {
      expect((await h.get(`/api/v1/permits/${n}/status`, key)).status).toBe(200);
    }
  });
  afterAll(() => h.close());

  it('lists jurisdictions with active counts and total, without a key', async () => {
    const res = await h.get('/api/v1/jurisdictions', key);
    expect(res.body.total).toBe(res.body.jurisdictions.length);
    // 16041 is finaled and 26030 completed (closed); 26014 is in plan check.
    expect(res.body.jurisdictions.find((j: { slug: string }) => j.slug === 'ladbs')).toMatchObject({
      platform: 'ladbs',
      state: 'CA',
      active_permits_count: 1,
    });
  });

  it('gives stats and analytics computed from the log, 404 for an unknown slug', async () => {
    const stats = await h.get('/api/v1/jurisdictions/ladbs/stats', key);
    expect(stats.body).toMatchObject({ slug: 'ladbs', permit_count: 3, active_permits_count: 1, date_range: { earliest: '2016-07-06' } });
    const a = await h.get('/api/v1/jurisdictions/ladbs/analytics', key);
    expect(a.body).toMatchObject({ jurisdiction: 'ladbs', median_processing_days: null, permit_count: 3 });
    expect(a.body.permits_by_type).toMatchObject({ Electrical: 1 });
    expect(await h.get('/api/v1/jurisdictions/aca:nowhere/stats', key)).toMatchObject({
      status: 404,
      body: { error: 'jurisdiction_not_supported' },
    });
  });

  it('reports portal health from real fetches', async () => {
    const res = await h.get('/api/v1/jurisdictions/ladbs/health', key);
    expect(res.body).toMatchObject({
      slug: 'ladbs',
      requests: 3,
      errors: 0,
      error_rate: 0,
      permits_observed: 3,
      breaker: { state: 'closed' },
    });
    expect(res.body.median_fetch_ms).toBeGreaterThanOrEqual(0);
    expect(res.body.last_success_at).toMatch(/^\d{4}-/);
    expect(res.body.unknown_status_share).toBeGreaterThanOrEqual(0);
  });

  it('ranks requested jurisdictions and counts unique keys', async () => {
    const other = await h.key('free');
    await h.post('/api/v1/jurisdictions/request', { jurisdiction_name: 'City of Phoenix', state: 'AZ' }, key);
    await h.post('/api/v1/jurisdictions/request', { jurisdiction_name: 'city of  phoenix', state: 'az' }, key);
    const third = await h.post('/api/v1/jurisdictions/request', { jurisdiction_name: 'City of Phoenix', state: 'AZ' }, other);
    // One vote per key per request (issue 16: 500 POSTs made 501 votes): the repeat adds nothing.
    expect(third.body).toMatchObject({ jurisdiction_name: 'City of Phoenix', state_code: 'AZ', request_count: 2, unique_keys_count: 2 });
    for (let i = 0; i < 20; i++) await h.post('/api/v1/jurisdictions/request', { jurisdiction_name: 'City of Phoenix', state: 'AZ' }, key);
    // Anonymous callers vote once per client address (on the demo plane, which serves them).
    const anonymous = () => h.post('/api/v1/jurisdictions/request', { jurisdiction_name: 'City of Tucson', state: 'AZ' });
    expect((await anonymous()).body).toMatchObject({ request_count: 1 });
    for (let i = 0; i < 5; i++) await anonymous();
    expect((await anonymous()).body).toMatchObject({ request_count: 1, unique_keys_count: 1 });
    await h.post('/api/v1/jurisdictions/request', { jurisdiction_name: 'City of Austin', state: 'TX' }, key);
    const list = await h.get('/api/v1/jurisdictions/requests', key);
    expect(list.body.requests.map((r: { jurisdiction_name: string }) => r.jurisdiction_name)).toEqual([
      'City of Phoenix',
      'City of Austin',
    ]);
    expect(await h.post('/api/v1/jurisdictions/request', { jurisdiction_name: 'X', state: 'Arizona' }, key)).toMatchObject({ status: 400 });
  });
});
