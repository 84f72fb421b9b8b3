import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChangeStamps, EXTERNAL_CHANGE_CHECK_MS } from './change-stamps.ts';
import type { Db } from './db.ts';
import { openEmbedded } from './embedded.ts';

describe('createChangeStamps', () => {
  const setup = () => {
    const clock = { t: 0, version: 1 };
    const stamps = createChangeStamps({ externalVersion: () => clock.version, now: () => clock.t, checkMs: 100 });
    return { clock, stamps };
  };

  it('moves a table’s stamp on an autocommit write to it, and no other table’s', () => {
    const { stamps } = setup();
    const keys = stamps.stamp(['api_keys']);
    const permits = stamps.stamp(['permits']);
    stamps.wrote(['api_keys']);
    expect(stamps.stamp(['api_keys'])).not.toBe(keys);
    expect(stamps.stamp(['permits'])).toBe(permits);
  });

  it('moves inside a transaction only at commit, and never for a rollback', () => {
    const { stamps } = setup();
    const before = stamps.stamp(['permits', 'permit_freshness']);
    stamps.begin();
    stamps.wrote(['permit_freshness']);
    expect(stamps.stamp(['permits', 'permit_freshness'])).toBe(before);
    stamps.commit();
    const committed = stamps.stamp(['permits', 'permit_freshness']);
    expect(committed).not.toBe(before);
    stamps.begin();
    stamps.wrote(['permits']);
    stamps.rollback();
    expect(stamps.stamp(['permits', 'permit_freshness'])).toBe(committed);
  });

  it('moves every stamp for DDL', () => {
    const { stamps } = setup();
    const before = stamps.stamp(['timeline']);
    stamps.begin();
    stamps.wrote(['permits']);
    stamps.wrote('all');
    stamps.commit();
    expect(stamps.stamp(['timeline'])).not.toBe(before);
  });

  it('sees another connection’s commit once the check interval has passed, not before', () => {
    const { clock, stamps } = setup();
    const before = stamps.stamp(['api_keys']);
    clock.version = 2;
    clock.t = 99;
    expect(stamps.stamp(['api_keys'])).toBe(before);
    clock.t = 100;
    const after = stamps.stamp(['api_keys']);
    expect(after).not.toBe(before);
    clock.t = 300;
    expect(stamps.stamp(['api_keys'])).toBe(after);
  });
});

describe('embedded Db.stamp', () => {
  let dir: string;
  const dbs: Db[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pw-stamp-'));
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

  it('tracks the tables real statements write, including RETURNING inside a transaction', async () => {
    const db = open();
    await db.exec('CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT); CREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT)');
    const a = db.stamp!(['a']);
    const b = db.stamp!(['b']);
    await db.run('INSERT INTO a (v) VALUES (?)', ['x']);
    expect(db.stamp!(['a'])).not.toBe(a);
    expect(db.stamp!(['b'])).toBe(b);
    await db.transaction(async (tx) => {
      await tx.get('UPDATE b SET v = ? WHERE id = 1 RETURNING id', ['y']);
      await tx.run('INSERT INTO b (v) VALUES (?)', ['z']);
    });
    expect(db.stamp!(['b'])).not.toBe(b);
    const afterB = db.stamp!(['b']);
    await expect(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO b (v) VALUES (?)', ['rolled back']);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(db.stamp!(['b'])).toBe(afterB);
    // DDL through run() changes no rows but changes what every cached read may mean.
    await db.run('CREATE TABLE c (id INTEGER PRIMARY KEY)');
    expect(db.stamp!(['b'])).not.toBe(afterB);
  });

  it('sees a commit by another connection to the same file', async () => {
    const db = open();
    await db.exec('CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT)');
    const other = open();
    const before = db.stamp!(['a']);
    await other.run('INSERT INTO a (v) VALUES (?)', ['from elsewhere']);
    await new Promise((r) => setTimeout(r, EXTERNAL_CHANGE_CHECK_MS + 20));
    expect(db.stamp!(['a'])).not.toBe(before);
  });

  it('is absent for :memory:, whose one connection reads uncommitted writes', () => {
    const db = openEmbedded('file::memory:');
    dbs.push(db);
    expect(db.stamp).toBeUndefined();
  });
});
