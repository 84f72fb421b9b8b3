import { describe, expect, it } from 'vitest';
import { ARCGIS_STATUS_PHASES, arcgisPhase, phaseFromMilestones } from './statuses.ts';

const JC = 'arcgis:jackson-county';

describe('arcgisPhase', () => {
  it.each([
    ['Issued', 'issued'],
    ['Finaled', 'closed'],
    ['Expired', 'expired'],
    ['Withdrawn', 'withdrawn'],
    ['Void', 'withdrawn'],
    ['Denied', 'denied'],
    ['Submitted', 'applied'],
  ] as const)('maps Jackson County PERMITSTAT %j to %s', (status, phase) => expect(arcgisPhase(JC, 'status', status)).toBe(phase));

  it.each([
    ['Denied or Expired', 'expired'],
    ['Withdrawn', 'withdrawn'],
    // spans several phases: no guess
    ['Pending', 'unknown'],
    ['Approved', 'unknown'],
    ['Other', 'unknown'],
  ] as const)('maps Jackson County STATUSCAT %j to %s', (category, phase) => expect(arcgisPhase(JC, 'status_category', category)).toBe(phase));

  it('ignores case and spacing', () => expect(arcgisPhase(JC, 'status_category', '  denied  or EXPIRED ')).toBe('expired'));
  it('maps null to unknown', () => expect(arcgisPhase(JC, 'status', null)).toBe('unknown'));
  it('maps any status of a layer without a table to unknown', () => expect(arcgisPhase('arcgis:bellingham', 'status', 'Issued')).toBe('unknown'));
  it('never maps a lapse, refusal or withdrawal to closed, and no row is unknown', () => {
    const rows = Object.values(ARCGIS_STATUS_PHASES).flatMap((t) => [...Object.entries(t.status), ...Object.entries(t.status_category)]);
    for (const [status, phase] of rows) {
      expect(phase).not.toBe('unknown');
      if (/expir|withdr|void|cancel|denied/i.test(status)) expect([status, phase]).not.toEqual([status, 'closed']);
    }
  });
});

describe('phaseFromMilestones', () => {
  const bellingham = [
    { field: 'FINALED', phase: 'closed' },
    { field: 'EXPIRED', phase: 'expired' },
    { field: 'ISSUED', phase: 'issued' },
    { field: 'APPLIED', phase: 'applied' },
  ] as const;
  const set = (...fields: string[]) => (f: string) => fields.includes(f);

  it('is closed once finaled', () => expect(phaseFromMilestones(bellingham, set('APPLIED', 'ISSUED', 'FINALED'))).toBe('closed'));
  it('is expired once expired, not issued forever', () => expect(phaseFromMilestones(bellingham, set('APPLIED', 'ISSUED', 'EXPIRED'))).toBe('expired'));
  it('is issued while issued and neither finaled nor expired', () => expect(phaseFromMilestones(bellingham, set('APPLIED', 'ISSUED'))).toBe('issued'));
  it('is unknown when no listed milestone is set', () => expect(phaseFromMilestones(bellingham, set())).toBe('unknown'));
  it('is unknown for an issue date on a layer that documents only the final date (Eloy)', () =>
    expect(phaseFromMilestones([{ field: 'FinalDate', phase: 'closed' }], set('DateIssued'))).toBe('unknown'));
});
