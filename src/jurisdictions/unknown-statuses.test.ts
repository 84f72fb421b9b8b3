import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../app.ts';
import type { Db } from '../db/db.ts';
import { observe } from '../ingest/observe.ts';
import { PROJECTIONS } from '../projections/all.ts';
import { createProjector } from '../projections/projector.ts';
import { testRecord } from '../testing/test-record.ts';
import { UNKNOWN_STATUS_TOP, unknownStatusReports } from './unknown-statuses.ts';

let db: Db;
beforeEach(async () => {
  db = await openDatabase('file::memory:');
});
afterEach(() => db.close());

const meta = { adapter: 'test', adapter_version: '1', request_id: null, fetch_ms: null };
let n = 0;
async function given(jurisdiction: string, portal_status: string | null, status_phase: 'unknown' | 'issued' = 'unknown') {
  const record = testRecord({ jurisdiction, permit_number: `10000-10000-${String(++n).padStart(5, '0')}`, portal_status, status: portal_status, status_phase });
  await observe(db, createProjector(PROJECTIONS), { record, source: 'portal', source_url: 'u', meta, observedAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString() });
}

describe('unknownStatusReports', () => {
  it('counts unknown-phase permits per jurisdiction, raw statuses most first, ties by string, none for mapped ones', async () => {
    for (const s of ['On Hold', 'Zz', 'On Hold', null, 'Aa']) await given('ladbs', s);
    await given('ladbs', 'Issued', 'issued');
    await given('socrata:sf', 'suspended pending');
    const reports = await unknownStatusReports(db);
    expect(reports.get('ladbs')).toEqual({
      permits: 5,
      top: [
        { status: 'On Hold', permits: 2 },
        { status: null, permits: 1 },
        { status: 'Aa', permits: 1 },
        { status: 'Zz', permits: 1 },
      ],
    });
    expect((await unknownStatusReports(db, 'socrata:sf')).get('socrata:sf')).toEqual({ permits: 1, top: [{ status: 'suspended pending', permits: 1 }] });
    expect((await unknownStatusReports(db, 'socrata:sf')).has('ladbs')).toBe(false);
  });

  it(`names at most ${UNKNOWN_STATUS_TOP} statuses, but counts every permit`, async () => {
    for (let i = 0; i < UNKNOWN_STATUS_TOP + 3; i++) await given('ladbs', `Status ${String(i).padStart(2, '0')}`);
    const report = (await unknownStatusReports(db)).get('ladbs');
    expect(report?.permits).toBe(UNKNOWN_STATUS_TOP + 3);
    expect(report?.top).toHaveLength(UNKNOWN_STATUS_TOP);
  });
});
