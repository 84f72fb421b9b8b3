import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchings, handleBatches, observations, observedAt, rowsOf } from '../testing/projection-spec.ts';
import { openDatabase } from '../app.ts';
import type { Db } from '../db/db.ts';
import { observe } from '../ingest/observe.ts';
import { testRecord } from '../testing/test-record.ts';
import { PROJECTIONS } from './all.ts';
import { createProjector } from './projector.ts';
import { MIN_MEDIAN_SAMPLE, processingDays, readAnalytics, readStats, statsProjection } from './stats.ts';

let db: Db;
beforeEach(async () => {
  db = await openDatabase('file::memory:');
});
afterEach(() => db.close());

const meta = { adapter: 'ladbs', adapter_version: '1', request_id: null, fetch_ms: null };
async function given(records: ReturnType<typeof testRecord>[]) {
  const projector = createProjector(PROJECTIONS);
  for (const [i, record] of records.entries()) {
    await observe(db, projector, {
      record,
      source: 'portal',
      source_url: 'u',
      meta,
      observedAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
    });
  }
}
const permit = (n: number, applied: string | null, issued: string | null, type = 'Electrical') =>
  testRecord({ permit_number: `10000-10000-${String(n).padStart(5, '0')}`, permit_type: type, dates: { applied, issued } });

describe('processingDays', () => {
  it.each([
    ['2026-01-05', '2026-03-10', 64],
    ['2026-03-10', '2026-03-10', 0],
    ['2026-03-10', '2026-01-05', null],
    [null, '2026-01-05', null],
    ['2000-01-01', '2026-01-01', null],
  ])('%s → %s = %s', (a, i, d) => expect(processingDays(a, i)).toBe(d));
});

describe('stats projection', () => {
  // Given: permit 1 applied, permit 2 seen with an implausible interval, permit 1 issued 64 days later.
  const events = observations(
    permit(1, '2026-01-05', null),
    permit(2, '2000-01-01', '2026-01-01', 'Plumbing'),
    testRecord({ ...permit(1, '2026-01-05', '2026-03-10'), status_phase: 'inspections', permit_type: 'Electrical-Solar' }),
  );

  it.each(batchings(events))('given events handed as %s, holds one row per permit with its applied→issued days', async (_, batches) => {
    await handleBatches(db, statsProjection, batches);
    expect(await rowsOf(db, 'permit_stats', 'stream')).toEqual([
      {
        stream: 'permit/ladbs/10000-10000-00001',
        jurisdiction: 'ladbs',
        permit_type: 'Electrical-Solar',
        status_phase: 'inspections',
        applied_date: '2026-01-05',
        issued_date: '2026-03-10',
        processing_days: 64,
        first_seen_at: observedAt(0),
      },
      {
        stream: 'permit/ladbs/10000-10000-00002',
        jurisdiction: 'ladbs',
        permit_type: 'Plumbing',
        status_phase: 'issued',
        applied_date: '2000-01-01',
        issued_date: '2026-01-01',
        processing_days: null,
        first_seen_at: observedAt(1),
      },
    ]);
  });
});

describe('jurisdiction analytics', () => {
  it('reports a null median below the minimum sample', async () => {
    await given([permit(1, '2026-01-01', '2026-01-11'), permit(2, '2026-01-01', null)]);
    const a = await readAnalytics(db, 'ladbs');
    expect(a).toMatchObject({ median_processing_days: null, sample_size: 1, permit_count: 2 });
    expect(MIN_MEDIAN_SAMPLE).toBeGreaterThan(1);
  });

  it('gives the median of applied→issued days, counts by type, and the date range', async () => {
    const days = [10, 40, 20, 30, 50, 60];
    await given([
      ...days.map((d, i) =>
        permit(i, '2026-01-01', new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10), i < 4 ? 'Electrical' : 'Bldg-Addition'),
      ),
      permit(99, '2025-12-01', null, 'Plumbing'),
    ]);
    const a = await readAnalytics(db, 'ladbs');
    expect(a).toEqual({
      median_processing_days: 35,
      sample_size: 6,
      permit_count: 7,
      permits_by_type: { Electrical: 4, 'Bldg-Addition': 2, Plumbing: 1 },
      date_range: { earliest: '2025-12-01', latest: '2026-03-02' },
    });
    // A later observation that issues the plumbing permit updates the row, not a new one.
    await given([permit(99, '2025-12-01', '2026-01-01', 'Plumbing')]);
    expect(await readAnalytics(db, 'ladbs')).toMatchObject({ sample_size: 7, median_processing_days: 31, permit_count: 7 });
    expect((await readStats(db, 'ladbs')).permit_count).toBe(7);
  });
});
