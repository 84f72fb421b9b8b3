import { describe, expect, it } from 'vitest';
import { ACA_STATUS_PHASES, acaPhase } from './statuses.ts';

describe('acaPhase', () => {
  it.each([
    ['Complete', 'closed'], // HCFL record status
    ['Issued', 'issued'], // Osceola A26-006405
    ['Application Submitted', 'applied'], // Osceola A26-006408
    ['Applicant Upload', 'applied'], // Boise
    ['Prescreen', 'in_review'], // Boise
    ['In Review', 'in_review'], // Boise
    ['In Progress', 'in_review'], // Meridian
    ['Inspection Phase', 'inspections'], // Dallas
    ['Awaiting Client Reply', 'corrections'], // Tampa
    ['Ready to Issue', 'approved'], // Construct sandbox
    ['CofO Issued', 'closed'], // Construct sandbox
  ] as const)('%s → %s', (status, phase) => expect(acaPhase(status)).toBe(phase));

  it('ignores case and spacing', () => expect(acaPhase('  application   SUBMITTED ')).toBe('applied'));

  it('unknown strings and null are unknown', () => {
    expect(acaPhase('Closed')).toBe('unknown');
    expect(acaPhase('Void')).toBe('unknown');
    expect(acaPhase(null)).toBe('unknown');
  });

  it('maps nothing that ends a record without a final to closed', () => {
    const closers = Object.entries(ACA_STATUS_PHASES)
      .filter(([, phase]) => phase === 'closed')
      .map(([s]) => s);
    for (const s of closers) expect(s).not.toMatch(/void|cancel|withdraw|expire|lapse|denied|closed/i);
  });
});
