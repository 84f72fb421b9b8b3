import { LRUCache } from 'lru-cache';
import type { Db, Queryable } from '../db/db.ts';
import { decodeFacts, type LoggedFacts, type PermitObservedFacts } from '../events/decode.ts';
import { PERMIT_OBSERVED } from '../events/permit-observed.ts';
import type { PermitRecord } from '../permits/record.ts';
import { headPosition, readAll, readStreamVersion } from '../store/read.ts';
import { loadCheckpoints, saveCheckpoint, saveCheckpoints } from './checkpoints.ts';
import { ProjectionError, type ProjectedEvent, type Projection, type ReadModel } from './projection.ts';
import { projectEvent } from './project-event.ts';
import { replayIntoShadows } from './replay.ts';

export { ProjectionError };

/** Events read per round trip; large enough to amortise the query, small enough to bound memory. */
export const CATCH_UP_BATCH = 1_000;
/** Previous records kept in memory while replaying, so most diffs need no extra read. */
export const PREV_CACHE_MAX = 50_000;

export interface Projector {
  projections: readonly Projection[];
  /**
   * Hands every event past each projection's checkpoint to its `handle`, in batches of
   * CATCH_UP_BATCH in log order, inside `tx`, and saves the checkpoints there. Returns events read.
   */
  catchUp(tx: Queryable, options?: { maxEvents?: number }): Promise<number>;
  /**
   * catchUp for a writer that has just appended `events`, in this transaction, at the positions
   * right after `head`: when every checkpoint is at `head` and the log's head is the last of
   * them, the events go to the projections as the writer holds them (validated with the schema
   * the log is decoded with), not read back and parsed from the log; otherwise (another writer's
   * events are still to project, or the log numbered them otherwise) this is catchUp.
   */
  catchUpAppended(tx: Queryable, head: number, events: readonly LoggedFacts[]): Promise<number>;
  /**
   * Rebuilds the read models from the log (DESIGN.md §5): replays it into shadow tables and swaps
   * them in atomically; non-replaying projections only move their checkpoint.
   */
  rebuild(db: Db, options?: { only?: string[]; onProgress?: (done: number, total: number) => void }): Promise<number>;
}

export function createProjector(projections: readonly Projection[]): Projector {
  const names = projections.map((p) => p.name);
  // Per stream, its latest applied version's record: keyed by the stream alone, so a lookup and
  // an update cost one map operation each, not a built "stream#version" key. Least recently
  // applied goes first past the bound, not the whole cache: on a long replay clearing everything
  // would turn the next PREV_CACHE_MAX diffs into log reads.
  const prevCache = new LRUCache<string, { version: number; record: PermitRecord }>({ max: PREV_CACHE_MAX });

  async function previousRecord(tx: Queryable, event: PermitObservedFacts): Promise<PermitRecord | null> {
    if (event.version === 1) return null;
    const cached = prevCache.get(event.stream);
    if (cached?.version === event.version - 1) return cached.record;
    const stored = await readStreamVersion(tx, event.stream, event.version - 1);
    if (!stored) throw new ProjectionError(`${event.stream} v${event.version - 1} is missing`, event.position);
    const decoded = decodeFacts(stored);
    if (!decoded.ok) throw new ProjectionError(decoded.message, decoded.position);
    if (decoded.event.type !== PERMIT_OBSERVED) throw new ProjectionError(`${event.stream} mixes event types`, event.position);
    return decoded.event.data.record;
  }

  function remember(event: PermitObservedFacts) {
    prevCache.set(event.stream, { version: event.version, record: event.data.record });
  }

  /** Hands decoded events, in log order, to every projection whose checkpoint is before them. */
  async function project(tx: Queryable, decoded: readonly LoggedFacts[], checkpoints: Map<string, number>, from: number): Promise<void> {
    const events: ProjectedEvent[] = [];
    for (const event of decoded) {
      if (event.type === PERMIT_OBSERVED) {
        const prev = await previousRecord(tx, event);
        events.push(projectEvent(event, prev));
        remember(event);
      } else {
        events.push(projectEvent(event, null));
      }
    }
    for (const projection of projections) {
      const done = checkpoints.get(projection.name) ?? 0;
      // Usually every checkpoint is `from`; one a rebuild moved further skips what it has.
      const pending = done <= from ? events : events.filter((e) => e.event.position > done);
      if (pending.length > 0) await projection.handle(pending, tx);
    }
  }

  async function catchUp(tx: Queryable, options: { maxEvents?: number } = {}): Promise<number> {
    const checkpoints = await loadCheckpoints(tx, names);
    let from = Math.min(...checkpoints.values());
    const max = options.maxEvents ?? Number.POSITIVE_INFINITY;
    let applied = 0;
    while (applied < max) {
      const batch = await readAll(tx, from, Math.min(CATCH_UP_BATCH, max - applied));
      if (batch.length === 0) break;
      const decoded: LoggedFacts[] = [];
      for (const stored of batch) {
        const d = decodeFacts(stored);
        if (!d.ok) throw new ProjectionError(d.message, d.position);
        decoded.push(d.event);
      }
      await project(tx, decoded, checkpoints, from);
      from = batch[batch.length - 1]!.position;
      applied += batch.length;
    }
    if (applied > 0) {
      await saveCheckpoints(
        tx,
        names.filter((name) => (checkpoints.get(name) ?? 0) < from),
        from,
      );
    }
    return applied;
  }

  async function catchUpAppended(tx: Queryable, head: number, events: readonly LoggedFacts[]): Promise<number> {
    if (events.length === 0) return catchUp(tx);
    const inOrder = events.every((e, i) => e.position === head + 1 + i);
    if (!inOrder || (await headPosition(tx)) !== head + events.length) return catchUp(tx);
    const checkpoints = await loadCheckpoints(tx, names);
    if (names.some((name) => (checkpoints.get(name) ?? 0) !== head)) return catchUp(tx);
    await project(tx, events, checkpoints, head);
    await saveCheckpoints(tx, names, events[events.length - 1]!.position);
    return events.length;
  }

  return {
    projections,
    catchUp,
    catchUpAppended,
    async rebuild(db, options = {}) {
      const chosen = projections.filter((p) => !options.only || options.only.includes(p.name));
      const replaying = chosen.filter((p): p is ReadModel => p.rebuild === 'replay');
      const head = await headPosition(db);
      const { replayed, swap, discard } = await replayIntoShadows(db, replaying, head, (n) => options.onProgress?.(n, head));
      try {
        // One transaction: the rebuilt tables replace the live ones, their checkpoints move to
        // the replayed head, and whatever was appended meanwhile is applied on top.
        const caughtUp = await db.transaction(async (tx) => {
          await swap(tx);
          await saveCheckpoints(
            tx,
            replaying.map((p) => p.name),
            head,
          );
          for (const p of chosen) {
            if (p.rebuild === 'replay') continue;
            await saveCheckpoint(tx, p.name, Math.max((await loadCheckpoints(tx, [p.name])).get(p.name) ?? 0, head));
          }
          return catchUp(tx);
        });
        // Every read model was replaced: nothing this handle cached from them still holds.
        db.caches.clear();
        return replayed + caughtUp;
      } catch (err) {
        await discard();
        throw err;
      }
    },
  };
}
