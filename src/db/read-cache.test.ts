import { describe, expect, it } from 'vitest';
import type { Db } from './db.ts';
import { createReadCache } from './read-cache.ts';

/** A Db whose stamp the test moves by hand; only `stamp` is used by the cache. */
function fakeDb(stamped = true) {
  const state = { stamp: 0 };
  const db = { stamp: stamped ? () => state.stamp : undefined } as unknown as Db;
  return { db, state };
}

describe('createReadCache', () => {
  it('answers from memory while the stamp holds and loads again once it moves', async () => {
    const { db, state } = fakeDb();
    const cache = createReadCache<number>(db, ['permits'], { max: 10 });
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get('a', load)).toBe(1);
    expect(await cache.get('a', load)).toBe(1);
    state.stamp++;
    expect(await cache.get('a', load)).toBe(2);
    expect(loads).toBe(2);
  });

  it('does not keep values the keep predicate refuses', async () => {
    const { db } = fakeDb();
    const cache = createReadCache<string>(db, ['api_keys'], { max: 10, keep: (v) => v !== 'unknown' });
    let loads = 0;
    const load = async () => (++loads, 'unknown');
    await cache.get('k', load);
    await cache.get('k', load);
    expect(loads).toBe(2);
  });

  it('drops the oldest entry past max', async () => {
    const { db } = fakeDb();
    const cache = createReadCache<string>(db, ['permits'], { max: 2 });
    const loaded: string[] = [];
    const load = (k: string) => async () => (loaded.push(k), k);
    for (const k of ['a', 'b', 'c', 'b', 'a']) await cache.get(k, load(k));
    expect(loaded).toEqual(['a', 'b', 'c', 'a']);
  });

  it('always loads on a database without stamps (remote)', async () => {
    const { db } = fakeDb(false);
    const cache = createReadCache<number>(db, ['permits'], { max: 10 });
    let loads = 0;
    await cache.get('a', async () => ++loads);
    await cache.get('a', async () => ++loads);
    expect(loads).toBe(2);
  });
});
