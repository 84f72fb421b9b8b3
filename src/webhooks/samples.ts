import type { PermitObserved } from '../events/decode.ts';
import { PERMIT_OBSERVED } from '../events/permit-observed.ts';
import { diff, type Change } from '../permits/diff.ts';
import { PermitRecord } from '../permits/record.ts';
import type { WebhookEvent } from './events.ts';
import { draftPayloads, type DraftPayload } from './payloads.ts';

/**
 * The permit `/simulate` reports on: LADBS 26014-10000-00017 as captured
 * (fixtures/ladbs/ladbs-pcis-detail-26014-10000-00017.html, plan check done) and as the labelled
 * derived page shows it issued (fixtures/ladbs/PROVENANCE.md). The inspection, fee, denial and
 * corrections in the "after" side are illustrations added here so every event kind has a
 * payload; the permit's number, address, type and statuses are the capture's.
 */
const BEFORE = PermitRecord.parse({
  jurisdiction: 'ladbs',
  permit_number: '26014-10000-00017',
  portal_status: 'Quality Review Completed on 2/12/2026',
  status: 'Quality Review Completed on 2/12/2026',
  status_phase: 'in_review',
  permit_type: 'Bldg-Addition',
  permit_subtype: '1 or 2 Family Dwelling',
  category: 'addition',
  address: { street: '3030 S MIDVALE AVE', city: 'LOS ANGELES', state: 'CA', zip: '90034' },
  work_description: 'EPLAN. TWO STORY ADDITION TO EXISTING SINGLE FAMILY DWELLING TO ENLARGE AND MODIFY THE EXISTING MAIN HOUSE.',
  valuation: null,
  dates: { applied: '2026-01-05', issued: null, finaled: null, expires: null },
  inspections: [],
  fees: [],
  contacts: [],
  conditions: [],
  portal_history: [{ status: 'Submitted', date: '2026-01-05' }],
  extra: {},
});
const AFTER = PermitRecord.parse({
  ...BEFORE,
  portal_status: 'Issued on 3/10/2026',
  status: 'Issued on 3/10/2026',
  status_phase: 'issued',
  dates: { ...BEFORE.dates, issued: '2026-03-10' },
  inspections: [{ type: 'Foundation', date: '2026-03-20', result: 'Approved', inspector: null, status: 'completed' }],
  fees: [{ description: 'Plan Check Fee', amount: 1250, paid: true }],
});

function sampleEvent(record: PermitRecord, version: number, observedAt: string): PermitObserved {
  return {
    position: 0,
    stream: `permit/${record.jurisdiction}/${record.permit_number}`,
    version,
    type: PERMIT_OBSERVED,
    recorded_at: observedAt,
    data: { record, observed_at: observedAt, source: 'portal', source_url: '', content_hash: '0'.repeat(64) },
    meta: { adapter: 'simulate', adapter_version: '0', request_id: null, fetch_ms: null },
  };
}

/** The change a simulated event of each kind reports, for kinds one before/after pair lacks. */
function extraChange(event: WebhookEvent): Change | null {
  if (event === 'permit_denied') return { kind: 'permit_denied', old_phase: 'in_review', new_phase: 'denied', portal_status: 'Denied' };
  if (event === 'corrections_required') return { kind: 'corrections_required', portal_status: 'Corrections Issued' };
  if (event === 'permit.inspection_scheduled') {
    return {
      kind: 'inspection_scheduled',
      inspection: { type: 'Frame', date: '2026-04-02', result: null, inspector: null, status: 'scheduled' },
    };
  }
  return null;
}

/** The canonical draft payload of one event, exactly as a live delivery of it is built. */
export function sampleDraft(event: WebhookEvent, displayName: (slug: string) => string, now: Date): DraftPayload {
  const at = now.toISOString();
  if (event === 'permit.created') {
    return draftPayloads(sampleEvent(BEFORE, 1, at), { prev: null, changes: diff(null, BEFORE), displayName })[0]!;
  }
  const extra = extraChange(event);
  const changes = extra ? [extra] : diff(BEFORE, AFTER);
  const drafts = draftPayloads(sampleEvent(AFTER, 2, at), { prev: BEFORE, changes, displayName });
  return drafts.find((d) => d.event === event)!;
}
