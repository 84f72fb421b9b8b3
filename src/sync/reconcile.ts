import type { Db } from '../db/db.ts';
import { deleteWhereIn, insertRows } from '../db/batch-statement.ts';
import { nextSlot } from './slots.ts';
import { unscheduledWatches, unwatchedSchedules } from './watched.ts';

const insertSchedules = insertRows(
  'sync_schedule',
  ['stream', 'jurisdiction', 'permit_number', 'due_at'],
  ' ON CONFLICT(stream) DO NOTHING',
);
const deleteSchedules = deleteWhereIn('sync_schedule', 'stream');

export interface ReconcileResult {
  added: number;
  removed: number;
}

/**
 * Brings the schedule in line with the watchlist: a newly watched permit is due at its next slot
 * on its spread grid (the watch itself just looked it up), a permit nobody watches is dropped,
 * lease or not (its holder's completion then updates nothing). The differences are read on the
 * reader, and the write transaction runs only when there are some: every process reconciles
 * often, and an unchanged watchlist costs two index scans. Idempotent, so processes may race.
 */
export async function reconcileSchedule(db: Db, nowMs: number, intervalMs: number): Promise<ReconcileResult> {
  const added = await unscheduledWatches(db);
  const removed = await unwatchedSchedules(db);
  if (added.length === 0 && removed.length === 0) return { added: 0, removed: 0 };
  await db.transaction(async (tx) => {
    await insertSchedules(
      tx,
      added.map((w) => [w.stream, w.jurisdiction, w.permit_number, nextSlot(w.stream, nowMs, intervalMs)]),
    );
    await deleteSchedules(
      tx,
      removed.map((stream) => [stream]),
    );
  });
  return { added: added.length, removed: removed.length };
}
