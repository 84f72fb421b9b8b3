import type { StatusPhase } from '../../permits/record.ts';
import type { Milestone } from './layer-settings.ts';

/** A layer's status tables: its detailed status field, and the coarser category consulted when the status is empty or unlisted. */
export interface LayerStatusTables {
  status: Readonly<Record<string, StatusPhase>>;
  status_category: Readonly<Record<string, StatusPhase>>;
}

/**
 * Each layer's status vocabularies and the phase each value means, by jurisdiction slug. Policy
 * as data: a new value is one row. Anything unlisted maps to `unknown`; the adapter logs it and
 * /jurisdictions/{slug}/health lists it. Sources: fixtures/arcgis/PROVENANCE.md.
 */
export const ARCGIS_STATUS_PHASES: Readonly<Record<string, LayerStatusTables>> = {
  'arcgis:jackson-county': {
    // PERMITSTAT, the county's own permit status (Oregon ePermitting). No capture shows this
    // layer's values, so only statuses whose words leave no doubt are listed; the rest fall to
    // the category below, then to unknown.
    status: {
      Submitted: 'applied',
      Applied: 'applied',
      'In Review': 'in_review',
      'Plan Review': 'in_review',
      Approved: 'approved',
      'Ready to Issue': 'approved',
      Issued: 'issued',
      Finaled: 'closed',
      Final: 'closed',
      Completed: 'closed',
      Expired: 'expired',
      Withdrawn: 'withdrawn',
      Cancelled: 'withdrawn',
      Void: 'withdrawn',
      Denied: 'denied',
    },
    // STATUSCAT, the five UniqueValueInfos of the layer's renderer
    // (shared/portal-samples/arcgis/permit-layer-metadata-excerpts.txt). Only the categories that
    // are one end state are listed: "Pending" spans intake and review, "Approved" everything from
    // approval to final inspection (an issued or finaled permit is in it too), "Other" anything,
    // so reading a phase from them would be a guess; they give unknown.
    status_category: {
      Withdrawn: 'withdrawn',
      // One category for two endings. A building permit is far more often left to lapse than
      // refused, and a lapse must never read as closed or active, so it is `expired`.
      'Denied or Expired': 'expired',
    },
  },
};

const tables = new Map(
  Object.entries(ARCGIS_STATUS_PHASES).map(([slug, t]) => [
    slug,
    { status: byKey(t.status), status_category: byKey(t.status_category) },
  ]),
);

function byKey(table: Readonly<Record<string, StatusPhase>>): ReadonlyMap<string, StatusPhase> {
  return new Map(Object.entries(table).map(([s, p]) => [key(s), p]));
}

function key(status: string): string {
  return status.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** The phase of a verbatim value in one of a layer's tables (case and spacing ignored); unlisted, null, or a layer without a table is `unknown`. */
export function arcgisPhase(slug: string, table: keyof LayerStatusTables, value: string | null): StatusPhase {
  if (value === null) return 'unknown';
  return tables.get(slug)?.[table].get(key(value)) ?? 'unknown';
}

/**
 * The phase of a permit on a layer that publishes milestone dates instead of a status: the
 * phase of the first milestone in the layer's list whose field is set. A layer lists only the
 * milestones its fields document, so an open phase is read only where the layer also publishes
 * what ends it (Bellingham's EXPIRED and FINALED): Eloy publishes no expiry, so an Eloy permit
 * with an issue date and no final date is `unknown`, not issued forever. Nothing set: `unknown`.
 */
export function phaseFromMilestones(milestones: readonly Milestone[], isSet: (field: string) => boolean): StatusPhase {
  return milestones.find((m) => isSet(m.field))?.phase ?? 'unknown';
}
