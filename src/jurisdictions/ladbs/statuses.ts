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
 *   cited in fixtures/ladbs/PROVENANCE.md).
 * - issue 20's list of statuses seen as `unknown`, with the 2,002-page evidence in
 *   /work/shared/research/ladbs-status-evidence.md (which statuses stay active, which end).
 * Every end state is mapped deliberately: `closed` only for finished work (a final or a
 * certificate), `expired` for lapses, `withdrawn` for cancels, voids and refunds, `denied` for a
 * revocation.
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
  // Revisited for issue 20, kept `in_review`: an LA permit tool's plain-language table (find_string
  // id 65724289696) glosses it "No progress recorded" and lists it in the pre-issuance family
  // between "Submitted for Qual. Rev." and "PC Approved"; the evidence file puts it "in review". A
  // stalled plan check has not ended, so it stays active rather than reading as expired.
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
  // public: ends without completion. "Permit Closed" (revisited for issue 20, kept `expired`): the
  // LA permit data defines it as "issued, and the work may or may not have been completed; the
  // permit is no longer active". The data-repair evidence (/work/shared/research/ladbs-status-
  // evidence.md) counts it as a final, but a final in PCIS is "Permit Finaled", and `closed` is
  // reserved for finished work (src/permits/phases.ts). Mapping it to `closed` would tell a watcher
  // the work passed its final when the city only says the permit stopped; `expired` (ended, not
  // active, in the denial group) is the honest reading and notifies the owner that it lapsed.
  'Permit Closed': 'expired',
  'Permit Expired': 'expired',
  'PC Expired': 'expired',
  'Application Withdrawn': 'withdrawn',
  'Permit Withdrawn': 'withdrawn',
  // a fee refund is what an abandoned application or permit ends in
  'Refund in Progress': 'withdrawn',
  'Refund Completed': 'withdrawn',
  'Refund Closed': 'withdrawn',

  // Issue 20 (statuses reported as unknown on LADBS). Sources: "evidence" is
  // /work/shared/research/ladbs-status-evidence.md (2,002 real PCIS pages: which statuses are
  // still active, which ended); "plain" is the LA permit tool's table cited above (id 65724289696);
  // "issue" is a string issue 20 lists, mapped by the meaning of its words and LADBS practice.
  // plan check, not ended (evidence: "in review"; plain: "PC Assigned", "PC in Progress", "Plans on Hold")
  'Plan Check': 'in_review',
  'PC Assigned': 'in_review',
  'PC in Progress': 'in_review',
  'Not Ready to Issue': 'in_review',
  'Plans on Hold': 'in_review',
  // issue: a hold pauses the process without ending it; nothing says whose move it is, so the
  // neutral active phase rather than `corrections`.
  'On Hold': 'in_review',
  // plain: "Resubmission required", the applicant must answer
  'Re-Submittal Required': 'corrections',
  // issue: the plan check is approved, the permit not yet issued (as "PC Approved")
  'Plan Check Approved': 'approved',
  // evidence: still active after issue ("Re-Activate Permit"); issue: "Reinstated" (an expired
  // permit brought back into force)
  Reinstated: 'issued',
  'Re-Activate Permit': 'issued',
  // issue: a notice that the permit will be revoked unless the holder acts: still in force, and
  // the holder has something to fix
  'Intent to Revoke': 'corrections',
  // evidence: "OK for CofC" is still active after issue (final inspections signed, certificate not
  // yet issued); issue: a temporary certificate of occupancy lets people in while work remains;
  // plain: "CofO Reactivated"
  'OK for CofC': 'inspections',
  'TCO Issued': 'inspections',
  'Temporary CofO Issued': 'inspections',
  'CofO Reactivated': 'inspections',
  // ended without completion (evidence). A revocation is the city taking the permit back: `denied`.
  'Permit Revoked': 'denied',
  // evidence lists "Not Issued" among ends without completion: an approved application whose
  // permit was never issued lapses, so `expired`, like "PC Expired"
  'Not Issued': 'expired',
  'Application Expired': 'expired',
  // issue: cancelled or voided by request or by the department, nothing was built under it
  Cancelled: 'withdrawn',
  Canceled: 'withdrawn',
  Void: 'withdrawn',
  // evidence: the "-Status Void" variants are listed among ends without completion: the status
  // they name was voided, and the record ended there
  'Permit Expired-Status Void': 'withdrawn',
  'Permit Finaled-Status Void': 'withdrawn',
  'CofO Issued-Status Void': 'withdrawn',
  'Reactivate - Status Void': 'withdrawn',
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
