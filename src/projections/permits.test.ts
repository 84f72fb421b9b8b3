import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchings, handleBatches, observations, observedAt, rowsOf, specDatabase } from '../testing/projection-spec.ts';
import type { Db } from '../db/db.ts';
import { testRecord } from '../testing/test-record.ts';
import { getPermitRecord, knownJurisdictions, permitsProjection } from './permits.ts';

let db: Db;
beforeEach(async () => {
  db = await specDatabase();
});
afterEach(() => db.close());

const applied = testRecord({
  permit_number: '16041-10000-00001',
  portal_status: 'Submitted',
  status: 'Submitted',
  status_phase: 'applied',
  address: { street: '100 N MAIN ST', city: 'LOS ANGELES', state: 'CA', zip: '90012' },
  dates: { applied: '2026-01-02', issued: null },
});
const issued = {
  ...applied,
  portal_status: 'Issued on 3/1/2026',
  status: 'Issued',
  status_phase: 'issued' as const,
  dates: { ...applied.dates, issued: '2026-03-01' },
};
const other = testRecord({ permit_number: '16041-10000-00002' });

describe('permits projection', () => {
  // Given: permit 1 applied, permit 2 seen once, permit 1 issued.
  const events = observations(applied, other, issued);

  it.each(batchings(events))(
    'given events handed as %s, holds one row per permit: first sighting kept, the rest the latest',
    async (_, batches) => {
      await handleBatches(db, permitsProjection, batches);
      const rows = await rowsOf(db, 'permits', 'stream');
      expect(rows.map(({ record, ...columns }) => ({ ...columns, record: JSON.parse(record as string) }))).toEqual([
        {
          stream: 'permit/ladbs/16041-10000-00001',
          jurisdiction: 'ladbs',
          permit_number: '16041-10000-00001',
          version: 2,
          position: 3,
          status: 'Issued',
          portal_status: 'Issued on 3/1/2026',
          status_phase: 'issued',
          permit_type: 'Electrical',
          category: 'electrical',
          address_line: '100 N MAIN ST LOS ANGELES CA 90012',
          city: 'LOS ANGELES',
          state: 'CA',
          zip: '90012',
          work_description: '200A UPGRADE.',
          applied_date: '2026-01-02',
          issued_date: '2026-03-01',
          finaled_date: null,
          first_seen_at: observedAt(0),
          last_changed_at: observedAt(2),
          source_url: 'https://portal.invalid/2',
          record: issued,
        },
        expect.objectContaining({
          stream: 'permit/ladbs/16041-10000-00002',
          version: 1,
          position: 2,
          first_seen_at: observedAt(1),
          last_changed_at: observedAt(1),
        }),
      ]);
    },
  );

  it('answers the queries the API reads', async () => {
    await handleBatches(db, permitsProjection, [events]);
    expect(await getPermitRecord(db, 'permit/ladbs/16041-10000-00001')).toEqual(issued);
    expect(await getPermitRecord(db, 'permit/ladbs/none')).toBeUndefined();
    expect(await knownJurisdictions(db, '16041-10000-00002')).toEqual(['ladbs']);
  });
});
