import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORCE_REFRESH_COST, FORCE_REFRESH_PER_HOUR } from '../src/accounts/meter.ts';
import { systemClock, type Clock } from '../src/lib/clock.ts';
import { startHarness, type Harness } from './harness.ts';

// The server's clock is the real one shifted: it starts ten minutes before a month boundary and
// the test moves it across. It must keep running: the HTTP client's politeness gate waits on it.
let offset = Date.parse('2026-11-30T23:50:00Z') - Date.now();
const clock: Clock = { now: () => Date.now() + offset, sleep: systemClock.sleep };
const moveTo = (iso: string) => (offset = Date.parse(iso) - Date.now());

const FINALED = '16041-10000-23545';
const STATUS = `/api/v1/permits/${FINALED}/status`;
/** An operator-defined plan small enough to run out in a test (config `plans`). */
const TINY = { name: 'tiny', monthly_limit: FORCE_REFRESH_COST + 2, burst_per_minute: 100, force_refresh: true };

describe('quota, force_refresh and counters over HTTP across a month boundary and a restart', () => {
  let h: Harness;
  let tiny: string;
  let pro: string;
  beforeAll(async () => {
    h = await startHarness({ clock, env: { plans: [TINY] } });
    tiny = await h.key('tiny');
    pro = await h.key('pro');
    expect((await h.get(STATUS, pro)).status).toBe(200); // cached from here on
  });
  afterAll(() => h.close());

  const quota = (r: { headers: Headers }) => ({
    limit: r.headers.get('x-ratelimit-limit'),
    remaining: r.headers.get('x-ratelimit-remaining'),
    reset: r.headers.get('x-ratelimit-reset'),
  });

  it('charges force_refresh 10 credits, then answers 429 rate_limit_exceeded at the monthly quota', async () => {
    const forced = await h.get(`${STATUS}?force_refresh=true`, tiny);
    expect(forced.status).toBe(200);
    expect(quota(forced)).toEqual({ limit: '12', remaining: '2', reset: '2026-12-01T00:00:00.000Z' });
    expect(quota(await h.get(STATUS, tiny)).remaining).toBe('1');
    expect(quota(await h.get(STATUS, tiny)).remaining).toBe('0');
    const over = await h.get(STATUS, tiny);
    expect(over).toMatchObject({ status: 429, body: { error: 'rate_limit_exceeded', message: expect.stringContaining('2026-12-01') } });
    expect(quota(over)).toEqual({ limit: '12', remaining: '0', reset: '2026-12-01T00:00:00.000Z' });
  });

  it(`allows ${FORCE_REFRESH_PER_HOUR} force_refresh calls an hour, even all at once; the next is 429 force_refresh_limit_exceeded`, async () => {
    const results = await Promise.all(Array.from({ length: FORCE_REFRESH_PER_HOUR + 1 }, () => h.get(`${STATUS}?force_refresh=true`, pro)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(FORCE_REFRESH_PER_HOUR);
    const refused = results.find((r) => r.status === 429)!;
    expect(refused.body).toMatchObject({ error: 'force_refresh_limit_exceeded' });
    // A rolling hour (issue 21, defect 3): not until the top of the hour, but until the first
    // call's minute (23:50) leaves the window at 00:51:00.
    expect(refused.body.retry_after_seconds).toBeGreaterThan(3_540);
    expect(refused.body.retry_after_seconds).toBeLessThanOrEqual(3_660);
    expect(refused.headers.get('retry-after')).toBe(String(refused.body.retry_after_seconds));
    // A plain lookup is still fine, and the refused call cost nothing: 1 + 10 × 10 credits used.
    expect(quota(await h.get(STATUS, pro)).remaining).toBe(String(25_000 - 2 - FORCE_REFRESH_PER_HOUR * FORCE_REFRESH_COST));
  });

  it('keeps every counter across a restart', async () => {
    await h.restart();
    expect(await h.get(STATUS, tiny)).toMatchObject({ status: 429, body: { error: 'rate_limit_exceeded' } });
    expect(await h.get(`${STATUS}?force_refresh=true`, pro)).toMatchObject({
      status: 429,
      body: { error: 'force_refresh_limit_exceeded' },
    });
    expect(quota(await h.get(STATUS, pro)).remaining).toBe(String(25_000 - 3 - FORCE_REFRESH_PER_HOUR * FORCE_REFRESH_COST));
  });

  it('resets the quota at the start of the next month (UTC); the force_refresh hour rolls on across it', async () => {
    moveTo('2026-12-01T00:00:05Z');
    const fresh = await h.get(STATUS, tiny);
    expect(fresh.status).toBe(200);
    expect(quota(fresh)).toEqual({ limit: '12', remaining: '11', reset: '2027-01-01T00:00:00.000Z' });
    // The clock hour (and the month) turning over frees no force_refresh: the hour is rolling.
    expect(await h.get(`${STATUS}?force_refresh=true`, pro)).toMatchObject({ status: 429, body: { error: 'force_refresh_limit_exceeded' } });
    moveTo('2026-12-01T00:51:00Z');
    const forced = await h.get(`${STATUS}?force_refresh=true`, pro);
    expect(forced).toMatchObject({ status: 200, body: { source: 'live' } });
    expect(quota(forced)).toEqual({ limit: '25000', remaining: String(25_000 - FORCE_REFRESH_COST), reset: '2027-01-01T00:00:00.000Z' });
  });
});
