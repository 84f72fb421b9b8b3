import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.ts';
import { WATCH_ADDED, WATCH_REMOVED, WATCH_UPDATED, type WatchFacts } from '../events/watch.ts';
import { batchings, handleBatches, observations, rowsOf, specDatabase } from '../testing/projection-spec.ts';
import { testRecord } from '../testing/test-record.ts';
import type { ProjectedEvent } from './projection.ts';
import { listWatches, ownedWatch, watchlistProjection, watchOf } from './watchlist.ts';

let db: Db;
beforeEach(async () => {
  db = await specDatabase();
});
afterEach(() => db.close());

const at = (day: number) => new Date(Date.UTC(2026, 10, day, 8)).toISOString();
const A = { stream: 'permit/ladbs/16041-10000-00001', jurisdiction: 'ladbs', permit_number: '16041-10000-00001' };
const B = { stream: 'permit/ladbs/16041-10000-00002', jurisdiction: 'ladbs', permit_number: '16041-10000-00002' };

/** Given: watch events at positions after the permit observations, versions counted per watch. */
function watchEvents(...facts: { id: string; type: WatchFacts['type']; data: WatchFacts['data'] }[]): ProjectedEvent[] {
  const versions = new Map<string, number>();
  return facts.map(({ id, ...f }, i) => {
    const version = (versions.get(id) ?? 0) + 1;
    versions.set(id, version);
    return { event: { ...f, position: 100 + i, stream: `watch/${id}`, version } as WatchFacts, prev: null, changes: [] };
  });
}

const added = (id: string, key: string, permit: typeof A, label: string | null, day: number) => ({
  id,
  type: WATCH_ADDED as WatchFacts['type'],
  data: { watch_id: id, key_id: key, ...permit, label, note: null, at: at(day) },
});

// Given: key 1 watches A and B, relabels A, removes B and watches it again; key 2 watches A; a
// permit observation in between (not the watchlist's business).
const events: ProjectedEvent[] = [
  ...observations(testRecord({ permit_number: A.permit_number })),
  ...watchEvents(
    added('wat_b1', 'key_1', B, 'garage', 1),
    added('wat_a1', 'key_1', A, 'kitchen', 2),
    added('wat_a2', 'key_2', A, null, 3),
    { id: 'wat_a1', type: WATCH_UPDATED as WatchFacts['type'], data: { label: 'kitchen remodel', note: 'call Friday', at: at(4) } },
    { id: 'wat_b1', type: WATCH_REMOVED as WatchFacts['type'], data: { watch_id: 'wat_b1', key_id: 'key_1', ...B, at: at(5) } },
    added('wat_b0', 'key_1', B, 'garage again', 6),
  ),
];

const row = (id: string, key: string, permit: typeof A, label: string | null, note: string | null, created: number, updated: number) => ({
  id,
  key_id: key,
  ...permit,
  label,
  note,
  created_at: at(created),
  updated_at: at(updated),
});

describe('watchlist projection', () => {
  it.each(batchings(events))('given watches handed as %s, keeps one row per live watch, in id order', async (_, batches) => {
    await handleBatches(db, watchlistProjection, batches);
    expect(await rowsOf(db, 'watchlist', 'id')).toEqual([
      row('wat_a1', 'key_1', A, 'kitchen remodel', 'call Friday', 2, 4),
      row('wat_a2', 'key_2', A, null, null, 3, 3),
      row('wat_b0', 'key_1', B, 'garage again', null, 6, 6),
    ]);
  });

  it("answers a key's own watches only, by id, by permit and paged by id", async () => {
    await handleBatches(db, watchlistProjection, [events]);
    expect((await ownedWatch(db, 'key_1', 'wat_a1'))?.label).toBe('kitchen remodel');
    expect(await ownedWatch(db, 'key_2', 'wat_a1')).toBeUndefined();
    expect((await watchOf(db, 'key_2', A.stream))?.id).toBe('wat_a2');
    expect(await watchOf(db, 'key_2', B.stream)).toBeUndefined();
    expect((await listWatches(db, 'key_1', '', 1)).map((w) => w.id)).toEqual(['wat_a1']);
    expect((await listWatches(db, 'key_1', 'wat_a1', 10)).map((w) => w.id)).toEqual(['wat_b0']);
  });
});
