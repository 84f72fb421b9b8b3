import { describe, expect, it } from 'vitest';
import type { StatusPhase } from '../../permits/record.ts';
import { SOCRATA_STATUS_PHASES, socrataPhase, socrataRecordPhase } from './statuses.ts';

describe('socrataPhase', () => {
  it.each([
    // values in the fixture rows (fixtures/socrata/)
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
  ] as const)('a dead permit (%s %j) is withdrawn, never closed', (vocabulary, status) => {
    expect(socrataPhase(vocabulary, status)).toBe('withdrawn');
  });

  it('a lapsed Austin permit is expired', () => expect(socrataPhase('austin', 'Expired')).toBe('expired'));

  it('ignores case and spacing (SF sends lower case, Austin title case)', () => {
    expect(socrataPhase('sf', ' ISSUED ')).toBe('issued');
    expect(socrataPhase('austin', 'final')).toBe('closed');
  });

  it.each([
    ['sf', 'suspend'],
    ['chicago', 'COMPLETE'],
    ['austin', 'On Hold'],
    ['ladbs', 'Permit Teleported'],
  ] as const)('maps the unlisted %s %j to unknown', (vocabulary, status) => {
    expect(socrataPhase(vocabulary, status)).toBe('unknown');
  });

  it('maps null to unknown', () => expect(socrataPhase('sf', null)).toBe('unknown'));

  it('has no table row that is unknown or closed-for-a-dead-permit', () => {
    const rows = Object.values(SOCRATA_STATUS_PHASES).flatMap((t) => Object.entries(t));
    expect(rows.map(([, phase]) => phase)).not.toContain('unknown' satisfies StatusPhase);
    for (const [status, phase] of rows) {
      if (/void|cancel|withdraw|revok|expir/i.test(status)) expect([status, phase]).not.toEqual([status, 'closed']);
    }
  });
});

describe('socrataRecordPhase', () => {
  it('is issued for a row without a status but with an issue date (Chicago 100858762)', () => {
    expect(socrataRecordPhase('chicago', null, '2020-08-24')).toBe('issued');
  });

  it('is unknown for a row with neither', () => expect(socrataRecordPhase('chicago', null, null)).toBe('unknown'));

  it('follows the status when there is one', () => expect(socrataRecordPhase('austin', 'Final', '2009-07-13')).toBe('closed'));
});
