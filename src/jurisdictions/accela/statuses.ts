import type { StatusPhase } from '../../permits/record.ts';

/**
 * Verbatim ACA record statuses (and workflow "Marked as" statuses) and the phase each means, in two
 * layers: ACA_STATUS_PHASES holds what Accela's standard statuses mean for every agency, and
 * ACA_AGENCY_STATUS_PHASES what one agency's own statuses mean (agencies name and configure their
 * own; an agency row wins over the shared one). Policy as data: a new status is one row. Anything
 * in neither is `unknown` and logged by the adapter, never guessed.
 *
 * Sources (files under fixtures/accela/ unless said otherwise):
 * - HCFL: the real CapDetail excerpt (record status, workflow marks).
 * - Osceola: the real CapDetail excerpts and search grid.
 * - Boise, Meridian: boise-meridian-capture-manifest.json (real search rows).
 * - Dallas, Tampa: statuses quoted from their live portals in public client tests (find_string
 *   "Inspection Phase" in a Dallas Accela connector test; "Awaiting Client Reply" in a Tampa ACA
 *   service test).
 * - Construct: the REST v4 sandbox records (/work/shared/portal-samples/accela-construct-api/),
 *   statuses of Accela's standard workflow that ACA agencies share.
 * - Issue 20: statuses reported as falling to `unknown` on ACA portals, mapped by the meaning of
 *   their words. End states deliberately: `closed` only for finished work, `expired` for lapses,
 *   `withdrawn` for voids and cancels, `denied` for denials and revocations.
 */
export const ACA_STATUS_PHASES: Readonly<Record<string, StatusPhase>> = {
  // Osceola A26-006408 record status; Construct: intake
  'Application Submitted': 'applied',
  Submitted: 'applied',
  Received: 'applied',
  Pending: 'applied',
  // Boise: the applicant still has documents to upload before review starts
  'Applicant Upload': 'applied',
  // Boise: completeness check by staff, the first review step
  Prescreen: 'in_review',
  'In Review': 'in_review',
  'Plan Review': 'in_review',
  // Tampa
  'In Process': 'in_review',
  'Awaiting Client Reply': 'corrections',
  // Construct, and issue 20 ("Ready for Issuance")
  'Ready to Issue': 'approved',
  'Ready for Issuance': 'approved',
  // HCFL workflow mark, Osceola record status, Dallas, Tampa
  Issued: 'issued',
  // issue 20: an issued permit nearing its expiration date is still in force
  'About to Expire': 'issued',
  // Dallas; issue 20 ("Pending Inspection"): inspections are booked only on an issued permit
  'Inspection Phase': 'inspections',
  'Pending Inspection': 'inspections',
  // issue 20: a suspended permit stands (it is reinstated, not re-issued, when the suspension is
  // lifted): issued, with the verbatim status saying the work is stopped, as the Socrata tables
  // read SF "suspend" and Austin "Suspended" (../socrata/statuses.ts)
  Suspended: 'issued',
  // issue 20: a stop-work order halts the work until the holder fixes what the inspector found:
  // the permit stands and the holder must act, which is what `corrections` means (as LADBS reads
  // "Intent to Revoke", ../ladbs/statuses.ts)
  'Stop Work Order': 'corrections',
  // HCFL record status and workflow marks: the record went through Issuance, Inspection, Closure.
  Complete: 'closed',
  Final: 'closed',
  Finaled: 'closed',
  'Closed - Finaled': 'closed',
  // Construct; issue 20 ("CO Issued"): a certificate of occupancy ends the building work
  'CofO Issued': 'closed',
  'CO Issued': 'closed',
  // Issue 20, plain "Closed": ACA sets it when the Closure workflow task ends, which on the HCFL
  // capture follows Inspection ("Inspection: Complete" → "Closure: Complete"); agencies that close
  // records without a final use the distinct statuses below (Closed - Expired, Void, Withdrawn,
  // Cancelled), so plain "Closed" is read as the normal end. It is also what Tampa treats as done.
  Closed: 'closed',
  // issue 20: lapses
  Expired: 'expired',
  'Closed - Expired': 'expired',
  // issue 20: voided, cancelled or withdrawn before any work was finished
  Void: 'withdrawn',
  Voided: 'withdrawn',
  Cancelled: 'withdrawn',
  Canceled: 'withdrawn',
  Withdrawn: 'withdrawn',
  // issue 20: refused, or taken back by the agency
  Denied: 'denied',
  Revoked: 'denied',
};

/**
 * Statuses one agency (by ACA agency code) means its own way, where the words alone would read
 * otherwise on another agency's records; they win over the shared table.
 */
export const ACA_AGENCY_STATUS_PHASES: Readonly<Record<string, Readonly<Record<string, StatusPhase>>>> = {
  MERIDIAN: {
    // Every new commercial application in the Meridian capture sits here, applied days before:
    // review. On another agency's records the words could as well mean work under way after
    // issuance, so the shared table leaves "In Progress" out (unknown, reported) until a capture
    // says what that agency means by it.
    'In Progress': 'in_review',
  },
};

function key(status: string): string {
  return status.replace(/\s+/g, ' ').trim().toLowerCase();
}

const SHARED = new Map(Object.entries(ACA_STATUS_PHASES).map(([status, phase]) => [key(status), phase]));
const BY_AGENCY = new Map(
  Object.entries(ACA_AGENCY_STATUS_PHASES).map(([agency, table]) => [
    agency.toUpperCase(),
    new Map(Object.entries(table).map(([status, phase]) => [key(status), phase])),
  ]),
);

/**
 * The phase of a verbatim ACA status for one agency (its ACA agency code, "HCFL"), ignoring case and
 * spacing: the agency's own row first, then the shared one. Null and unlisted statuses are `unknown`.
 */
export function acaPhase(status: string | null, agencyCode: string): StatusPhase {
  if (status === null) return 'unknown';
  const k = key(status);
  return BY_AGENCY.get(agencyCode.toUpperCase())?.get(k) ?? SHARED.get(k) ?? 'unknown';
}
