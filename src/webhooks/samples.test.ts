import { describe, expect, it } from 'vitest';
import { WEBHOOK_EVENTS } from './events.ts';
import { sampleDraft } from './samples.ts';

const draft = (event: (typeof WEBHOOK_EVENTS)[number]) =>
  sampleDraft(event, { displayName: () => 'LADBS (City of Los Angeles)', placeName: () => 'Los Angeles' }, new Date('2026-12-06T10:00:00Z')).body as Record<string, any>;

describe('simulated payloads (issue 21, defect 5): self-consistent samples, one per event', () => {
  it.each(WEBHOOK_EVENTS)('%s has a payload of its own kind', (event) => {
    expect(draft(event).event).toBe(event);
  });

  it('permit_denied says denied everywhere: the status, the portal status and the phases', () => {
    expect(draft('permit_denied').data).toMatchObject({
      old_status: 'Issued on 3/10/2026',
      new_status: 'Permit Revoked on 4/15/2026',
      portal_status: 'Permit Revoked on 4/15/2026',
      old_phase: 'issued',
      new_phase: 'denied',
    });
  });

  it('permit_approved says issued everywhere', () => {
    expect(draft('permit_approved').data).toMatchObject({
      new_status: 'Issued on 3/10/2026',
      portal_status: 'Issued on 3/10/2026',
      new_phase: 'issued',
    });
  });

  it('corrections_required reports a corrections status, as the capture history has it', () => {
    expect(draft('corrections_required').data).toMatchObject({
      portal_status: 'Corrections Issued on 1/26/2026',
      status: 'Corrections Issued on 1/26/2026',
    });
  });

  it('status_change agrees with itself and inspection_scheduled reports a scheduled inspection', () => {
    const change = draft('status_change').data;
    expect(change.new_status).toBe(change.new_portal_status);
    expect(change).toMatchObject({ old_phase: 'in_review', new_phase: 'issued' });
    expect(draft('permit.inspection_scheduled').data.inspection).toMatchObject({ type: 'Frame', status: 'scheduled', result: null });
    expect(draft('inspection_complete').data.inspection).toMatchObject({ type: 'Foundation', status: 'completed' });
  });
});
