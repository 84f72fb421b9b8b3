import { describe, expect, it } from 'vitest';
import { CHANGE_KINDS, diff, type Change } from './diff.ts';
import type { Fee, Inspection } from './record.ts';
import { testRecord, type TestRecordOverrides } from '../testing/test-record.ts';

// Inspection Request History of portal-samples/ladbs/pcis-permit-detail-16041-10000-23545-finaled-with-inspections.html
const FINAL: Inspection = { type: 'Final', date: '2018-08-07', result: 'Permit Finaled', inspector: 'ANDREW NAVE', status: 'completed' };
const POWER: Inspection = {
  type: 'Service/Power Release',
  date: '2018-08-07',
  result: 'Approved',
  inspector: 'ANDREW NAVE',
  status: 'completed',
};
const FINAL_SCHEDULED: Inspection = { type: 'Final', date: '2018-08-07', result: null, inspector: null, status: 'scheduled' };
const FINAL_PENDING: Inspection = { ...FINAL_SCHEDULED, status: 'pending' };
// Chicago's fee columns (portal-samples/socrata/chicago-ydr8-5enu-row-from-go-comment.json).
const BUILDING_FEE: Fee = { description: 'building_fee', amount: 13960.44, paid: true };
const ZONING_FEE: Fee = { description: 'zoning_fee', amount: 75, paid: true };

// LADBS statuses from the captures: 26014-10000-00017's status history and 16041-10000-23545's.
const SUBMITTED: TestRecordOverrides = { portal_status: 'Submitted', status: 'Submitted', status_phase: 'applied' };
const ZONING: TestRecordOverrides = {
  portal_status: 'Assigned to Zoning Architect',
  status: 'Assigned to Zoning Architect',
  status_phase: 'in_review',
};
const PLAN_CHECK: TestRecordOverrides = {
  portal_status: 'Assigned to Plan Check Engineer',
  status: 'Assigned to Plan Check Engineer',
  status_phase: 'in_review',
};
const CORRECTIONS: TestRecordOverrides = { portal_status: 'Corrections Issued', status: 'Corrections Issued', status_phase: 'corrections' };
const ISSUED: TestRecordOverrides = { portal_status: 'Issued on 7/6/2016', status: 'Issued on 7/6/2016', status_phase: 'issued' };
const FINALED: TestRecordOverrides = {
  portal_status: 'Permit Finaled on 8/8/2018',
  status: 'Permit Finaled on 8/8/2018',
  status_phase: 'closed',
};
// Southlake EnerGov statuses (portal-samples/tyler-energov/southlake-css-export-rows-excerpt.json).
const IN_REVIEW: TestRecordOverrides = { portal_status: 'In Review', status: 'In Review', status_phase: 'in_review' };
const WITHDRAWN: TestRecordOverrides = { portal_status: 'Withdrawn', status: 'Withdrawn', status_phase: 'withdrawn' };

function statusChange(from: TestRecordOverrides, to: TestRecordOverrides): Change {
  const [prev, next] = [testRecord(from), testRecord(to)];
  return {
    kind: 'status_change',
    old_status: prev.status,
    new_status: next.status,
    old_portal_status: prev.portal_status,
    new_portal_status: next.portal_status,
    old_phase: prev.status_phase,
    new_phase: next.status_phase,
  };
}

type Case = [name: string, prev: TestRecordOverrides | null, next: TestRecordOverrides, expected: Change[]];

