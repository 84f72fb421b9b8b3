import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDatabase, type TempDatabase } from '../../test/temp-database.ts';
import type { Db } from '../db/db.ts';
import { createCounterStore, COUNTER_IDLE_MS } from './counters.ts';

// A flush interval no test reaches: flushes happen when a test calls flush() or close().
const NEVER = 3_600_000;
let temp: TempDatabase;
let db: Db;
beforeEach(async () => {
  temp = await openTempDatabase('counters');
  db = temp.db;
});
afterEach(() => temp.close());

const stored = async (subject: string, bucket: string) =>
  (await db.get<{ count: number }>('SELECT count FROM rate_counters WHERE subject = ? AND bucket = ?', [subject, bucket]))?.count ?? null;

describe('the rate counter store', () => {
  it('counts in memory, writes behind on flush, and a new store (a restart) resumes from the database', async () => {
    const a = createCounterStore(db, { flushMs: NEVER });
    await a.atomically(async (v) => v.add('key_1', 'm:2026-12', 3));
    expect(await a.atomically((v) => v.get('key_1', 'm:2026-12'))).toBe(3);
    expect(await stored('key_1', 'm:2026-12')).toBeNull();
    await a.close();
    expect(await stored('key_1', 'm:2026-12')).toBe(3);
    const b = createCounterStore(db, { flushMs: NEVER });
    expect(await b.atomically((v) => v.get('key_1', 'm:2026-12'))).toBe(3);
    await b.atomically(async (v) => v.add('key_1', 'm:2026-12', 2));
    await b.close();
    expect(await stored('key_1', 'm:2026-12')).toBe(5);
  });

  it("adds increments rather than overwriting, so a second process's counts are kept and seen after a flush", async () => {
    const a = createCounterStore(db, { flushMs: NEVER });
    const b = createCounterStore(db, { flushMs: NEVER });
    await a.atomically(async (v) => v.add('key_1', 'm:2026-12', 4));
    await b.atomically(async (v) => v.add('key_1', 'm:2026-12', 6));
    await a.flush();
    await b.flush();
    expect(await stored('key_1', 'm:2026-12')).toBe(10);
    expect(await b.atomically((v) => v.get('key_1', 'm:2026-12'))).toBe(10);
    // A flush re-reads what was used since the last one: a request reads the counter first.
    expect(await a.atomically((v) => v.get('key_1', 'm:2026-12'))).toBe(4);
    await a.flush();
    expect(await a.atomically((v) => v.get('key_1', 'm:2026-12'))).toBe(10);
    await a.close();
    await b.close();
  });

  it('serialises check-and-add: 200 parallel admissions against a limit of 60 admit exactly 60', async () => {
    const store = createCounterStore(db, { flushMs: NEVER, now: () => Date.parse('2026-12-04T10:00:10Z') });
    const admit = () =>
      store.atomically(async (v) => {
        if ((await v.get('key_1', 'b:2026-12-04T10:00')) >= 60) return false;
        await v.add('key_1', 'b:2026-12-04T10:00', 1);
        return true;
      });
    const results = await Promise.all(Array.from({ length: 200 }, admit));
    expect(results.filter(Boolean)).toHaveLength(60);
    await store.close();
    expect(await stored('key_1', 'b:2026-12-04T10:00')).toBe(60);
  });

  it('sums a prefix from a bucket on, and drops finished windows from the database and from memory', async () => {
    let now = Date.parse('2026-12-04T10:00:30Z');
    const store = createCounterStore(db, { flushMs: NEVER, now: () => now });
    await store.atomically(async (v) => {
      await v.add('addr:1', 'h:2026-12-03T09', 5); // outside the rolling day that starts at 2026-12-03T11
      await v.add('addr:1', 'h:2026-12-03T11', 2);
      await v.add('addr:1', 'h:2026-12-04T10', 1);
      await v.add('addr:10', 'h:2026-12-04T10', 7); // another subject whose id extends this one's
      await v.add('key_1', 'b:2026-12-04T09:59', 1);
      await v.add('key_1', 'b:2026-12-04T10:00', 1);
    });
    expect(await store.atomically((v) => v.sum('addr:1', 'h:', 'h:2026-12-03T11'))).toBe(3);
    await store.flush();
    expect(await stored('key_1', 'b:2026-12-04T09:59')).toBeNull();
    expect(await stored('key_1', 'b:2026-12-04T10:00')).toBe(1);
    expect(await stored('addr:1', 'h:2026-12-03T09')).toBeNull();
    expect(await stored('addr:1', 'h:2026-12-03T11')).toBe(2);
    // Idle long enough, a subject leaves memory; its next read comes from the database.
    now += COUNTER_IDLE_MS + 1;
    await db.run("UPDATE rate_counters SET count = 40 WHERE subject = 'addr:10'");
    await store.flush();
    expect(await store.atomically((v) => v.get('addr:10', 'h:2026-12-04T10'))).toBe(40);
    await store.close();
  });
});
