import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDatabase, type TempDatabase } from '../../test/temp-database.ts';
import type { Db, Queryable } from '../db/db.ts';
import { createManualClock } from '../lib/manual-clock.ts';
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
    const store = createCounterStore(db, { flushMs: NEVER, clock: createManualClock(Date.parse('2026-12-04T10:00:10Z')) });
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
    const clock = createManualClock(Date.parse('2026-12-04T10:00:30Z'));
    const store = createCounterStore(db, { flushMs: NEVER, clock });
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
    await clock.advance(COUNTER_IDLE_MS + 1);
    await db.run("UPDATE rate_counters SET count = 40 WHERE subject = 'addr:10'");
    await store.flush();
    expect(await store.atomically(['addr:10'], (v) => v.get('addr:10', 'h:2026-12-04T10'))).toBe(40);
    await store.close();
  });

  it('loses no increment made while a flush is inside its transaction: the call waits for the flush', async () => {
    // A database whose flush transaction runs `duringFlush` after each of its writes: the moments
    // a request arriving mid-flush would race the flush's write, re-read and reset.
    let duringFlush: (() => void) | undefined;
    let inTransaction = false;
    const hooked: Db = Object.assign(Object.create(db) as Db, {
      async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
        inTransaction = true;
        try {
          return await db.transaction((tx) =>
            fn({
              ...tx,
              async run(sql, params) {
                const result = await tx.run(sql, params);
                duringFlush?.();
                return result;
              },
            }),
          );
        } finally {
          inTransaction = false;
        }
      },
    });
    const store = createCounterStore(hooked, { flushMs: NEVER, clock: createManualClock(Date.parse('2026-12-04T10:00:10Z')) });
    await store.atomically(['key_1'], (v) => v.add('key_1', 'm:2026-12', 1));
    const arrived: Promise<unknown>[] = [];
    let ranInTransaction = 0;
    duringFlush = () => {
      arrived.push(
        store.atomically(['key_1'], (v) => {
          if (inTransaction) ranInTransaction++;
          v.add('key_1', 'm:2026-12', 1);
        }),
      );
    };
    await store.flush();
    duringFlush = undefined;
    // One increment per write the flush made (the counter's upsert, three window clean-ups).
    expect(arrived).toHaveLength(4);
    await Promise.all(arrived);
    expect(await store.atomically(['key_1'], (v) => v.get('key_1', 'm:2026-12'))).toBe(5);
    await store.close();
    expect(await stored('key_1', 'm:2026-12')).toBe(5);
    expect(ranInTransaction).toBe(0);
  });

  it('refuses a subject the call did not load', async () => {
    const store = createCounterStore(db, { flushMs: NEVER });
    await expect(store.atomically(['key_1'], (v) => v.get('key_2', 'm:2026-12'))).rejects.toThrow(/key_2 were not loaded/);
    await store.close();
  });
});