const CASES: Case[] = [
  // first sighting
  [
    'first sighting is only permit_created, even issued with inspections and fees',
    null,
    { ...ISSUED, inspections: [FINAL_SCHEDULED], fees: [BUILDING_FEE] },
    [{ kind: 'permit_created' }],
  ],
  ['identical observation: nothing', ISSUED, ISSUED, []],

  // status and phase
  ['new verbatim status in the same phase: status_change only', ZONING, PLAN_CHECK, [statusChange(ZONING, PLAN_CHECK)]],
  [
    'into corrections',
    PLAN_CHECK,
    CORRECTIONS,
    [statusChange(PLAN_CHECK, CORRECTIONS), { kind: 'corrections_required', portal_status: 'Corrections Issued' }],
  ],
  [
    'corrections answered and issued: approved',
    CORRECTIONS,
    ISSUED,
    [
      statusChange(CORRECTIONS, ISSUED),
      { kind: 'permit_approved', old_phase: 'corrections', new_phase: 'issued', portal_status: 'Issued on 7/6/2016' },
    ],
  ],
  ['issued then finaled: no second approval', ISSUED, FINALED, [statusChange(ISSUED, FINALED)]],
  ['issued then inspections: no second approval', ISSUED, { ...ISSUED, status_phase: 'inspections' }, []],
  [
    'in review straight to finaled (issuance missed between checks): approved',
    PLAN_CHECK,
    FINALED,
    [
      statusChange(PLAN_CHECK, FINALED),
      { kind: 'permit_approved', old_phase: 'in_review', new_phase: 'closed', portal_status: 'Permit Finaled on 8/8/2018' },
    ],
  ],
  [
    'withdrawn: denied',
    IN_REVIEW,
    WITHDRAWN,
    [
      statusChange(IN_REVIEW, WITHDRAWN),
      { kind: 'permit_denied', old_phase: 'in_review', new_phase: 'withdrawn', portal_status: 'Withdrawn' },
    ],
  ],
  ['expired then withdrawn: no second denial', { ...WITHDRAWN, status_phase: 'expired' }, WITHDRAWN, []],
  [
    'issued permit expires: denied',
    ISSUED,
    { ...ISSUED, status_phase: 'expired' },
    [{ kind: 'permit_denied', old_phase: 'issued', new_phase: 'expired', portal_status: 'Issued on 7/6/2016' }],
  ],
  [
    'phase moves without a new verbatim status: phase event, no status_change',
    { ...SUBMITTED, status_phase: 'unknown' },
    { ...SUBMITTED, status_phase: 'approved' },
    [{ kind: 'permit_approved', old_phase: 'unknown', new_phase: 'approved', portal_status: 'Submitted' }],
  ],
  ['display status changes, verbatim does not: nothing', ISSUED, { ...ISSUED, status: 'Issued' }, []],
  [
    'into unknown: status_change only',
    ISSUED,
    { portal_status: 'Ready to Issue', status: 'Ready to Issue', status_phase: 'unknown' },
    [statusChange(ISSUED, { portal_status: 'Ready to Issue', status: 'Ready to Issue', status_phase: 'unknown' })],
  ],

  // inspections
  [
    'two inspections completed: one event each, in next order',
    ISSUED,
    { ...ISSUED, inspections: [FINAL, POWER] },
    [
      { kind: 'inspection_complete', inspection: FINAL },
      { kind: 'inspection_complete', inspection: POWER },
    ],
  ],
  ['same inspections reordered: nothing', { inspections: [FINAL, POWER] }, { inspections: [POWER, FINAL] }, []],
  [
    'scheduled inspection completes',
    { inspections: [POWER, FINAL_SCHEDULED] },
    { inspections: [POWER, FINAL] },
    [{ kind: 'inspection_complete', inspection: FINAL }],
  ],
  [
    'inspection newly scheduled',
    { inspections: [POWER] },
    { inspections: [POWER, FINAL_SCHEDULED] },
    [{ kind: 'inspection_scheduled', inspection: FINAL_SCHEDULED }],
  ],
  ['scheduled becomes pending: nothing', { inspections: [FINAL_SCHEDULED] }, { inspections: [FINAL_PENDING] }, []],
  [
    'rescheduled to a new date: scheduled again',
    { inspections: [FINAL_SCHEDULED] },
    { inspections: [{ ...FINAL_SCHEDULED, date: '2018-08-08' }] },
    [{ kind: 'inspection_scheduled', inspection: { ...FINAL_SCHEDULED, date: '2018-08-08' } }],
  ],
  [
    'a second identical result the same day counts once more',
    { inspections: [POWER] },
    { inspections: [POWER, POWER] },
    [{ kind: 'inspection_complete', inspection: POWER }],
  ],
  [
    'only the inspector name changes: nothing (identity is type + date + result)',
    { inspections: [FINAL] },
    { inspections: [{ ...FINAL, inspector: 'A. NAVE' }] },
    [],
  ],
  ['a completed inspection disappears: nothing', { inspections: [FINAL, POWER] }, { inspections: [FINAL] }, []],

  // fees
  [
    'fee added',
    { fees: [BUILDING_FEE] },
    { fees: [BUILDING_FEE, ZONING_FEE] },
    [{ kind: 'fee_change', before: [BUILDING_FEE], after: [BUILDING_FEE, ZONING_FEE] }],
  ],
  [
    'fee paid',
    { fees: [{ ...ZONING_FEE, paid: false }] },
    { fees: [ZONING_FEE] },
    [{ kind: 'fee_change', before: [{ ...ZONING_FEE, paid: false }], after: [ZONING_FEE] }],
  ],
  ['fee removed', { fees: [ZONING_FEE] }, { fees: [] }, [{ kind: 'fee_change', before: [ZONING_FEE], after: [] }]],
  ['same fees reordered: nothing', { fees: [BUILDING_FEE, ZONING_FEE] }, { fees: [ZONING_FEE, BUILDING_FEE] }, []],

  // order of the output
  [
    'everything at once, in the documented order',
    { ...PLAN_CHECK, inspections: [FINAL_SCHEDULED] },
    { ...FINALED, inspections: [POWER, FINAL_SCHEDULED, FINAL, { ...FINAL_SCHEDULED, type: 'Other' }], fees: [ZONING_FEE] },
    [
      statusChange(PLAN_CHECK, FINALED),
      { kind: 'permit_approved', old_phase: 'in_review', new_phase: 'closed', portal_status: 'Permit Finaled on 8/8/2018' },
      { kind: 'inspection_complete', inspection: POWER },
      { kind: 'inspection_complete', inspection: FINAL },
      { kind: 'inspection_scheduled', inspection: { ...FINAL_SCHEDULED, type: 'Other' } },
      { kind: 'fee_change', before: [], after: [ZONING_FEE] },
    ],
  ],
];

describe('diff', () => {
  it.each(CASES)('%s', (_name, prev, next, expected) => {
    expect(diff(prev === null ? null : testRecord(prev), testRecord(next))).toEqual(expected);
  });

  it('has a case producing every change kind', () => {
    const produced = new Set(CASES.flatMap(([, , , expected]) => expected.map((c) => c.kind)));
    expect([...produced].sort()).toEqual([...CHANGE_KINDS].sort());
  });

  it('emits kinds in CHANGE_KINDS order', () => {
    for (const [, prev, next] of CASES) {
      const ranks = diff(prev === null ? null : testRecord(prev), testRecord(next)).map((c) => CHANGE_KINDS.indexOf(c.kind));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    }
  });
});
