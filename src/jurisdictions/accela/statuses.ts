import type { StatusPhase } from '../../permits/record.ts';

/**
 * Verbatim ACA record statuses (and workflow "Marked as" statuses) and the phase each means.
 * Agencies name their own statuses, so the table grows by capture; policy as data, a new status
 * is one row. Anything not here is `unknown` and logged by the adapter, never guessed.
 *
 * Sources, per row group (files under fixtures/accela/ unless said otherwise):
 * - HCFL: the real CapDetail excerpt (record status, workflow marks).
 * - Osceola: the real CapDetail excerpts and search grid.
 * - Boise, Meridian: boise-meridian-capture-manifest.json (real search rows).
 * - Dallas, Tampa: statuses quoted from their live portals in public client tests (find_string
 *   "Inspection Phase" in a Dallas Accela connector test; "Awaiting Client Reply" in a Tampa ACA
 *   service test).
 * - Construct: the REST v4 sandbox records (/work/shared/portal-samples/accela-construct-api/),
 *   statuses shared by ACA agencies built on Accela's standard workflow.
 * Left out on purpose: "Closed" (Tampa treats it as done, but in Accela it also ends records that
 * never finaled; src/permits/phases.ts keeps `closed` for finished work) and void/cancel/expiry
 * strings no capture shows yet: they log as unknown until one does.
 */
export const ACA_STATUS_PHASES: Readonly<Record<string, StatusPhase>> = {
  // Osceola, Construct: intake
  'Application Submitted': 'applied',
  Submitted: 'applied',
  Received: 'applied',
  Pending: 'applied',
  // Boise: the applicant still has documents to upload before review starts.
  'Applicant Upload': 'applied',
  // Boise: completeness check by staff, the first review step.
  Prescreen: 'in_review',
  'In Review': 'in_review',
  'Plan Review': 'in_review',
  // Meridian: every new commercial application in the capture sits here, applied days before.
  'In Progress': 'in_review',
  // Tampa
  'In Process': 'in_review',
  'Awaiting Client Reply': 'corrections',
  // Construct
  'Ready to Issue': 'approved',
  // HCFL workflow mark, Osceola record status, Dallas, Tampa
  Issued: 'issued',
  // Dallas
  'Inspection Phase': 'inspections',
  // HCFL record status and workflow marks: the record went through Issuance, Inspection, Closure.
  Complete: 'closed',
  // Tampa ("Final" is not open); Osceola harvester README lists "Finaled" among record statuses.
  Final: 'closed',
  Finaled: 'closed',
  // Construct
  'CofO Issued': 'closed',
};

const BY_KEY = new Map(Object.entries(ACA_STATUS_PHASES).map(([status, phase]) => [key(status), phase]));

function key(status: string): string {
  return status.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** The phase of a verbatim ACA status, ignoring case and spacing; null and unlisted statuses are `unknown`. */
export function acaPhase(status: string | null): StatusPhase {
  if (status === null) return 'unknown';
  return BY_KEY.get(key(status)) ?? 'unknown';
}
