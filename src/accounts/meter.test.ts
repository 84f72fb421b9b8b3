import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDatabase, type TempDatabase } from '../../test/temp-database.ts';
import { openDatabase } from '../app.ts';
import type { Db } from '../db/db.ts';
import { createCounterStore, type CounterStore } from './counters.ts';
import { admitDemo, admitKey, FORCE_REFRESH_COST, FORCE_REFRESH_PER_HOUR, refundCharge } from './meter.ts';
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
    // Retry-After: the 60 s to the month's end.
    expect(await admit(tiny, t)).toMatchObject({
      ok: false,
      reason: 'rate_limit_exceeded',
      retryAfterSeconds: 60,
      headers: { remaining: 0 },
    });
    expect(await admit(tiny, at('2026-12-01T00:00:00Z'))).toMatchObject({
      ok: true,
      headers: { limit: 5, remaining: 4, reset: '2027-01-01T00:00:00.000Z' },
    });
  });

  it('charges force_refresh 10 credits and allows at most 10 in any rolling hour', async () => {
    const dev = plan('developer');
    let t = at('2026-11-10T10:00:00Z');
    const first = await admit(dev, t, true);
    expect(first).toMatchObject({ ok: true, headers: { remaining: 5000 - FORCE_REFRESH_COST } });
    for (let i = 1; i < FORCE_REFRESH_PER_HOUR; i++) expect((await admit(dev, (t += 61_000), true)).ok).toBe(true);
    // 10:10:10: the first call (10:00) frees up at 11:01:00, 3,050 s away.
    expect(await admit(dev, (t += 61_000), true)).toMatchObject({
      ok: false,
      reason: 'force_refresh_limit_exceeded',
      retryAfterSeconds: 3_050,
    });
    expect((await admit(dev, t)).ok).toBe(true);
    // The clock hour turning over frees nothing (the old fixed window let 20 through in two minutes).
    expect(await admit(dev, at('2026-11-10T11:00:01Z'), true)).toMatchObject({
      ok: false,
      reason: 'force_refresh_limit_exceeded',
      retryAfterSeconds: 59,
    });
    // At 11:01 the 10:00 call has left the window, and only it: one more fits, then none until
    // 11:02, when the 10:01:01 call's minute leaves.
    expect((await admit(dev, at('2026-11-10T11:01:00Z'), true)).ok).toBe(true);
    expect(await admit(dev, at('2026-11-10T11:01:30Z'), true)).toMatchObject({ ok: false, retryAfterSeconds: 30 });
  });

  it('never lets more than 10 force_refresh calls into any 60 minutes, however they are spread', async () => {
    const dev = plan('pro');
    const admitted: number[] = [];
    // One attempt every 50 s for four hours, some at odd seconds within their minute.
    for (let t = at('2026-11-10T10:00:07Z'); t < at('2026-11-10T14:00:00Z'); t += 50_000) {
      if ((await admit(dev, t, true)).ok) admitted.push(t);
    }
    for (const start of admitted) expect(admitted.filter((t) => t >= start && t < start + 3_600_000).length).toBeLessThanOrEqual(10);
    expect(admitted.length).toBeGreaterThanOrEqual(30);
  });

  it('gives back what a call cost when it got no answer: its credits and its force_refresh slot', async () => {
    const dev = plan('developer');
    const t = at('2026-11-10T10:00:00Z');
    const forced = await admit(dev, t, true);
    if (!forced.ok) throw new Error('not admitted');
    expect(await refundCharge(counters, forced.charge)).toBe(FORCE_REFRESH_COST);
    expect(await admit(dev, t)).toMatchObject({ ok: true, headers: { remaining: 4999 } });
    for (let i = 0; i < FORCE_REFRESH_PER_HOUR; i++) expect((await admit(dev, t + 1_000, true)).ok).toBe(true);
    // A batch of 5 with 2 unanswered: 2 credits back.
    const batch = await admitKey(counters, { keyId: 'key_a', plan: dev, cost: 5, forceRefresh: false, now: t + 2_000 });
    if (!batch.ok) throw new Error('not admitted');
    expect(await refundCharge(counters, batch.charge, 2)).toBe(2);
    expect(await admit(dev, t + 3_000)).toMatchObject({ headers: { remaining: 5000 - 1 - 100 - 3 - 1 } });
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

  it('says truly when a call frees up: the oldest counted hour plus 24 h, also when that is the next day', async () => {
    const t = at('2026-11-10T10:30:00Z');
    const first = await admitDemo(counters, { address: '127.0.0.9', cap: 2, now: t });
    expect(first).toMatchObject({ ok: true, headers: { remaining: 1, reset: '2026-11-11T10:00:00.000Z' } });
    await admitDemo(counters, { address: '127.0.0.9', cap: 2, now: t + 60_000 });
    // Refused at 11:45: nothing frees up before 10:00 tomorrow (not at 12:00, the next clock hour).
    expect(await admitDemo(counters, { address: '127.0.0.9', cap: 2, now: at('2026-11-10T11:45:00Z') })).toMatchObject({
      ok: false,
      retryAfterSeconds: 22.25 * 3600,
      headers: { remaining: 0, reset: '2026-11-11T10:00:00.000Z' },
    });
  });

  it('refunds an unanswered demo call, but not one failed item of a demo batch (a batch costs 1)', async () => {
    const t = at('2026-11-10T10:30:00Z');
    const one = await admitDemo(counters, { address: '127.0.0.8', cap: 1, now: t });
    if (!one.ok) throw new Error('not admitted');
    expect(await refundCharge(counters, one.charge)).toBe(1);
    const batch = await admitDemo(counters, { address: '127.0.0.8', cap: 1, now: t, units: 5 });
    if (!batch.ok) throw new Error('not admitted');
    expect(await refundCharge(counters, batch.charge, 2)).toBe(0);
    expect((await admitDemo(counters, { address: '127.0.0.8', cap: 1, now: t })).ok).toBe(false);
  });
});
