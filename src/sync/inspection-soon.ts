import type { Queryable } from '../db/db.ts';
import { wallTime } from '../lib/wall-time.ts';
import { INSPECTION_SOON_MS } from './slots.ts';

/**
 * Whether the permit has an inspection scheduled between today and INSPECTION_SOON_MS from now,
 * as calendar dates in the jurisdiction's time zone (portals give inspection dates without a
 * time). Read from the inspections projection as of the check just made.
 */
export async function hasInspectionSoon(db: Queryable, stream: string, nowMs: number, timeZone: string): Promise<boolean> {
  const today = wallTime(new Date(nowMs), timeZone).date;
  const horizon = wallTime(new Date(nowMs + INSPECTION_SOON_MS), timeZone).date;
  const row = await db.get(`SELECT 1 FROM inspections WHERE stream = ? AND status = 'scheduled' AND date >= ? AND date <= ? LIMIT 1`, [
    stream,
    today,
    horizon,
  ]);
  return row !== undefined;
}
