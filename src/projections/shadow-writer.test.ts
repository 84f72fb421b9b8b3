import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../app.ts';
import type { Db } from '../db/db.ts';
import { openTempDatabase, type TempDatabase } from '../../test/temp-database.ts';
import { openShadowWriter, SHADOW_BATCHES_IN_FLIGHT } from './shadow-writer.ts';

let temp: TempDatabase | undefined;
let memory: Db | undefined;
afterEach(async () => {
  await temp?.close();
  await memory?.close();
  temp = memory = undefined;
});

const insert = (from: number, count: number) => ({
  sql: `INSERT INTO rebuild__t VALUES ${Array.from({ length: count }, () => '(?, ?)').join(', ')}`,
  params: Array.from({ length: count }, (_, i) => [from + i, `row ${from + i}`]).flat(),
});

async function writeBatches(db: Db): Promise<void> {
  await db.exec('CREATE TABLE rebuild__t (n INTEGER PRIMARY KEY, label TEXT NOT NULL)');
  const writer = await openShadowWriter(db);
  // More batches than may be in flight, so the writer has to wait for its worker.
  for (let b = 0; b < SHADOW_BATCHES_IN_FLIGHT * 3; b++) {
    await writer.write([insert(b * 100, 60), insert(b * 100 + 60, 40)]);
    if (b % 4 === 3) await writer.commit();
  }
  // The batches since the last commit land with finish.
  await writer.finish();
}

describe('shadow writer', () => {
  it('commits every batch from its worker, visible to the database that opened it', async () => {
    temp = await openTempDatabase('shadow');
    expect(temp.db.file).toBeDefined();
    await writeBatches(temp.db);
    const rows = await temp.db.all<{ n: number; label: string }>('SELECT n, label FROM rebuild__t ORDER BY n');
    expect(rows).toHaveLength(SHADOW_BATCHES_IN_FLIGHT * 3 * 100);
    expect(rows[250]).toEqual({ n: 250, label: 'row 250' });
  });

  it('leaves batches written after the last commit out when aborted', async () => {
    temp = await openTempDatabase('shadow');
    await temp.db.exec('CREATE TABLE rebuild__t (n INTEGER PRIMARY KEY, label TEXT NOT NULL)');
    const writer = await openShadowWriter(temp.db);
    await writer.write([insert(0, 10)]);
    await writer.commit();
    // Enough writes behind the commit that the writer has waited for it to land.
    for (let b = 0; b < SHADOW_BATCHES_IN_FLIGHT; b++) await writer.write([insert(10 + b * 10, 10)]);
    await writer.abort();
    expect(await temp.db.get('SELECT COUNT(*) AS n, MAX(n) AS top FROM rebuild__t')).toEqual({ n: 10, top: 9 });
  });

  it('writes an in-memory database in this thread, with the same result', async () => {
    memory = await openDatabase(':memory:');
    expect(memory.file).toBeUndefined();
    await writeBatches(memory);
    expect(await memory.get('SELECT COUNT(*) AS n, MAX(n) AS top FROM rebuild__t')).toEqual({ n: SHADOW_BATCHES_IN_FLIGHT * 300, top: SHADOW_BATCHES_IN_FLIGHT * 300 - 1 });
  });

  it('reports a batch the worker could not write, and refuses further batches', async () => {
    temp = await openTempDatabase('shadow');
    await temp.db.exec('CREATE TABLE rebuild__t (n INTEGER PRIMARY KEY, label TEXT NOT NULL)');
    const writer = await openShadowWriter(temp.db);
    await writer.write([insert(0, 10)]);
    await writer.commit();
    await writer.write([insert(20, 10)]); // uncommitted when the next batch fails: rolled back with it
    await writer.write([insert(5, 10)]); // rows 5-9 again: the primary key refuses the batch
    let failure: unknown;
    try {
      for (let b = 0; b < SHADOW_BATCHES_IN_FLIGHT + 1; b++) await writer.write([insert(100 + b * 10, 10)]);
      await writer.finish();
    } catch (err) {
      failure = err;
    }
    expect(String(failure)).toMatch(/could not write its shadow tables: .*UNIQUE/);
    await expect(writer.write([insert(500, 1)])).rejects.toThrow();
    await writer.abort();
    // The failed batch's transaction rolled back: none of its rows, nor those written since the
    // last commit, nor any batch after it, landed.
    expect(await temp.db.get('SELECT COUNT(*) AS n, MAX(n) AS top FROM rebuild__t')).toEqual({ n: 10, top: 9 });
  });
});
