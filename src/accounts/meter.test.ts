import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDatabase, type TempDatabase } from '../../test/temp-database.ts';
import { openDatabase } from '../app.ts';
import type { Db } from '../db/db.ts';
import { createCounterStore, type CounterStore } from './counters.ts';
import { admitDemo, admitKey, FORCE_REFRESH_COST, FORCE_REFRESH_PER_HOUR } from './meter.ts';
import { BUILT_IN_PLANS, planNamed, type Plan } from './plans.ts';

let temp: TempDatabase;
let db: Db;
let counters: CounterStore;
beforeEach(async () => {
  temp = await openTempDatabase('meter');
  db = temp.db;
  counters = createCounterStore(db);
});
afterEach(async () => {
  await counters.close();
  await temp.close();
});

const plan = (name: string) => planNamed(BUILT_IN_PLANS, name)!;
const at = (iso: string) => Date.parse(iso);
const admit = (p: Plan, now: number, forceRefresh = false, keyId = 'key_a') =>
  admitKey(counters, { keyId, plan: p, cost: 1, forceRefresh, now });

describe('admitKey', () => {
  it('refuses past the burst with seconds to the next minute, and burst refusals cost no quota', async () => {
    const free = plan('free');
    const t = at('2026-11-30T23:58:20Z');
    for (let i = 0; i < 3; i++) expect((await admit(free, t)).ok).toBe(true);
    const refused = await admit(free, t + 5_000);
    expect(refused).toMatchObject({
      ok: false,
      reason: 'burst_limit_exceeded',
      retryAfterSeconds: 35,
      headers: { limit: 200, remaining: 197 },
    });
    // The next minute admits again and the quota only moved by the 3 admitted calls.
    expect(await admit(free, at('2026-11-30T23:59:00Z'))).toMatchObject({
      ok: true,
      headers: { remaining: 196, reset: '2026-12-01T00:00:00.000Z' },
    });
  });

  it('refuses at the monthly quota and resets at the start of the next month (UTC)', async () => {
    const tiny: Plan = { name: 'tiny', monthly_limit: 5, burst_per_minute: 100, force_refresh: true };
    const t = at('2026-11-30T23:59:00Z');
    for (let i = 0; i < 5; i++) expect((await admit(tiny, t)).ok).toBe(true);
    expect(await admit(tiny, t)).toMatchObject({ ok: false, reason: 'rate_limit_exceeded', headers: { remaining: 0 } });
    expect(await admit(tiny, at('2026-12-01T00:00:00Z'))).toMatchObject({
      ok: true,
      headers: { limit: 5, remaining: 4, reset: '2027-01-01T00:00:00.000Z' },
    });
  });

  it('charges force_refresh 10 credits and allows at most 10 an hour', async () => {
    const dev = plan('developer');
    let t = at('2026-11-10T10:00:00Z');
    const first = await admit(dev, t, true);
    expect(first).toMatchObject({ ok: true, headers: { remaining: 5000 - FORCE_REFRESH_COST } });
    for (let i = 1; i < FORCE_REFRESH_PER_HOUR; i++) expect((await admit(dev, (t += 61_000), true)).ok).toBe(true);
    expect(await admit(dev, (t += 61_000), true)).toMatchObject({ ok: false, reason: 'force_refresh_limit_exceeded' });
    expect((await admit(dev, t)).ok).toBe(true);
    expect((await admit(dev, at('2026-11-10T11:00:01Z'), true)).ok).toBe(true);
  });

  it('admits exactly the burst limit of 200 concurrent calls, and counters survive a reopen', async () => {
    const dev = plan('developer');
    const t = at('2026-11-10T10:00:00Z');
    const results = await Promise.all(Array.from({ length: 200 }, () => admit(dev, t)));
    expect(results.filter((r) => r.ok)).toHaveLength(60);
    await db.close();
    db = await openDatabase(temp.url);
    try {
      expect(await admit(dev, t)).toMatchObject({ ok: false, reason: 'burst_limit_exceeded' });
      expect(await admit(dev, t + 60_000)).toMatchObject({ ok: true, headers: { remaining: 5000 - 61 } });
    } finally {
      await db.close();
    }
  });
});

describe('admitDemo', () => {
  it('caps an address over a rolling 24 hours', async () => {
    const t = at('2026-11-10T10:30:00Z');
    for (let i = 0; i < 3; i++) expect((await admitDemo(counters, { address: '127.0.0.1', cap: 3, now: t })).ok).toBe(true);
    expect(await admitDemo(counters, { address: '127.0.0.1', cap: 3, now: t + 3_600_000 })).toMatchObject({
      ok: false,
      headers: { remaining: 0 },
    });
    expect((await admitDemo(counters, { address: '127.0.0.2', cap: 3, now: t })).ok).toBe(true);
    // 24 hours after the 10:00 bucket it no longer counts.
    expect((await admitDemo(counters, { address: '127.0.0.1', cap: 3, now: at('2026-11-11T10:00:00Z') })).ok).toBe(true);
  });
});
