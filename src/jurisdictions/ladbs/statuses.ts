import type { Inspection, StatusPhase } from '../../permits/record.ts';

/**
 * Verbatim LADBS PCIS statuses (Current Status, status-history rows, inspection results) and the
 * phase each means. Policy as data: a new status is one row here.
 *
 * Sources, per row group:
 * - "seen": in the captures under fixtures/ladbs/ (see PROVENANCE.md there).
 * - "public": PCIS statuses listed by public projects that scrape PCIS or read the LADBS permit
 *   dataset (a Los Angeles data-repair script with Final/Active/Inactive token sets, an LA
 *   connector spec mapping PC Info Complete ... CofO Corrected; found through the code search,
 *   cited in fixtures/ladbs/PROVENANCE.md). Statuses those sources disagree on (OK for CofC,
 *   Not Issued, Permit Revoked, the "-Status Void" variants) are left out on purpose: they log
 *   as unknown until a capture shows what they mean.
 */
export const LADBS_STATUS_PHASES: Readonly<Record<string, StatusPhase>> = {
  // seen: 26014 history and 16041 inspection result. "Approved" is PCIS's passed-inspection
  // result; as a permit status it can only mean plans approved.
  Submitted: 'applied',
  'Assigned to Zoning Architect': 'in_review',
  'Assigned to Plan Check Engineer': 'in_review',
  'Corrections Issued': 'corrections',
  // seen: 26014 reaches it after Corrections Issued while three clearances are still
  // "Not Cleared", so it is a review step, not an approval.
  'Quality Review Completed': 'in_review',
  Approved: 'approved',
  Issued: 'issued',
  'Permit Finaled': 'closed',
  // seen: 26030 (a grading pre-inspection record, "not a permit for construction") ends as
  // "Completed on 03/06/2026".
  Completed: 'closed',

  // public: intake
  'Application Submittal': 'applied',
  'Application Pending': 'applied',
  Pending: 'applied',
  // public: plan check
  'PC Info Complete': 'in_review',
  'Verifications in Progress': 'in_review',
  'Reviewed by Supervisor': 'in_review',
  'Submitted for Qual. Rev.': 'in_review',
  'No Progress': 'in_review',
  'PC Approved': 'approved',
  'Ready to Issue': 'approved',
  // public: after issuance; a certificate of occupancy is requested once inspections near the end
  'Insp Scheduled': 'inspections',
  'CofO in Progress': 'inspections',
  'Pending CofO': 'inspections',
  'CofO Issued': 'closed',
  'CofO Corrected': 'closed',
  'CofC Issued': 'closed',
  // public: ends without completion. "Permit Closed" is defined in the LA permit data as "issued,
  // and the work may or may not have been completed; no longer active", and `closed` is kept for
  // finished work (src/permits/phases.ts), so it is a lapse.
  'Permit Closed': 'expired',
  'Permit Expired': 'expired',
  'PC Expired': 'expired',
  'Application Withdrawn': 'withdrawn',
  'Permit Withdrawn': 'withdrawn',
  // a fee refund is what an abandoned application or permit ends in
  'Refund in Progress': 'withdrawn',
  'Refund Completed': 'withdrawn',
  'Refund Closed': 'withdrawn',
};

/** "Permit Finaled on 8/8/2018", "Completed on 03/06/2026": the date PCIS appends to Current Status. */
const STATUS_DATE_SUFFIX = /\s+on\s+(\d{1,2}\/\d{1,2}\/\d{4})\s*$/i;

const BY_KEY = new Map(Object.entries(LADBS_STATUS_PHASES).map(([status, phase]) => [statusKey(status), phase]));

function statusKey(status: string): string {
  return status.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Splits a Current Status into its words and the M/D/YYYY date PCIS appends, if any. */
export function splitStatusDate(portalStatus: string): { status: string; date: string | null } {
  const text = portalStatus.replace(/\s+/g, ' ').trim();
  const m = STATUS_DATE_SUFFIX.exec(text);
  if (!m) return { status: text, date: null };
  return { status: text.slice(0, m.index), date: m[1] ?? null };
}

/**
 * The phase of a verbatim LADBS status. The " on <date>" suffix is ignored, and so are case and
 * spacing. Anything not in the table is `unknown` (the adapter logs it); null is `unknown` too.
 */
export function ladbsPhase(portalStatus: string | null): StatusPhase {
  if (portalStatus === null) return 'unknown';
  return BY_KEY.get(statusKey(splitStatusDate(portalStatus).status)) ?? 'unknown';
}

/**
 * The phase of a whole record. PCIS leaves Current Status at "Issued" while the work is being
 * inspected (16041's history goes straight from Issued to Permit Finaled although two inspections
 * took place), so an issued permit with any inspection on its page, done or requested, is in
 * `inspections`. Every other phase comes from the status alone.
 */
export function ladbsRecordPhase(portalStatus: string | null, inspections: readonly Inspection[]): StatusPhase {
  const phase = ladbsPhase(portalStatus);
  return phase === 'issued' && inspections.length > 0 ? 'inspections' : phase;
}
