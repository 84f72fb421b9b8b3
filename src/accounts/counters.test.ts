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
    await a.atomically(['key_1'], (v) => v.add('key_1', 'm:2026-12', 3));
    expect(await a.atomically(['key_1'], (v) => v.get('key_1', 'm:2026-12'))).toBe(3);
    expect(await stored('key_1', 'm:2026-12')).toBeNull();
    await a.close();
    expect(await stored('key_1', 'm:2026-12')).toBe(3);
    const b = createCounterStore(db, { flushMs: NEVER });
    expect(await b.atomically(['key_1'], (v) => v.get('key_1', 'm:2026-12'))).toBe(3);
    await b.atomically(['key_1'], (v) => v.add('key_1', 'm:2026-12', 2));
    await b.close();
    expect(await stored('key_1', 'm:2026-12')).toBe(5);
  });

  it("adds increments rather than overwriting, so a second process's counts are kept and seen after a flush", async () => {
    const a = createCounterStore(db, { flushMs: NEVER });
    const b = createCounterStore(db, { flushMs: NEVER });
    await a.atomically(['key_1'], (v) => v.add('key_1', 'm:2026-12', 4));
    await b.atomically(['key_1'], (v) => v.add('key_1', 'm:2026-12', 6));
    await a.flush();
    await b.flush();
    expect(await stored('key_1', 'm:2026-12')).toBe(10);
    expect(await b.atomically(['key_1'], (v) => v.get('key_1', 'm:2026-12'))).toBe(10);
    // A flush re-reads what was used since the last one: a request reads the counter first.
    expect(await a.atomically(['key_1'], (v) => v.get('key_1', 'm:2026-12'))).toBe(4);
    await a.flush();
    expect(await a.atomically(['key_1'], (v) => v.get('key_1', 'm:2026-12'))).toBe(10);
    await a.close();
    await b.close();
  });

  it('serialises check-and-add: 200 parallel admissions against a limit of 60 admit exactly 60', async () => {
    const store = createCounterStore(db, { flushMs: NEVER, now: () => Date.parse('2026-12-04T10:00:10Z') });
    const admit = () =>
      store.atomically(['key_1'], (v) => {
        if (v.get('key_1', 'b:2026-12-04T10:00') >= 60) return false;
        v.add('key_1', 'b:2026-12-04T10:00', 1);
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
    await store.atomically(['addr:1', 'addr:10', 'key_1'], (v) => {
      v.add('addr:1', 'h:2026-12-03T09', 5); // outside the rolling day that starts at 2026-12-03T11
      v.add('addr:1', 'h:2026-12-03T11', 2);
      v.add('addr:1', 'h:2026-12-04T10', 1);
      v.add('addr:10', 'h:2026-12-04T10', 7); // another subject whose id extends this one's
      v.add('key_1', 'b:2026-12-04T09:59', 1);
      v.add('key_1', 'b:2026-12-04T10:00', 1);
    });
    expect(await store.atomically(['addr:1'], (v) => v.sum('addr:1', 'h:', 'h:2026-12-03T11'))).toBe(3);
    await store.flush();
    expect(await stored('key_1', 'b:2026-12-04T09:59')).toBeNull();
    expect(await stored('key_1', 'b:2026-12-04T10:00')).toBe(1);
    expect(await stored('addr:1', 'h:2026-12-03T09')).toBeNull();
    expect(await stored('addr:1', 'h:2026-12-03T11')).toBe(2);
    // Idle long enough, a subject leaves memory; its next read comes from the database.
    now += COUNTER_IDLE_MS + 1;
    await db.run("UPDATE rate_counters SET count = 40 WHERE subject = 'addr:10'");
    await store.flush();
    expect(await store.atomically(['addr:10'], (v) => v.get('addr:10', 'h:2026-12-04T10'))).toBe(40);
    await store.close();
  });

  it('loses no increment made while a flush is writing: calls wait for the flush instead of taking the fast path', async () => {
    // A database whose transactions take real time, as a remote one's do, so calls arrive mid-flush.
    const slow: Db = Object.assign(Object.create(db) as Db, {
      transaction: async <T>(fn: (tx: Parameters<Parameters<Db['transaction']>[0]>[0]) => Promise<T>) => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        return db.transaction(async (tx) => {
          const out = await fn(tx);
          await new Promise((resolve) => setTimeout(resolve, 2));
          return out;
        });
      },
    });
    const store = createCounterStore(slow, { flushMs: NEVER, now: () => Date.parse('2026-12-04T10:00:10Z') });
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 300; i++) {
      calls.push(store.atomically(['key_1'], (v) => v.add('key_1', 'm:2026-12', 1)));
      if (i % 25 === 0) calls.push(store.flush());
      // Let the flush's transaction start and await the database between increments.
      if (i % 5 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(calls);
    expect(await store.atomically(['key_1'], (v) => v.get('key_1', 'm:2026-12'))).toBe(300);
    await store.close();
    expect(await stored('key_1', 'm:2026-12')).toBe(300);
  });

  it('refuses a subject the call did not load', async () => {
    const store = createCounterStore(db, { flushMs: NEVER });
    await expect(store.atomically(['key_1'], (v) => v.get('key_2', 'm:2026-12'))).rejects.toThrow(/key_2 were not loaded/);
    await store.close();
  });
});
