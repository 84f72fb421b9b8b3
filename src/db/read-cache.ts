import { LRUCache } from 'lru-cache';
import { systemClock, type Clock } from '../lib/clock.ts';

/**
 * How stale a read cache may be about another connection's commits (the CLI revoking a key, a
 * second server on the same file): asking SQLite costs a read lock, so it is asked at most this
 * often rather than on every cached read. This process's own writes invalidate their entries at
 * once, named by the write path.
 */
export const EXTERNAL_CHANGE_CHECK_MS = 100;

export interface ReadCache<V> {
  /** The cached value for `key` until a write names it stale; otherwise `load()`'s. */
  get(key: string, load: () => Promise<V>): Promise<V>;
}

export interface ReadCacheOptions<V> {
  /** Entries kept; past it the least recently used goes. */
  max: number;
  /** Values it refuses are returned but not kept (unknown API keys: a flood must not push out real ones). */
  keep?: (value: V) => boolean;
}

/** The read caches of one database handle, and the write paths' way to tell them what changed. */
export interface ReadCaches {
  /**
   * A read-through cache whose keys are `topic`'s (a permit's stream, a key's hash). Values are
   * shared between callers and must not be mutated.
   */
  create<V>(topic: string, options: ReadCacheOptions<V>): ReadCache<V>;
  /**
   * Called by a write path once its transaction has committed, never inside it: `keys` of
   * `topic` may have changed. (Inside it, a reader could reload the old committed value and keep it.)
   */
  invalidate(topic: string, keys: Iterable<string>): void;
  /** Everything may have changed (a rebuild swapped the read models in). */
  clear(): void;
}

/** What a database can tell about other connections' commits (SQLite's `PRAGMA data_version`). */
export interface ExternalChanges {
  /** A number that moves whenever another connection has committed. */
  version(): number;
  clock?: Clock;
  checkMs?: number;
}

const passThrough: ReadCaches = {
  create: () => ({ get: (_key, load) => load() }),
  invalidate() {},
  clear() {},
};

/**
 * Read caches for a database (Db.caches): a cached status lookup or key check answers from memory
 * without SQLite's per-statement read lock, which costs more than the rest of the lookup. This
 * process's writes invalidate the entries they name; a commit by any other connection clears
 * every entry, noticed within EXTERNAL_CHANGE_CHECK_MS. Without `external` (a remote database that
 * other API nodes write; `:memory:`, whose one connection reads uncommitted writes) nothing is
 * kept and every get loads.
 */
export function createReadCaches(external?: ExternalChanges): ReadCaches {
  if (!external) return passThrough;
  const clock = external.clock ?? systemClock;
  const checkMs = external.checkMs ?? EXTERNAL_CHANGE_CHECK_MS;
  const caches: { topic: string; drop(keys: Iterable<string>): void; clear(): void }[] = [];
  let lastVersion = external.version();
  let checkedAt = clock.now();

  function clearAll() {
    for (const c of caches) c.clear();
  }

  function noticeExternalCommits() {
    const now = clock.now();
    // A clock that stepped back checks at once rather than not until it catches up.
    if (now - checkedAt < checkMs && now >= checkedAt) return;
    checkedAt = now;
    const version = external!.version();
    if (version === lastVersion) return;
    lastVersion = version;
    clearAll();
  }

  return {
    create<V>(topic: string, options: ReadCacheOptions<V>): ReadCache<V> {
      // Boxed: lru-cache keeps no undefined values, and "no such permit" is worth keeping too.
      const entries = new LRUCache<string, { value: V }>({ max: options.max });
      // A load in flight per key: an invalidation meanwhile removes it, and its result is then
      // returned but not kept (it may have read the value the write just replaced).
      const loading = new Map<string, object>();
      caches.push({
        topic,
        drop(keys) {
          for (const k of keys) {
            entries.delete(k);
            loading.delete(k);
          }
        },
        clear() {
          entries.clear();
          loading.clear();
        },
      });
      return {
        async get(key, load) {
          noticeExternalCommits();
          const hit = entries.get(key);
          if (hit) return hit.value;
          const token = {};
          loading.set(key, token);
          let value: V;
          try {
            value = await load();
          } catch (err) {
            if (loading.get(key) === token) loading.delete(key);
            throw err;
          }
          if (loading.get(key) !== token) return value;
          loading.delete(key);
          if (!options.keep || options.keep(value)) entries.set(key, { value });
          return value;
        },
      };
    },
    invalidate(topic, keys) {
      const list = [...keys];
      for (const c of caches) if (c.topic === topic) c.drop(list);
    },
    clear: clearAll,
  };
}
