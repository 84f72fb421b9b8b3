import type { Written } from './written-tables.ts';

/**
 * How stale a read cache may be about another process's commits (the CLI revoking a key, a second
 * server on the same file): asking SQLite costs a read lock (~8 µs), so it is asked at most this
 * often rather than on every cached read. This process's own commits are seen at once.
 */
export const EXTERNAL_CHANGE_CHECK_MS = 100;

export interface ChangeStamps {
  /** A statement wrote `tables`: counted at once outside a transaction, at commit inside one. */
  wrote(tables: Written): void;
  begin(): void;
  commit(): void;
  rollback(): void;
  /** Db.stamp: moves when any of `tables` may have changed. */
  stamp(tables: readonly string[]): number;
}

/**
 * The bookkeeping behind Db.stamp for an embedded file: a generation per table this process
 * wrote, bumped only once the write is committed (so a reader filling a cache meanwhile gets the
 * old stamp with the old data), plus one generation for "anything", bumped by DDL and whenever
 * `externalVersion()` (SQLite's `PRAGMA data_version` on the writer, which moves only for other
 * connections' commits) has moved. A stamp is the sum of generations: each only grows, so the
 * sum moves exactly when one of them does.
 */
export function createChangeStamps(deps: { externalVersion: () => number; now: () => number; checkMs?: number }): ChangeStamps {
  const checkMs = deps.checkMs ?? EXTERNAL_CHANGE_CHECK_MS;
  const generations = new Map<string, number>();
  let everything = 0;
  let pending: Set<string> | 'all' | undefined;
  let lastVersion = deps.externalVersion();
  let checkedAt = deps.now();

  const bump = (written: Written) => {
    if (written === 'all') everything++;
    else for (const t of written) generations.set(t, (generations.get(t) ?? 0) + 1);
  };

  return {
    wrote(written) {
      if (pending === undefined) bump(written);
      else if (written === 'all') pending = 'all';
      else if (pending !== 'all') for (const t of written) pending.add(t);
    },
    begin() {
      pending = new Set();
    },
    commit() {
      if (pending !== undefined) bump(pending === 'all' ? 'all' : [...pending]);
      pending = undefined;
    },
    rollback() {
      pending = undefined;
    },
    stamp(tables) {
      const now = deps.now();
      if (now - checkedAt >= checkMs) {
        checkedAt = now;
        const version = deps.externalVersion();
        if (version !== lastVersion) {
          lastVersion = version;
          everything++;
        }
      }
      let stamp = everything;
      for (const t of tables) stamp += generations.get(t) ?? 0;
      return stamp;
    },
  };
}
