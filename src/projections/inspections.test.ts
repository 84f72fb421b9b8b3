import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchings, handleBatches, observations, rowsOf, specDatabase } from '../testing/projection-spec.ts';
import type { Db } from '../db/db.ts';
import type { Inspection } from '../permits/record.ts';
import { testRecord } from '../testing/test-record.ts';
import { inspectionsProjection, readInspections } from './inspections.ts';

let db: Db;
beforeEach(async () => {
  db = await specDatabase();
});
afterEach(() => db.close());

const A = 'permit/ladbs/16041-10000-00001';
const B = 'permit/ladbs/16041-10000-00002';
const foundation: Inspection = { type: 'Foundation', date: '2026-02-01', result: 'Approved', inspector: 'A. GARCIA', status: 'completed' };
const framing: Inspection = { type: 'Framing', date: '2026-02-03', result: null, inspector: null, status: 'scheduled' };
const framingFailed: Inspection = { ...framing, result: 'Not Approved', inspector: 'B. LEE', status: 'completed' };
const a = (inspections: Inspection[]) => testRecord({ permit_number: '16041-10000-00001', inspections });
const b = (inspections: Inspection[]) => testRecord({ permit_number: '16041-10000-00002', inspections });
const row = (stream: string, seq: number, i: Inspection, outcome: string | null) => ({ stream, seq, ...i, outcome });

describe('inspections projection', () => {
  // Given: A with none, then a passed foundation and a scheduled framing, then framing failed;
  // B with a foundation that the portal later stops listing.
  const events = observations(a([]), b([foundation]), a([foundation, framing]), a([foundation, framingFailed]), b([]));

  it.each(batchings(events))('given events handed as %s, holds each permit’s latest set with outcomes', async (_, batches) => {
    await handleBatches(db, inspectionsProjection, batches);
    expect(await rowsOf(db, 'inspections', 'stream, seq')).toEqual([row(A, 0, foundation, 'pass'), row(A, 1, framingFailed, 'fail')]);
  });

  it('leaves a set that did not change as it was, and writes nothing for a permit that never had one', async () => {
    await handleBatches(db, inspectionsProjection, [observations(a([]), a([foundation]))]);
    // A row the projection would rewrite if it touched an unchanged set.
    await db.run("UPDATE inspections SET inspector = 'kept'");
    const again = observations(a([]), a([foundation]), a([foundation]));
    await handleBatches(db, inspectionsProjection, [again.slice(2)]);
    expect(await rowsOf(db, 'inspections', 'stream, seq')).toEqual([row(A, 0, { ...foundation, inspector: 'kept' }, 'pass')]);
  });

  it('reads the pass rate over completed inspections, pending ones apart', async () => {
    await handleBatches(db, inspectionsProjection, [observations(a([foundation, framingFailed, { ...framing, type: 'Final' }]))]);
    expect(await readInspections(db, A)).toEqual({
      inspections: [
        { type: 'Foundation', date: '2026-02-01', result: 'Approved', inspector: 'A. GARCIA' },
        { type: 'Framing', date: '2026-02-03', result: 'Not Approved', inspector: 'B. LEE' },
      ],
      pending: [{ type: 'Final', date: '2026-02-03', status: 'scheduled', inspector: null }],
      pass_rate: 0.5,
      completed_count: 2,
      passed_count: 1,
    });
  });
});
