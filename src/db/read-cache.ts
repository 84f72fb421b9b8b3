import type { Db } from './db.ts';

export interface ReadCache<V> {
  /** The cached value for `key` while the tables it reads are unchanged; otherwise `load()`'s. */
  get(key: string, load: () => Promise<V>): Promise<V>;
}

/**
 * A read-through cache for a hot query, valid while the tables it reads have not changed
 * (Db.stamp): a cached status lookup then answers without touching SQLite, whose per-statement
 * read lock costs more than the rest of the lookup. Bounded: past `max` entries the oldest goes.
 * Values are shared between callers and must not be mutated. On a database that cannot tell
 * what changed (remote), every get loads.
 */
export function createReadCache<V>(
  db: Db,
  tables: readonly string[],
  options: { max: number; keep?: (value: V) => boolean },
): ReadCache<V> {
  const entries = new Map<string, { stamp: number; value: V }>();
  return {
    async get(key, load) {
      if (!db.stamp) return load();
      // The stamp is read before the data, so an entry is never newer-stamped than what it holds.
      const stamp = db.stamp(tables);
      const hit = entries.get(key);
      if (hit && hit.stamp === stamp) return hit.value;
      const value = await load();
      if (options.keep && !options.keep(value)) {
        entries.delete(key);
        return value;
      }
      if (!hit && entries.size >= options.max) entries.delete(entries.keys().next().value!);
      entries.set(key, { stamp, value });
      return value;
    },
  };
}
