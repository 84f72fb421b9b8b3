import type { StatusPhase } from '../../permits/record.ts';
import { ladbsPhase } from '../ladbs/statuses.ts';
import type { STATUS_VOCABULARIES } from './settings.ts';

export type StatusVocabulary = (typeof STATUS_VOCABULARIES)[number];

/**
 * Verbatim status values of each dataset and the phase each means. Policy as data: a new value is
 * one row. Values not listed map to `unknown` (the adapter logs them, and
 * /jurisdictions/{slug}/health and /metrics list them so an operator can add the row). Sources
 * are cited per table; fixtures/socrata/PROVENANCE.md lists them in full.
 *
 * End states are chosen on purpose: `closed` is finished work; `expired` a permit that lapsed;
 * `withdrawn` one cancelled, voided, aborted or revoked before the work was finished; `denied` an
 * application refused. A permit stopped but standing (suspended, on hold) keeps an open phase: it
 * is still active, and the verbatim `status` says why it is stopped.
 *
 * The LA datasets (gwh9-jnip, pi9x-tg5x) publish PCIS's own statuses ("Submitted", "PC Approved",
 * "CofO Issued"), so they share the LADBS table in ../ladbs/statuses.ts rather than copy it.
 */
export const SOCRATA_STATUS_PHASES: Readonly<Record<Exclude<StatusVocabulary, 'ladbs'>, Readonly<Record<string, StatusPhase>>>> = {
  // Chicago ydr8-5enu `permit_status`, "not available for all permit types" (column comment in a
  // public schema of the dataset). Every row is an issued permit ("Permits issued by the
  // Department of Buildings", dataset description), so the values say what became of it.
  // ACTIVE: the issued-and-open filter of a public Chicago permit map. COMPLETE: a public Chicago
  // permit tool's test rows; COMPLETE, EXPIRED and CANCELLED are the values issue 20 lists as
  // seen in the dataset.
  chicago: {
    ACTIVE: 'issued',
    COMPLETE: 'closed',
    EXPIRED: 'expired',
    CANCELLED: 'withdrawn',
  },
  // SF i98e-djp9 `status`, lower-case in the API. issued is in the real 202603238106 row;
  // filed/approved/reinstated/complete/cancelled/withdrawn/suspend/denied/expired are the values a
  // public analysis of a 2026 extract of the dataset filters on; disapproved, incomplete and
  // appeal are values issue 20 lists as seen; plancheck, triage and revoked come from the
  // issue's earlier list of SF values only (no capture shows them yet).
  sf: {
    triage: 'applied',
    filed: 'applied',
    // DBI holds an application it cannot review until the applicant supplies what is missing:
    // the applicant must act, which is what `corrections` means.
    incomplete: 'corrections',
    plancheck: 'in_review',
    // The permit is before the Board of Appeals: a decision is pending, nothing is ended.
    appeal: 'in_review',
    approved: 'approved',
    issued: 'issued',
    // a permit reinstated after it lapsed is a live, issued permit again
    reinstated: 'issued',
    // A suspended permit stands (it is reinstated, not re-issued, when the suspension is
    // lifted): issued, with the verbatim status saying the work is stopped.
    suspend: 'issued',
    complete: 'closed',
    expired: 'expired',
    cancelled: 'withdrawn',
    withdrawn: 'withdrawn',
    // DBI takes the permit back: it ends without the work being finished
    revoked: 'withdrawn',
    denied: 'denied',
    disapproved: 'denied',
  },
  // Austin 3syk-w9eu `status_current`: Final in the real 2009-074412 EP row, Active in the captured
  // daily issued-permits report (portal-samples/austin); Void, Withdrawn and Cancelled in public
  // code dropping dead permits; Expired in the dataset notes ("Expired permits are those that were
  // issued, b..."); Issued in public SoQL filters; Closed, Aborted, Pending Permit, On Hold and
  // Suspended are values issue 20 lists as seen.
  austin: {
    // Not yet issued: the folder waits for issuance. Conservatively `applied`, never `approved`
    // (which would announce an approval the row does not state).
    'Pending Permit': 'applied',
    Active: 'issued',
    Issued: 'issued',
    // Stopped, not ended: the permit stands and the verbatim status says why.
    'On Hold': 'issued',
    Suspended: 'issued',
    Final: 'closed',
    // The folder is closed: no further inspections are open on it.
    Closed: 'closed',
    Expired: 'expired',
    // Abandoned before the work was done, like Void, Withdrawn and Cancelled.
    Aborted: 'withdrawn',
    Void: 'withdrawn',
    Withdrawn: 'withdrawn',
    Cancelled: 'withdrawn',
  },
};

const BY_KEY = new Map(
  Object.entries(SOCRATA_STATUS_PHASES).map(([vocabulary, table]) => [
    vocabulary,
    new Map(Object.entries(table).map(([status, phase]) => [statusKey(status), phase])),
  ]),
);

function statusKey(status: string): string {
  return status.replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * The phase of a row's verbatim status in its dataset's vocabulary (case and spacing ignored).
 * Unlisted values, and a row without a status, are `unknown`: a date never stands in for a
 * status. Chicago leaves `permit_status` empty for many permit types (the real 100858762 row
 * has no such column); its issue date says the permit was issued once, not whether it is still
 * open, complete or expired, and none of these datasets documents a phase by dates.
 */
export function socrataPhase(vocabulary: StatusVocabulary, status: string | null): StatusPhase {
  if (status === null) return 'unknown';
  if (vocabulary === 'ladbs') return ladbsPhase(status);
  return BY_KEY.get(vocabulary)?.get(statusKey(status)) ?? 'unknown';
}
