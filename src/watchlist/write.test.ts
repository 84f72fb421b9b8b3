import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.ts';
import { PROJECTIONS } from '../projections/all.ts';
import { createProjector } from '../projections/projector.ts';
import { specDatabase } from '../testing/projection-spec.ts';
import { readStream } from '../store/read.ts';
import { createWatchWriter } from './write.ts';

let db: Db;
beforeEach(async () => {
  db = await specDatabase();
});
afterEach(() => db.close());

const meta = { request_id: 'req-1' };
const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 8, minute)).toISOString();
const permit = (n: number) => ({
  stream: `permit/ladbs/16041-10000-0000${n}`,
  jurisdiction: 'ladbs',
  permitNumber: `16041-10000-0000${n}`,
});
const seen = () => db.all('SELECT stream, key_id, via FROM subscriber_permits ORDER BY stream, key_id');
const watchlist = () => db.all('SELECT * FROM watchlist ORDER BY id');

describe('watch writer', () => {
  it('appends one event per change to the watch stream and keeps the watchlist and visibility in step', async () => {
    const writer = createWatchWriter(db, createProjector(PROJECTIONS));
    const first = await writer.add({ keyId: 'key_1', ...permit(1) }, { label: 'kitchen', note: null }, at(0), meta);
    expect(first).toMatchObject({ created: true, watch: { key_id: 'key_1', label: 'kitchen', created_at: at(0) } });
    expect(first.watch.id).toMatch(/^wat_[0-9a-f]{16}$/);

    // Watching twice gives the existing watch and appends nothing.
    const again = await writer.add({ keyId: 'key_1', ...permit(1) }, { label: 'other', note: null }, at(1), meta);
    expect(again).toEqual({ created: false, watch: first.watch });
    // Another key's watch of the same permit is its own.
    const other = await writer.add({ keyId: 'key_2', ...permit(1) }, { label: null, note: null }, at(2), meta);
    expect(other.created && other.watch.id !== first.watch.id).toBe(true);

    expect(await writer.update('key_2', first.watch.id, { label: 'x', note: null }, at(3), meta)).toEqual({
      ok: false,
      reason: 'watch_not_found',
    });
    const updated = await writer.update('key_1', first.watch.id, { note: 'call Friday' }, at(4), meta);
    expect(updated).toMatchObject({ ok: true, watch: { label: 'kitchen', note: 'call Friday', updated_at: at(4), created_at: at(0) } });

    expect(await seen()).toEqual([
      { stream: permit(1).stream, key_id: 'key_1', via: 'watch' },
      { stream: permit(1).stream, key_id: 'key_2', via: 'watch' },
    ]);
    expect(await writer.remove('key_2', first.watch.id, at(5), meta)).toEqual({ ok: false, reason: 'watch_not_found' });
    expect(await writer.remove('key_1', first.watch.id, at(6), meta)).toMatchObject({ ok: true });
    expect(await seen()).toEqual([{ stream: permit(1).stream, key_id: 'key_2', via: 'watch' }]);
    expect((await watchlist()).map((w) => w.id)).toEqual([other.watch.id]);

    const log = await readStream(db, `watch/${first.watch.id}`);
    expect(log.map((e) => [e.type, e.version, e.schema_version])).toEqual([
      ['watch.added', 1, 1],
      ['watch.updated', 2, 1],
      ['watch.removed', 3, 1],
    ]);
    // Re-watching after a removal is a new watch.
    const back = await writer.add({ keyId: 'key_1', ...permit(1) }, { label: null, note: null }, at(7), meta);
    expect(back.created && back.watch.id).not.toBe(first.watch.id);
  });

  it('rebuilds the watchlist byte for byte from the log', async () => {
    const projector = createProjector(PROJECTIONS);
    const writer = createWatchWriter(db, projector);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const { watch } = await writer.add({ keyId: `key_${i % 3}`, ...permit(i % 5) }, { label: `l${i}`, note: null }, at(i), meta);
      ids.push(watch.id);
    }
    for (const [i, id] of ids.entries()) {
      const key = (await db.get<{ key_id: string }>('SELECT key_id FROM watchlist WHERE id = ?', [id]))?.key_id;
      if (!key) continue;
      if (i % 4 === 0) await writer.remove(key, id, at(20 + i), meta);
      else if (i % 4 === 1) await writer.update(key, id, { label: null, note: `n${i}` }, at(20 + i), meta);
    }
    const live = JSON.stringify(await watchlist());
    expect((await watchlist()).length).toBeGreaterThan(3);
    await db.run("UPDATE watchlist SET label = 'tampered'");
    await createProjector(PROJECTIONS).rebuild(db);
    expect(JSON.stringify(await watchlist())).toBe(live);
  });
});
