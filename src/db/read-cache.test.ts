import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../lib/manual-clock.ts';
import type { Db } from './db.ts';
import { openEmbedded } from './embedded.ts';
import { createReadCaches, EXTERNAL_CHANGE_CHECK_MS } from './read-cache.ts';

/** Read caches over a database whose other connections the test commits for by hand. */
function setup() {
  const clock = createManualClock(1_000);
  const external = { version: 1 };
  const caches = createReadCaches({ version: () => external.version, clock, checkMs: 100 });
  let loads = 0;
  const load =
    (value = 'v') =>
    async () => `${value}${++loads}`;
  return { clock, external, caches, load, loads: () => loads };
}

describe('createReadCaches', () => {
  it('answers from memory until a write names the key, and only that key, of that topic', async () => {
    const { caches, load } = setup();
    const rows = caches.create<string>('rows', { max: 10 });
    const other = caches.create<string>('numbers', { max: 10 });
    expect(await rows.get('a', load())).toBe('v1');
    expect(await rows.get('b', load())).toBe('v2');
    expect(await other.get('a', load())).toBe('v3');
    expect(await rows.get('a', load())).toBe('v1');
    caches.invalidate('rows', ['a']);
    expect(await rows.get('a', load())).toBe('v4');
    expect(await rows.get('b', load())).toBe('v2');
    expect(await other.get('a', load())).toBe('v3');
  });

  it('does not keep a value loaded while a write invalidated its key', async () => {
    const { caches } = setup();
    const rows = caches.create<string>('rows', { max: 10 });
    // The load read the old value; the write commits and invalidates before the load returns.
    const first = rows.get('a', async () => {
      caches.invalidate('rows', ['a']);
      return 'old';
    });
    expect(await first).toBe('old');
    expect(await rows.get('a', async () => 'new')).toBe('new');
    expect(await rows.get('a', async () => 'newer')).toBe('new');
  });

  it('clears everything when another connection committed, asking at most every checkMs', async () => {
    const { caches, clock, external, load, loads } = setup();
    const rows = caches.create<string>('rows', { max: 10 });
    await rows.get('a', load());
    external.version++;
    // Within the check interval the other connection's commit is not asked about yet.
    await clock.advance(99);
    expect(await rows.get('a', load())).toBe('v1');
    await clock.advance(1);
    expect(await rows.get('a', load())).toBe('v2');
    expect(await rows.get('a', load())).toBe('v2');
    expect(loads()).toBe(2);
  });

  it('clear() drops every entry of every topic', async () => {
    const { caches, load } = setup();
    const rows = caches.create<string>('rows', { max: 10 });
    await rows.get('a', load());
    caches.clear();
    expect(await rows.get('a', load())).toBe('v2');
  });

  it('keeps undefined answers, refuses what keep refuses, and drops the least recently used past max', async () => {
    const { caches } = setup();
    const missing = caches.create<string | undefined>('rows', { max: 10 });
    let misses = 0;
    await missing.get('nope', async () => void misses++);
    await missing.get('nope', async () => void misses++);
    expect(misses).toBe(1);

    const keys = caches.create<string>('keys', { max: 10, keep: (v) => v !== 'unknown' });
    let unknowns = 0;
    await keys.get('k', async () => (unknowns++, 'unknown'));
    await keys.get('k', async () => (unknowns++, 'unknown'));
    expect(unknowns).toBe(2);

    const small = caches.create<string>('small', { max: 2 });
    const loaded: string[] = [];
    for (const k of ['a', 'b', 'a', 'c', 'a', 'b']) await small.get(k, async () => (loaded.push(k), k));
    expect(loaded).toEqual(['a', 'b', 'c', 'b']);
  });

  it('keeps nothing without a way to see other connections (remote, :memory:)', async () => {
    const caches = createReadCaches();
    const rows = caches.create<number>('rows', { max: 10 });
    let loads = 0;
    await rows.get('a', async () => ++loads);
    await rows.get('a', async () => ++loads);
    expect(loads).toBe(2);
  });
});

describe('embedded Db.caches', () => {
  let dir: string;
  const dbs: Db[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pw-read-cache-'));
  });
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const open = () => {
    const db = openEmbedded(`file:${join(dir, 'x.db')}`);
    dbs.push(db);
    return db;
  };
  const cachedValue = (db: Db) => {
    const cache = db.caches.create<string | undefined>('a', { max: 10 });
    return () => cache.get('1', async () => (await db.get<{ v: string }>('SELECT v FROM a WHERE id = 1'))?.v);
  };

  it('sees a commit by another connection to the same file within EXTERNAL_CHANGE_CHECK_MS', async () => {
    const db = open();
    await db.exec("CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO a VALUES (1, 'before')");
    const read = cachedValue(db);
    expect(await read()).toBe('before');
    const other = open();
    await other.run('UPDATE a SET v = ? WHERE id = 1', ['from elsewhere']);
    await new Promise((r) => setTimeout(r, EXTERNAL_CHANGE_CHECK_MS + 20));
    expect(await read()).toBe('from elsewhere');
  });

  it("does not notice its own connection's writes: the write path names them", async () => {
    const db = open();
    await db.exec("CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO a VALUES (1, 'before')");
    const read = cachedValue(db);
    expect(await read()).toBe('before');
    await db.run('UPDATE a SET v = ? WHERE id = 1', ['mine']);
    await new Promise((r) => setTimeout(r, EXTERNAL_CHANGE_CHECK_MS + 20));
    expect(await read()).toBe('before');
    db.caches.invalidate('a', ['1']);
    expect(await read()).toBe('mine');
  });

  it('keeps nothing for :memory:, whose one connection reads uncommitted writes', async () => {
    const db = openEmbedded('file::memory:');
    dbs.push(db);
    await db.exec("CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO a VALUES (1, 'before')");
    const read = cachedValue(db);
    expect(await read()).toBe('before');
    await db.run('UPDATE a SET v = ? WHERE id = 1', ['after']);
    expect(await read()).toBe('after');
  });
});
