import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchings, handleBatches, observations, observedAt, rowsOf, specDatabase } from '../testing/projection-spec.ts';
import type { Db } from '../db/db.ts';
import { testRecord } from '../testing/test-record.ts';
import { readTimeline, timelineProjection } from './timeline.ts';

let db: Db;
beforeEach(async () => {
  db = await specDatabase();
});
afterEach(() => db.close());

const A = 'permit/ladbs/16041-10000-00001';
const B = 'permit/ladbs/16041-10000-00002';
const submitted = { status: 'Submitted', date: '2026-01-02' };
const corrections = { status: 'Corrections Issued', date: '2026-01-20' };
const issued = { status: 'Issued', date: '2026-03-01' };
const a = (portal_status: string, portal_history: { status: string; date: string | null }[]) =>
  testRecord({ permit_number: '16041-10000-00001', portal_status, status: portal_status, portal_history });

// Given: permit A submitted; B first seen issued; A gets corrections (listed twice by the portal,
// with an undated entry); the portal drops the corrections entry, then lists it again beside the issue.
const events = observations(
  a('Submitted', [submitted]),
  testRecord({ permit_number: '16041-10000-00002', portal_history: [issued] }),
  a('Corrections Issued', [submitted, corrections, corrections, { status: 'Plan Check', date: null }]),
  a('Corrections Issued', [submitted]),
  a('Issued', [submitted, corrections, issued]),
);
const row = (
  stream: string,
  position: number,
  seq: number,
  source: string,
  status: string,
  portal_status: string,
  changed_at: string,
  change_kind: string | null,
) => ({
  stream,
  position,
  seq,
  source,
  status,
  portal_status,
  changed_at,
  change_kind,
});

describe('timeline projection', () => {
  it.each(batchings(events))(
    'given a history handed as %s, keeps each portal entry once, the first time it was listed',
    async (_, batches) => {
      await handleBatches(db, timelineProjection, batches);
      expect(await rowsOf(db, 'timeline', 'stream, position, seq')).toEqual([
        row(A, 1, 0, 'portal', 'Submitted', 'Submitted', '2026-01-02', null),
        row(A, 1, 1, 'sync_log', 'Submitted', 'Submitted', observedAt(0), 'permit_created'),
        // Listed twice in one observation, kept once; the undated entry has no place in time.
        row(A, 3, 0, 'portal', 'Corrections Issued', 'Corrections Issued', '2026-01-20', null),
        row(A, 3, 2, 'sync_log', 'Corrections Issued', 'Corrections Issued', observedAt(2), 'status_change'),
        // Position 4 lists nothing new and changes no status. Position 5 lists the corrections
        // entry again (already kept at position 3, so seq 0 is dropped) and the issue.
        row(A, 5, 1, 'portal', 'Issued', 'Issued', '2026-03-01', null),
        row(A, 5, 2, 'sync_log', 'Issued', 'Issued', observedAt(4), 'status_change'),
        row(B, 2, 0, 'portal', 'Issued', 'Issued', '2026-03-01', null),
        row(B, 2, 1, 'sync_log', 'Issued on 7/6/2016', 'Issued on 7/6/2016', observedAt(1), 'permit_created'),
      ]);
    },
  );

  it('reads one permit in time order, date-only portal entries before timestamps of the same day', async () => {
    await handleBatches(db, timelineProjection, [events]);
    expect((await readTimeline(db, A)).map((e) => [e.source, e.status, e.changed_at])).toEqual([
      ['portal', 'Submitted', '2026-01-02'],
      ['portal', 'Corrections Issued', '2026-01-20'],
      ['portal', 'Issued', '2026-03-01'],
      ['sync_log', 'Submitted', observedAt(0)],
      ['sync_log', 'Corrections Issued', observedAt(2)],
      ['sync_log', 'Issued', observedAt(4)],
    ]);
  });

  it('fails loudly when an event is handed twice, instead of dropping its rows', async () => {
    await handleBatches(db, timelineProjection, [events.slice(0, 1)]);
    await expect(handleBatches(db, timelineProjection, [events.slice(0, 1)])).rejects.toThrow(/UNIQUE|PRIMARY KEY/);
  });
});
