import Database from 'libsql';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckpointResult } from './checkpointer.ts';
import type { Db } from './db.ts';
import { openEmbedded } from './embedded.ts';

let dir: string;
let file: string;
let db: Db | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pw-checkpoint-'));
  file = join(dir, 'x.db');
});
afterEach(async () => {
  await db?.close();
  db = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const nextCheckpoint = (results: CheckpointResult[]) =>
  new Promise<CheckpointResult>((resolve) => {
    const seen = results.length;
    const poll = setInterval(() => {
      if (results.length > seen) {
        clearInterval(poll);
        resolve(results[seen]!);
      }
    }, 5);
  });

describe('background checkpoints', () => {
  it('leave the writer without autocheckpoints and copy the WAL into the file on their own thread', async () => {
    const results: CheckpointResult[] = [];
    db = openEmbedded(`file:${file}`, { checkpoints: { intervalMs: 0, onCheckpoint: (r) => results.push(r) } });
    // Each commit asks (interval 0), and the answers come in the order asked.
    let done = nextCheckpoint(results);
    await db.exec('CREATE TABLE t (n INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    await done;
    done = nextCheckpoint(results);
    // 2,000 pages of rows in one commit: twice SQLite's default autocheckpoint size.
    await db.transaction(async (tx) => {
      for (let n = 0; n < 2_000; n++) await tx.run('INSERT INTO t VALUES (?, ?)', [n, 'x'.repeat(4_000)]);
    });
    const first = await done;
    expect(first.busy).toBe(0);
    expect(first.log).toBeGreaterThan(2_000);
    expect(first.checkpointed).toBe(first.log);
    // The next commit asks again: the WAL restarted after the full checkpoint, so it holds only that commit's frames.
    done = nextCheckpoint(results);
    await db.run('INSERT INTO t VALUES (?, ?)', [2_000, 'last']);
    const second = await done;
    expect(second.log).toBeGreaterThan(0);
    expect(second.log).toBeLessThan(first.log);
    expect(second.checkpointed).toBe(second.log);
    expect(await db.get('SELECT count(*) AS n FROM t')).toEqual({ n: 2_001 });
    // Last: reading it on the writer is a transaction, whose commit asks for a checkpoint too.
    expect(await db.transaction((tx) => tx.get('PRAGMA wal_autocheckpoint'))).toEqual({ wal_autocheckpoint: 0 });
  });

  it('asks at most once per interval, and a database closed before the first checkpoints on closing', async () => {
    const results: CheckpointResult[] = [];
    db = openEmbedded(`file:${file}`, { checkpoints: { intervalMs: 60_000, onCheckpoint: (r) => results.push(r) } });
    await db.exec('CREATE TABLE t (n INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    for (let n = 0; n < 20; n++) await db.run('INSERT INTO t VALUES (?, ?)', [n, 'x'.repeat(4_000)]);
    await new Promise((r) => setTimeout(r, 100));
    expect(results).toEqual([]);
    // Nothing checkpointed yet: the rows are only in the WAL, the file holds the schema.
    const before = statSync(file).size;
    expect(before).toBeLessThan(20 * 4_000);
    await db.close();
    db = undefined;
    expect(statSync(file).size).toBeGreaterThan(before + 20 * 4_000);
    const reopened = new Database(file);
    expect(reopened.prepare('SELECT count(*) AS n FROM t').get()).toMatchObject({ n: 20 });
    reopened.close();
  });
});
