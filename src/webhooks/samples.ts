import type { PermitObserved } from '../events/decode.ts';
import { PERMIT_OBSERVED } from '../events/permit-observed.ts';
import { assertUnreachable } from '../lib/assert-unreachable.ts';
import { diff } from '../permits/diff.ts';
import { PermitRecord } from '../permits/record.ts';
import type { WebhookEvent } from './events.ts';
import { draftPayloads, draftWatchPayload, type DraftPayload, type PayloadContext } from './payloads.ts';
import { WATCH_ADDED, WATCH_REMOVED, watchStream, type WatchFacts } from '../events/watch.ts';

/**
 * The permit `/simulate` reports on: LADBS 26014-10000-00017 as captured
 * (fixtures/ladbs/ladbs-pcis-detail-26014-10000-00017.html, plan check done) and as the labelled
 * derived page shows it issued (fixtures/ladbs/PROVENANCE.md). Each event kind gets a before and
 * after pair of records and its payload is what diff() and draftPayloads() make of that pair, as
 * for a live observation, so a payload cannot contradict itself (issue 21, defect 5: a
 * `permit_denied` once said `new_status: "Issued on 3/10/2026"`). The corrections pair is the
 * capture's own history (Assigned to Plan Check Engineer 1/15/2026, Corrections Issued
 * 1/26/2026); the inspections, the fee and the revocation are illustrations added here so every
 * kind has a payload; the permit's number, address and type are the capture's.
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
  latitude: null,
  longitude: null,
  dates: { applied: '2026-01-05', issued: null, finaled: null, expires: null },
  inspections: [],
  fees: [],
  contacts: [],
  conditions: [],
  portal_history: [{ status: 'Submitted', date: '2026-01-05' }],
  extra: {},
});
const ISSUED = PermitRecord.parse({
  ...BEFORE,
  portal_status: 'Issued on 3/10/2026',
  status: 'Issued on 3/10/2026',
  status_phase: 'issued',
  dates: { ...BEFORE.dates, issued: '2026-03-10' },
  inspections: [{ type: 'Foundation', date: '2026-03-20', result: 'Approved', inspector: null, status: 'completed' }],
  fees: [{ description: 'Plan Check Fee', amount: 1250, paid: true }],
});
const IN_PLAN_CHECK = PermitRecord.parse({
  ...BEFORE,
  portal_status: 'Assigned to Plan Check Engineer on 1/15/2026',
  status: 'Assigned to Plan Check Engineer on 1/15/2026',
});
const CORRECTIONS = PermitRecord.parse({
  ...BEFORE,
  portal_status: 'Corrections Issued on 1/26/2026',
  status: 'Corrections Issued on 1/26/2026',
  status_phase: 'corrections',
});
/** LADBS's one denial status is a revocation (src/jurisdictions/ladbs/statuses.ts), of an issued permit. */
const REVOKED = PermitRecord.parse({
  ...ISSUED,
  portal_status: 'Permit Revoked on 4/15/2026',
  status: 'Permit Revoked on 4/15/2026',
  status_phase: 'denied',
});
const INSPECTION_SCHEDULED = PermitRecord.parse({
  ...ISSUED,
  inspections: [...ISSUED.inspections, { type: 'Frame', date: '2026-04-02', result: null, inspector: null, status: 'scheduled' }],
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

/** The events an observation gives (the watchlist's come from watch events: sampleWatch). */
type PermitWebhookEvent = Exclude<WebhookEvent, 'permit.added_to_watchlist' | 'permit.removed_from_watchlist'>;

/** The observation each simulated event comes from: the record before (null: a first sighting) and after. */
function samplePair(event: PermitWebhookEvent): { prev: PermitRecord | null; next: PermitRecord } {
  switch (event) {
    case 'permit.created':
      return { prev: null, next: BEFORE };
    case 'permit_denied':
      return { prev: ISSUED, next: REVOKED };
    case 'corrections_required':
      return { prev: IN_PLAN_CHECK, next: CORRECTIONS };
    case 'permit.inspection_scheduled':
      return { prev: ISSUED, next: INSPECTION_SCHEDULED };
    case 'status_change':
    case 'permit.status_changed':
    case 'permit_approved':
    case 'inspection_complete':
    case 'permit.fee_changed':
    case 'permit.changed':
      return { prev: BEFORE, next: ISSUED };
    default:
      return assertUnreachable(event);
  }
}

/** A watch of the sample permit, added (version 1) or removed (version 2) at `at`. */
function sampleWatch(event: 'permit.added_to_watchlist' | 'permit.removed_from_watchlist', at: string): WatchFacts {
  const watched = {
    watch_id: 'wat_00000000000000a1',
    key_id: 'key_sample',
    stream: `permit/${BEFORE.jurisdiction}/${BEFORE.permit_number}`,
    jurisdiction: BEFORE.jurisdiction,
    permit_number: BEFORE.permit_number,
  };
  const stream = watchStream(watched.watch_id);
  return event === 'permit.added_to_watchlist'
    ? { position: 0, stream, version: 1, type: WATCH_ADDED, data: { ...watched, label: 'Midvale addition', note: null, at } }
    : { position: 0, stream, version: 2, type: WATCH_REMOVED, data: { ...watched, at } };
}

/** The canonical draft payload of one event, exactly as a live delivery of it is built. */
export function sampleDraft(event: WebhookEvent, names: Pick<PayloadContext, 'displayName' | 'placeName'>, now: Date): DraftPayload {
  const at = now.toISOString();
  if (event === 'permit.added_to_watchlist' || event === 'permit.removed_from_watchlist') {
    return draftWatchPayload(sampleWatch(event, at), BEFORE)!;
  }
  const { prev, next } = samplePair(event);
  const drafts = draftPayloads(sampleEvent(next, prev ? 2 : 1, at), { prev, changes: diff(prev, next), ...names });
  const draft = drafts.find((d) => d.event === event);
  if (!draft) throw new Error(`the ${event} sample pair gives no ${event} payload`);
  return draft;
}
