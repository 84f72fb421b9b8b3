import { describe, expect, it } from 'vitest';
import { inspectionOutcome } from './inspection-outcome.ts';

describe('inspectionOutcome', () => {
  it.each([
    // Verbatim results from the LADBS captures' Inspection Request History.
    ['Approved', 'pass'],
    ['Permit Finaled', 'pass'],
    ['Pass', 'pass'],
    ['Fail', 'fail'],
    ['Not Approved', 'fail'],
    ['Partial Approval', 'fail'],
    ['Disapproved', 'fail'],
    ['Corrections Issued', 'fail'],
    ['Cancelled', 'other'],
    [null, 'other'],
  ] as const)('%s → %s', (result, outcome) => {
    expect(inspectionOutcome(result)).toBe(outcome);
  });
});
