import Database from 'libsql';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from './db.ts';
import { openEmbedded } from './embedded.ts';

let dir: string;
let file: string;
let db: Db;
let other: InstanceType<typeof Database> | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pw-embedded-'));
  file = join(dir, 'x.db');
  db = openEmbedded(`file:${file}`, { busyTimeoutMs: 300 });
  await db.exec('CREATE TABLE jobs (id INTEGER PRIMARY KEY, owner TEXT)');
  await db.run('INSERT INTO jobs (id, owner) VALUES (1, NULL), (2, NULL)');
});
afterEach(async () => {
  other?.close();
  other = undefined;
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Another process's stand-in: a second connection on the file holding the write lock. */
function holdWriteLock(): InstanceType<typeof Database> {
  other = new Database(file);
  other.exec('BEGIN IMMEDIATE');
  return other;
}

describe('embedded database writes', () => {
  it('runs an UPDATE ... RETURNING read through all() on the writer, after the transaction in progress', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const tx = db.transaction(async (t) => {
      await t.run("UPDATE jobs SET owner = 'tx' WHERE id = 1");
      await gate;
    });
    // On the reader connection this claim met the writer's lock (SQLITE_BUSY after a blocking wait).
    const claimed = db.all<{ id: number }>("UPDATE jobs SET owner = 'claim' WHERE owner IS NULL RETURNING id");
    release();
    await tx;
    expect(await claimed).toEqual([{ id: 2 }]);
    expect(await db.all('SELECT id, owner FROM jobs ORDER BY id')).toEqual([
      { id: 1, owner: 'tx' },
      { id: 2, owner: 'claim' },
    ]);
  });

  it("waits for another connection's lock on a timer, so the event loop keeps running", async () => {
    const lockHolder = holdWriteLock();
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 10);
    setTimeout(() => lockHolder.exec('ROLLBACK'), 150);
    try {
      await db.run("UPDATE jobs SET owner = 'late' WHERE id = 1");
    } finally {
      clearInterval(ticker);
    }
    expect(ticks).toBeGreaterThanOrEqual(5);
    expect(await db.get('SELECT owner FROM jobs WHERE id = 1')).toEqual({ owner: 'late' });
  });

  it('gives up with SQLITE_BUSY once the busy timeout has passed, and reads still answer meanwhile', async () => {
    holdWriteLock();
    const write = db.run("UPDATE jobs SET owner = 'never' WHERE id = 1");
    expect(await db.get('SELECT COUNT(*) AS n FROM jobs')).toEqual({ n: 2 });
    await expect(write).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    other!.exec('ROLLBACK');
    // The failed write left nothing open: the next one goes through.
    await db.run("UPDATE jobs SET owner = 'after' WHERE id = 1");
    expect(await db.get('SELECT owner FROM jobs WHERE id = 1')).toEqual({ owner: 'after' });
  });
});
