import { describe, expect, it } from 'vitest';
import { ARCGIS_STATUS_PHASES, arcgisPhase, phaseFromDates } from './statuses.ts';

const NO_DATES = { applied: null, issued: null, finaled: null, expires: null };

describe('arcgisPhase', () => {
  it.each([
    ['Pending', 'applied'],
    ['Approved', 'approved'],
    ['Denied or Expired', 'expired'],
    ['Withdrawn', 'withdrawn'],
  ] as const)('maps Jackson County STATUSCAT %j to %s', (status, phase) => {
    expect(arcgisPhase('arcgis:jackson-county', status)).toBe(phase);
  });

  it('ignores case and spacing', () => expect(arcgisPhase('arcgis:jackson-county', '  denied  or EXPIRED ')).toBe('expired'));
  it('maps the catch-all "Other" to unknown', () => expect(arcgisPhase('arcgis:jackson-county', 'Other')).toBe('unknown'));
  it('maps null to unknown', () => expect(arcgisPhase('arcgis:jackson-county', null)).toBe('unknown'));
  it('maps any status of a layer without a table to unknown', () => expect(arcgisPhase('arcgis:bellingham', 'Approved')).toBe('unknown'));
  it('never maps a lapse or withdrawal to closed', () => {
    const phases = Object.values(ARCGIS_STATUS_PHASES).flatMap((t) => Object.values(t));
    expect(phases).not.toContain('closed');
    expect(phases).not.toContain('unknown');
  });
});

describe('phaseFromDates', () => {
  it('is closed once finaled', () =>
    expect(phaseFromDates({ ...NO_DATES, applied: '2024-01-01', issued: '2024-02-01', finaled: '2024-06-01' })).toBe('closed'));
  it('is issued once issued', () => expect(phaseFromDates({ ...NO_DATES, applied: '2024-01-01', issued: '2024-02-01' })).toBe('issued'));
  it('is applied with only an application date', () => expect(phaseFromDates({ ...NO_DATES, applied: '2024-01-01' })).toBe('applied'));
  it('is unknown without dates', () => expect(phaseFromDates(NO_DATES)).toBe('unknown'));
});
