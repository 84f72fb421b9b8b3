/** How a completed inspection's verbatim result counts toward the pass rate. */
export type InspectionOutcome = 'pass' | 'fail' | 'other';

// Checked first: "Not Approved", "Partial Approval" and "Disapproved" contain pass words.
const FAIL_PATTERNS = [
  /\bnot\s+(approved|ready|passed)\b/i,
  /\bdisapprov/i,
  /\bpartial/i,
  /\bfail/i,
  /\bcorrection/i,
  /\breject/i,
  /\bno\s+access\b/i,
];
// "Permit Finaled" is how PCIS records a passed final inspection
// (fixtures/ladbs/ladbs-pcis-detail-16041-10000-23545.html, Inspection Request History).
const PASS_PATTERNS = [/\bapprov/i, /\bpass/i, /\bfinaled\b/i, /\bok\b/i, /\bcomplete[d]?\b/i];

/**
 * Classifies a verbatim inspection result. Anything neither a clear pass nor a clear fail
 * (cancelled, rescheduled, unreadable) is `other`: it counts as completed but not as passed.
 */
export function inspectionOutcome(result: string | null): InspectionOutcome {
  if (!result) return 'other';
  if (FAIL_PATTERNS.some((p) => p.test(result))) return 'fail';
  if (PASS_PATTERNS.some((p) => p.test(result))) return 'pass';
  return 'other';
}
