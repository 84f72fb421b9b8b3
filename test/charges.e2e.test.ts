import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../src/lib/clock.ts';
import { startHarness, type Harness } from './harness.ts';

// Issue 21, defects 3 and 4 through the real server: every 429 says when to come back, truly;
// and a call that got no answer (a 5xx) costs nothing.
let offset = Date.parse('2026-12-06T10:20:00Z') - Date.now();
const clock: Clock = { now: () => Date.now() + offset, sleep: systemClock.sleep };
const moveTo = (iso: string) => (offset = Date.parse(iso) - Date.now());

const CACHED = '/api/v1/permits/16041-10000-23545/status';
/** A live permit the portal has not been asked for yet: a lookup must reach it. */
const UNSEEN = '/api/v1/permits/26030-10000-01235/status';
const DEMO_CAP = 3;
/** An operator-defined plan that runs out after two calls (config `plans`). */
const TINY = { name: 'tiny', monthly_limit: 2, burst_per_minute: 100, force_refresh: true };

describe('429s and charges', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ clock, env: { demo_daily_cap: DEMO_CAP, plans: [TINY] } });
  });
  afterAll(() => h.close());

  it("the demo plane's 429 carries Retry-After and the true reset: the next day when the calls were this hour", async () => {
    const first = await h.get(CACHED);
    expect(first.status).toBe(200);
    // The 10:00 hour's calls free up at 10:00 tomorrow, not at 11:00 today.
    expect(first.headers.get('x-ratelimit-reset')).toBe('2026-12-07T10:00:00.000Z');
    for (let i = 1; i < DEMO_CAP; i++) expect((await h.get(CACHED)).status).toBe(200);
    moveTo('2026-12-06T11:30:00Z');
    const refused = await h.get(CACHED);
    expect(refused).toMatchObject({ status: 429, body: { error: 'rate_limit_exceeded' } });
    expect(refused.headers.get('x-ratelimit-reset')).toBe('2026-12-07T10:00:00.000Z');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(22.5 * 3600 - 5);
    expect(retryAfter).toBeLessThanOrEqual(22.5 * 3600);
    expect(refused.body.retry_after_seconds).toBe(retryAfter);
  });

  it('the monthly 429 carries Retry-After to the start of the next month', async () => {
    moveTo('2026-12-31T23:59:00Z');
    const key = await h.key('tiny');
    for (let i = 0; i < TINY.monthly_limit; i++) expect((await h.get(CACHED, key)).status).toBe(200);
    const refused = await h.get(CACHED, key);
    expect(refused).toMatchObject({ status: 429, body: { error: 'rate_limit_exceeded' } });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(50);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.body.retry_after_seconds).toBe(retryAfter);
  });

  it('a 503 jurisdiction_unavailable costs no credit and does not count as a request in usage', async () => {
    moveTo('2027-01-05T12:00:00Z');
    const key = await h.key('developer');
    const before = await h.get(CACHED, key);
    expect(before.headers.get('x-ratelimit-remaining')).toBe('4999');
    h.portal.setMode({ kind: 'fail', status: 500 });
    try {
      const failed = await h.get(UNSEEN, key);
      expect(failed).toMatchObject({ status: 503, body: { error: 'jurisdiction_unavailable' } });
      expect(failed.headers.get('x-ratelimit-remaining')).toBe('4999');
      // A force_refresh (10 credits) of a cached permit whose portal fails is answered from the
      // cache: an answer, so charged. One that gets no answer at all is given back whole.
      const forcedUnseen = await h.get(`${UNSEEN}?force_refresh=true`, key);
      expect(forcedUnseen.status).toBe(503);
      expect(forcedUnseen.headers.get('x-ratelimit-remaining')).toBe('4999');
    } finally {
      h.portal.setMode({ kind: 'ok' });
    }
    const after = await h.get(CACHED, key);
    expect(after.headers.get('x-ratelimit-remaining')).toBe('4998');
    const usage = await h.get('/api/v1/usage', key);
    expect(usage.body.requests.today).toBe(2);
    expect(usage.body.errors.today).toBe(2);
  });

  it('a batch gives back the credits of the permits that got no answer', async () => {
    const key = await h.key('developer');
    h.portal.setMode({ kind: 'fail', status: 500 });
    try {
      const batch = await h.post('/api/v1/permits/batch-status', { permit_numbers: ['16041-10000-23545', '26014-10000-00017'] }, key);
      expect(batch.status).toBe(200);
      expect(batch.body.errors).toEqual([expect.objectContaining({ error: 'jurisdiction_unavailable' })]);
      expect(batch.headers.get('x-ratelimit-remaining')).toBe('4999');
    } finally {
      h.portal.setMode({ kind: 'ok' });
    }
  });
});
