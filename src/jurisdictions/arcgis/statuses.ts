import type { PermitRecord, StatusPhase } from '../../permits/record.ts';

/**
 * Each layer's status vocabulary and the phase each value means, by jurisdiction slug. Policy
 * as data: a new value is one row. Only values seen in captured layer metadata are listed
 * (fixtures/arcgis/PROVENANCE.md); anything else maps to `unknown` and the adapter logs it.
 */
export const ARCGIS_STATUS_PHASES: Readonly<Record<string, Readonly<Record<string, StatusPhase>>>> = {
  // STATUSCAT, the layer's own status category: the five UniqueValueInfos of its renderer on the
  // Permits_Building layers page (shared/portal-samples/arcgis/permit-layer-metadata-excerpts.txt).
  'arcgis:jackson-county': {
    Pending: 'applied',
    Approved: 'approved',
    // One category for two endings. A building permit is far more often left to lapse than
    // refused, and a lapse must never read as closed, so it is `expired`.
    'Denied or Expired': 'expired',
    Withdrawn: 'withdrawn',
    // "Other" is a catch-all with no phase: left out, so it logs as unknown.
  },
};

const tables = new Map(
  Object.entries(ARCGIS_STATUS_PHASES).map(([slug, table]) => [slug, new Map(Object.entries(table).map(([s, p]) => [key(s), p]))]),
);

function key(status: string): string {
  return status.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** The phase of a layer's verbatim status (case and spacing ignored); unlisted, or a layer without a table, is `unknown`. */
export function arcgisPhase(slug: string, status: string | null): StatusPhase {
  if (status === null) return 'unknown';
  return tables.get(slug)?.get(key(status)) ?? 'unknown';
}

/**
 * The phase of a permit on a layer that publishes no status field (Bellingham, Eloy): its
 * furthest milestone date. A finaled date means the work was signed off; an issue date, issued;
 * an application date, applied. Without any it is `unknown`.
 */
export function phaseFromDates(dates: PermitRecord['dates']): StatusPhase {
  if (dates.finaled) return 'closed';
  if (dates.issued) return 'issued';
  if (dates.applied) return 'applied';
  return 'unknown';
}
