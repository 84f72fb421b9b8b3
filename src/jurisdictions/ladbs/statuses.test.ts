import { describe, expect, it } from 'vitest';
import type { Inspection, StatusPhase } from '../../permits/record.ts';
import { LADBS_DETAIL_FIXTURES, readLadbsFixture } from '../../testing/ladbs-fixtures.ts';
import { readPcisPage } from './pcis-page.ts';
import { LADBS_STATUS_PHASES, ladbsPhase, ladbsRecordPhase, splitStatusDate } from './statuses.ts';

/** Every status string in the fixtures, read off the pages by hand, and the phase it must map to. */
const CAPTURED: Record<string, StatusPhase> = {
  // 16041: Current Status, history, inspection results
  'Permit Finaled': 'closed',
  Issued: 'issued',
  Approved: 'approved',
  // 26014: Current Status and history
  Submitted: 'applied',
  'Assigned to Zoning Architect': 'in_review',
  'Assigned to Plan Check Engineer': 'in_review',
  'Corrections Issued': 'corrections',
  'Quality Review Completed': 'in_review',
  // 26030: Current Status
  Completed: 'closed',
};

/** Current Status (date stripped), history statuses and inspection results of one page. */
function statusesOn(html: string): string[] {
  const page = readPcisPage(html);
  const current = page.fields.get('Current Status');
  return [
    ...(current ? [splitStatusDate(current).status] : []),
    ...(page.sections.get('Permit Application Status History') ?? []).map(([status]) => status ?? ''),
    ...(page.sections.get('Inspection Request History') ?? []).map(([, , result]) => result ?? ''),
  ];
}

describe('ladbsPhase', () => {
  it.each(Object.entries(CAPTURED))('maps the captured status %j to %s', (status, phase) => {
    expect(ladbsPhase(status)).toBe(phase);
  });

  it('covers exactly the statuses the fixtures show (a new fixture with a new status fails here)', () => {
    const seen = new Set(LADBS_DETAIL_FIXTURES.flatMap((name) => statusesOn(readLadbsFixture(name))));
    expect([...seen].sort()).toEqual(Object.keys(CAPTURED).sort());
  });

  it.each([
    ['Permit Finaled on 8/8/2018', 'closed'],
    ['Quality Review Completed on 2/12/2026', 'in_review'],
    ['Completed on 03/06/2026', 'closed'],
    ['Issued on 7/6/2016', 'issued'],
  ] as const)('ignores the date suffix of %j', (status, phase) => {
    expect(ladbsPhase(status)).toBe(phase);
  });

  it('ignores case and spacing', () => {
    expect(ladbsPhase('  permit   FINALED ')).toBe('closed');
  });

  it.each(['Finaled', 'Plans Picked Up', '', 'on 8/8/2018'])('maps the unlisted %j to unknown', (status) => {
    expect(ladbsPhase(status)).toBe('unknown');
  });

  it('maps null to unknown', () => {
    expect(ladbsPhase(null)).toBe('unknown');
  });

  it('has no table row that is unknown', () => {
    expect(Object.values(LADBS_STATUS_PHASES)).not.toContain('unknown');
  });

  it.each([
    ['Ready to Issue', 'approved'],
    ['CofO in Progress', 'inspections'],
    ['CofO Issued', 'closed'],
    ['Permit Expired', 'expired'],
    ['Permit Closed', 'expired'],
    ['Permit Withdrawn', 'withdrawn'],
    ['Refund in Progress', 'withdrawn'],
  ] as const)('maps the public PCIS status %j to %s', (status, phase) => {
    expect(ladbsPhase(status)).toBe(phase);
  });

  // Every LADBS status issue 20 lists as falling to `unknown`, and the 2,002-page evidence's.
  it.each([
    ['Reinstated', 'issued'],
    ['Re-Activate Permit', 'issued'],
    ['Permit Revoked', 'denied'],
    ['Intent to Revoke', 'corrections'],
    ['Not Issued', 'expired'],
    ['OK for CofC', 'inspections'],
    ['TCO Issued', 'inspections'],
    ['Temporary CofO Issued', 'inspections'],
    ['Plan Check', 'in_review'],
    ['Plan Check Approved', 'approved'],
    ['Application Expired', 'expired'],
    ['Cancelled', 'withdrawn'],
    ['Void', 'withdrawn'],
    ['On Hold', 'in_review'],
    ['Not Ready to Issue', 'in_review'],
    ['Permit Expired-Status Void', 'withdrawn'],
    ['Permit Finaled-Status Void', 'withdrawn'],
    ['CofO Issued-Status Void', 'withdrawn'],
    ['Reactivate - Status Void', 'withdrawn'],
    ['No Progress', 'in_review'],
    ['Permit Revoked on 5/1/2025', 'denied'],
  ] as const)('maps %j to %s (issue 20)', (status, phase) => {
    expect(ladbsPhase(status)).toBe(phase);
  });

  it('maps every end state deliberately: only finals and certificates are closed', () => {
    const closed = Object.entries(LADBS_STATUS_PHASES).filter(([, p]) => p === 'closed').map(([s]) => s);
    expect(closed.sort()).toEqual(['CofC Issued', 'CofO Corrected', 'CofO Issued', 'Completed', 'Permit Finaled'].sort());
  });
});

describe('splitStatusDate', () => {
  it('splits the date PCIS appends', () => {
    expect(splitStatusDate('Permit Finaled on 8/8/2018')).toEqual({ status: 'Permit Finaled', date: '8/8/2018' });
  });

  it('leaves a status without a date whole', () => {
    expect(splitStatusDate('Corrections Issued')).toEqual({ status: 'Corrections Issued', date: null });
  });
});

describe('ladbsRecordPhase', () => {
  const foundation: Inspection = { type: 'Foundation', date: '2026-04-02', result: 'Approved', inspector: null, status: 'completed' };
  const requested: Inspection = { type: 'Final', date: null, result: null, inspector: null, status: 'pending' };

  it('is issued for an issued permit with no inspections', () => {
    expect(ladbsRecordPhase('Issued on 3/10/2026', [])).toBe('issued');
  });

  it('is inspections for an issued permit with a completed inspection', () => {
    expect(ladbsRecordPhase('Issued on 3/10/2026', [foundation])).toBe('inspections');
  });

  it('is inspections for an issued permit with a requested inspection', () => {
    expect(ladbsRecordPhase('Issued on 3/10/2026', [requested])).toBe('inspections');
  });

  it('stays closed for a finaled permit with inspections', () => {
    expect(ladbsRecordPhase('Permit Finaled on 8/8/2018', [foundation])).toBe('closed');
  });
});
