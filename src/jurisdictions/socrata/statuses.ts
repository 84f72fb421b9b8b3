import type { StatusPhase } from '../../permits/record.ts';
import { ladbsPhase } from '../ladbs/statuses.ts';
import type { STATUS_VOCABULARIES } from './settings.ts';

export type StatusVocabulary = (typeof STATUS_VOCABULARIES)[number];

/**
 * Verbatim status values of each dataset and the phase each means. Policy as data: a new value is
 * one row. Values not listed map to `unknown` (the adapter logs them). Sources are cited per
 * table; fixtures/socrata/PROVENANCE.md lists them in full. Void, cancelled and withdrawn permits
 * end as `withdrawn`, lapsed ones as `expired`: `closed` is kept for finished work.
 *
 * The LA datasets (gwh9-jnip, pi9x-tg5x) publish PCIS's own statuses ("Submitted", "PC Approved",
 * "CofO Issued"), so they share the LADBS table in ../ladbs/statuses.ts rather than copy it.
 */
export const SOCRATA_STATUS_PHASES: Readonly<Record<Exclude<StatusVocabulary, 'ladbs'>, Readonly<Record<string, StatusPhase>>>> = {
  // Chicago ydr8-5enu `permit_status`, "not available for all permit types" (column comment in a
  // public schema of the dataset). Only ACTIVE is attested (`permit_status='ACTIVE'` is the
  // issued-and-open filter a public Chicago map uses); every row of the dataset is an issued
  // permit ("Permits issued by the Department of Buildings", dataset description).
  chicago: {
    ACTIVE: 'issued',
  },
  // SF i98e-djp9 `status`, lower-case in the API. issued is in the real 202603238106 row;
  // filed/approved/reinstated/complete/cancelled/withdrawn/suspend/denied/expired are the values a
  // public analysis of a 2026 extract of the dataset filters on. plancheck, triage and revoked
  // come from the list of SF values only: no capture shows them yet.
  sf: {
    triage: 'applied',
    filed: 'applied',
    plancheck: 'in_review',
    approved: 'approved',
    issued: 'issued',
    // a permit reinstated after it lapsed is a live, issued permit again
    reinstated: 'issued',
    complete: 'closed',
    expired: 'expired',
    cancelled: 'withdrawn',
    withdrawn: 'withdrawn',
    // DBI takes the permit back: it ends without the work being finished
    revoked: 'withdrawn',
    denied: 'denied',
    // "suspend" is left out on purpose: work is stopped but the permit stands; no phase fits, so
    // it logs as unknown.
  },
  // Austin 3syk-w9eu `status_current`: Final in the real 2009-074412 EP row, Active in the captured
  // daily issued-permits report (portal-samples/austin); Void,
  // Withdrawn and Cancelled in public code dropping dead permits; Expired in the dataset notes
  // ("Expired permits are those that were issued, b..."); Issued in public SoQL filters.
  austin: {
    Active: 'issued',
    Issued: 'issued',
    Final: 'closed',
    Expired: 'expired',
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

/** The phase of a verbatim status in a dataset's vocabulary (case and spacing ignored); unlisted or null → `unknown`. */
export function socrataPhase(vocabulary: StatusVocabulary, status: string | null): StatusPhase {
  if (status === null) return 'unknown';
  if (vocabulary === 'ladbs') return ladbsPhase(status);
  return BY_KEY.get(vocabulary)?.get(statusKey(status)) ?? 'unknown';
}

/**
 * The phase of a row. A row without a status but with an issue date is `issued`: Chicago leaves
 * `permit_status` empty for many permit types (the 100858762 row has no such column), and a row
 * of its dataset with an issue date is by definition an issued permit.
 */
export function socrataRecordPhase(vocabulary: StatusVocabulary, status: string | null, issued: string | null): StatusPhase {
  if (status === null) return issued === null ? 'unknown' : 'issued';
  return socrataPhase(vocabulary, status);
}
