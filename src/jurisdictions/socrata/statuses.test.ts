import { describe, expect, it } from 'vitest';
import type { StatusPhase } from '../../permits/record.ts';
import { SOCRATA_STATUS_PHASES, socrataPhase } from './statuses.ts';

describe('socrataPhase', () => {
  it.each([
    // values in the real fixture rows (fixtures/socrata/)
    ['sf', 'issued', 'issued'],
    ['austin', 'Final', 'closed'],
    ['austin', 'Active', 'issued'],
    ['ladbs', 'CofO Issued', 'closed'],
    // values from public sources (statuses.ts cites them)
    ['chicago', 'ACTIVE', 'issued'],
    ['sf', 'filed', 'applied'],
    ['sf', 'plancheck', 'in_review'],
    ['sf', 'approved', 'approved'],
    ['sf', 'reinstated', 'issued'],
    ['sf', 'complete', 'closed'],
    ['sf', 'expired', 'expired'],
    ['sf', 'denied', 'denied'],
    ['ladbs', 'Submitted', 'applied'],
    ['ladbs', 'Verifications in Progress', 'in_review'],
    ['ladbs', 'PC Approved', 'approved'],
    // the values issue 20 lists as falling to unknown
    ['chicago', 'COMPLETE', 'closed'],
    ['chicago', 'EXPIRED', 'expired'],
    ['chicago', 'CANCELLED', 'withdrawn'],
    ['austin', 'Closed', 'closed'],
    ['austin', 'Aborted', 'withdrawn'],
    ['austin', 'Pending Permit', 'applied'],
    ['austin', 'On Hold', 'issued'],
    ['austin', 'Suspended', 'issued'],
    ['sf', 'suspend', 'issued'],
    ['sf', 'disapproved', 'denied'],
    ['sf', 'incomplete', 'corrections'],
    ['sf', 'appeal', 'in_review'],
  ] as const)('%s %j → %s', (vocabulary, status, phase) => {
    expect(socrataPhase(vocabulary, status)).toBe(phase);
  });

  it.each([
    ['sf', 'cancelled'],
    ['sf', 'withdrawn'],
    ['sf', 'revoked'],
    ['austin', 'Void'],
    ['austin', 'Withdrawn'],
    ['austin', 'Cancelled'],
    ['austin', 'Aborted'],
    ['chicago', 'CANCELLED'],
  ] as const)('a dead permit (%s %j) is withdrawn, never closed', (vocabulary, status) => {
    expect(socrataPhase(vocabulary, status)).toBe('withdrawn');
  });

  it('a lapsed Austin permit is expired', () => expect(socrataPhase('austin', 'Expired')).toBe('expired'));

  it('ignores case and spacing (SF sends lower case, Austin title case)', () => {
    expect(socrataPhase('sf', ' ISSUED ')).toBe('issued');
    expect(socrataPhase('austin', 'final')).toBe('closed');
    expect(socrataPhase('austin', 'pending  permit')).toBe('applied');
    expect(socrataPhase('chicago', 'Complete')).toBe('closed');
  });

  it.each([
    ['sf', 'something new'],
    ['chicago', 'PENDING REVIEW'],
    ['austin', 'Under Construction'],
    ['ladbs', 'Permit Zzz'],
  ] as const)('maps the unlisted %s %j to unknown', (vocabulary, status) => {
    expect(socrataPhase(vocabulary, status)).toBe('unknown');
  });

  it('maps a row without a status to unknown, whatever its dates say', () => expect(socrataPhase('chicago', null)).toBe('unknown'));

  it('has no table row that is unknown or closed-for-a-dead-permit', () => {
    const rows = Object.values(SOCRATA_STATUS_PHASES).flatMap((t) => Object.entries(t));
    expect(rows.map(([, phase]) => phase)).not.toContain('unknown' satisfies StatusPhase);
    for (const [status, phase] of rows) {
      if (/void|cancel|withdraw|revok|expir|abort|disapprov|denied/i.test(status)) expect([status, phase]).not.toEqual([status, 'closed']);
    }
  });
});
