import { describe, expect, it } from 'vitest';
import { changedFields, type ChangedField } from './changed-fields.ts';
import { testRecord, type TestRecordOverrides } from '../testing/test-record.ts';

const FINAL = { type: 'Final', date: '2018-08-07', result: 'Permit Finaled', inspector: 'ANDREW NAVE', status: 'completed' } as const;

const CASES: [name: string, prev: TestRecordOverrides, next: TestRecordOverrides, expected: ChangedField[]][] = [
  ['identical: nothing', {}, {}, []],
  [
    'top-level scalars, in schema order',
    { portal_status: 'Issued on 7/6/2016', status_phase: 'issued' },
    { status_phase: 'closed', portal_status: 'Permit Finaled on 8/8/2018' },
    [
      { field: 'portal_status', before: 'Issued on 7/6/2016', after: 'Permit Finaled on 8/8/2018' },
      { field: 'status_phase', before: 'issued', after: 'closed' },
    ],
  ],
  ['dates as dotted paths', {}, { dates: { finaled: '2018-08-08' } }, [{ field: 'dates.finaled', before: null, after: '2018-08-08' }]],
  [
    'address as dotted paths',
    {},
    { address: { city: 'LOS ANGELES', zip: '90035' } },
    [
      { field: 'address.city', before: null, after: 'LOS ANGELES' },
      { field: 'address.zip', before: '90034', after: '90035' },
    ],
  ],
  ['arrays whole', { inspections: [] }, { inspections: [FINAL] }, [{ field: 'inspections', before: [], after: [FINAL] }]],
  ['extra whole', {}, { extra: { job_number: 'X16LA10898' } }, [{ field: 'extra', before: {}, after: { job_number: 'X16LA10898' } }]],
  ['null to value', { valuation: null }, { valuation: 0 }, [{ field: 'valuation', before: null, after: 0 }]],
];

describe('changedFields', () => {
  it.each(CASES)('%s', (_name, prev, next, expected) => {
    expect(changedFields(testRecord(prev), testRecord(next))).toEqual(expected);
  });
});

describe('changedFields with the optional trade_valuations (schema v3)', () => {
  it('reports a breakdown appearing as a change from null, and nothing when both lack it', () => {
    const trades = [{ trade: 'electrical', amount: 4200 }];
    expect(changedFields(testRecord(), testRecord({ trade_valuations: trades }))).toEqual([
      { field: 'trade_valuations', before: null, after: trades },
    ]);
    expect(changedFields(testRecord(), testRecord())).toEqual([]);
  });
});
