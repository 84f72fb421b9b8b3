import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDatabase, type TempDatabase } from '../../test/temp-database.ts';
import { hasInspectionSoon } from './inspection-soon.ts';

const LA = 'America/Los_Angeles';
const STREAM = 'permit/ladbs/26014-10000-00017';
/** 2026-12-07T07:59Z is 23:59 on Sunday 6 December in Los Angeles: "today" there is still the 6th. */
const LATE_SUNDAY = Date.UTC(2026, 11, 7, 7, 59);

let temp: TempDatabase;
beforeEach(async () => {
  temp = await openTempDatabase('inspection-soon');
});
afterEach(() => temp.close());

/** The inspections read model holding one inspection of the permit (the projection's own table). */
const given = (date: string | null, status: 'scheduled' | 'completed' | 'pending') =>
  temp.db.run(`INSERT INTO inspections (stream, seq, type, date, status) VALUES (?, 1, 'Final', ?, ?)`, [STREAM, date, status]);

describe('hasInspectionSoon', () => {
  it.each([
    ['2026-12-06', 'scheduled', true], // today in Los Angeles, though already the 7th in UTC
    ['2026-12-07', 'scheduled', true], // within the next 24 hours
    ['2026-12-08', 'scheduled', false], // beyond a day
    ['2026-12-05', 'scheduled', false], // past: its result is news of the next normal check
    ['2026-12-07', 'completed', false],
    ['2026-12-07', 'pending', false],
    [null, 'scheduled', false],
  ] as const)('an inspection on %s, %s: %s', async (date, status, soon) => {
    await given(date, status);
    expect(await hasInspectionSoon(temp.db, STREAM, LATE_SUNDAY, LA)).toBe(soon);
  });

  it('reads the dates in the jurisdiction’s time zone', async () => {
    await given('2026-12-08', 'scheduled');
    // In UTC it is already the 7th at 07:59, so the 8th is within a day there.
    expect(await hasInspectionSoon(temp.db, STREAM, LATE_SUNDAY, 'UTC')).toBe(true);
    expect(await hasInspectionSoon(temp.db, STREAM, LATE_SUNDAY, LA)).toBe(false);
  });
});
