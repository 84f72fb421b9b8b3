import { describe, expect, it } from 'vitest';
import { acaSettings } from './aca-settings.ts';
import { ACCELA_JURISDICTIONS } from './jurisdictions.ts';
import { ACA_AGENCY_STATUS_PHASES, ACA_STATUS_PHASES, acaPhase } from './statuses.ts';

describe('acaPhase', () => {
  it.each([
    ['Complete', 'HCFL', 'closed'], // HCFL record status
    ['Issued', 'OSCEOLA', 'issued'], // Osceola A26-006405
    ['Application Submitted', 'OSCEOLA', 'applied'], // Osceola A26-006408
    ['Applicant Upload', 'BOISE', 'applied'], // Boise
    ['Prescreen', 'BOISE', 'in_review'], // Boise
    ['In Review', 'BOISE', 'in_review'], // Boise
    ['In Progress', 'MERIDIAN', 'in_review'], // Meridian
    ['Inspection Phase', 'DALLASTX', 'inspections'], // Dallas
    ['Awaiting Client Reply', 'TAMPA', 'corrections'], // Tampa
    ['Ready to Issue', 'HCFL', 'approved'], // Construct sandbox
    ['CofO Issued', 'HCFL', 'closed'], // Construct sandbox
  ] as const)('%s (%s) → %s', (status, agency, phase) => expect(acaPhase(status, agency)).toBe(phase));

  // Every ACA status issue 20 lists as falling to `unknown`.
  it.each([
    ['Void', 'withdrawn'],
    ['Cancelled', 'withdrawn'],
    ['Withdrawn', 'withdrawn'],
    ['Expired', 'expired'],
    ['About to Expire', 'issued'],
    ['Closed', 'closed'],
    ['Denied', 'denied'],
    ['Revoked', 'denied'],
    ['Suspended', 'issued'],
    ['Pending Inspection', 'inspections'],
    ['Ready for Issuance', 'approved'],
    ['CO Issued', 'closed'],
    ['Closed - Finaled', 'closed'],
    ['Closed - Expired', 'expired'],
    ['Stop Work Order', 'corrections'],
  ] as const)('%s → %s for every agency (issue 20)', (status, phase) => {
    for (const agency of ['HCFL', 'OSCEOLA', 'BOISE', 'MERIDIAN', 'TAMPA', 'DALLASTX', 'NEWAGENCY']) expect(acaPhase(status, agency)).toBe(phase);
  });

  it('an agency\'s own status is read only for that agency', () => {
    expect(acaPhase('In Progress', 'MERIDIAN')).toBe('in_review');
    expect(acaPhase('in progress', 'meridian')).toBe('in_review');
    expect(acaPhase('In Progress', 'HCFL')).toBe('unknown');
    expect(acaPhase('In Progress', 'BOISE')).toBe('unknown');
  });

  it('keys agency tables by agency codes the catalog uses', () => {
    const codes = ACCELA_JURISDICTIONS.map((j) => acaSettings(j).agency_code);
    for (const agency of Object.keys(ACA_AGENCY_STATUS_PHASES)) expect(codes).toContain(agency);
  });

  it('ignores case and spacing', () => expect(acaPhase('  application   SUBMITTED ', 'OSCEOLA')).toBe('applied'));

  it('unknown strings and null are unknown', () => {
    expect(acaPhase('Under Construction Maybe', 'HCFL')).toBe('unknown');
    expect(acaPhase(null, 'HCFL')).toBe('unknown');
  });

  it('maps nothing that ends a record without a final to closed', () => {
    const tables = [ACA_STATUS_PHASES, ...Object.values(ACA_AGENCY_STATUS_PHASES)];
    const closers = tables.flatMap((t) => Object.entries(t).filter(([, phase]) => phase === 'closed').map(([s]) => s));
    for (const s of closers) expect(s).not.toMatch(/void|cancel|withdraw|expire|lapse|denied|revoke/i);
  });

  it('has no table row that is unknown', () => {
    const tables = [ACA_STATUS_PHASES, ...Object.values(ACA_AGENCY_STATUS_PHASES)];
    for (const t of tables) expect(Object.values(t)).not.toContain('unknown');
  });
});
