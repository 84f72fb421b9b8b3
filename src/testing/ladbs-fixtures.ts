import { readFileSync } from 'node:fs';

/** The LADBS pages under fixtures/ladbs/ (provenance in fixtures/ladbs/PROVENANCE.md), for tests. */
export const LADBS_FIXTURES = {
  finaled: 'ladbs-pcis-detail-16041-10000-23545.html',
  corrections: 'ladbs-pcis-detail-26014-10000-00017.html',
  preInspection: 'ladbs-pcis-detail-26030-10000-01235.html',
  derivedIssued: 'ladbs-pcis-detail-26014-10000-00017-derived-v2-issued.html',
  derivedInspected: 'ladbs-pcis-detail-26014-10000-00017-derived-v3-inspection-passed.html',
  searchForm: 'ladbs-online-services-permit-report-search-form.html',
  notFoundShell: 'ladbs-pcis-detail-not-found-shell-derived.html',
} as const;

/** Edited copies of the real 16041 page that must never be read as a permit (PROVENANCE.md). */
export const LADBS_DAMAGED_FIXTURES = {
  cutInHistory: 'ladbs-pcis-detail-16041-10000-23545-damaged-cut-in-history.html',
  noCurrentStatus: 'ladbs-pcis-detail-16041-10000-23545-damaged-no-current-status.html',
  extraInspectionCell: 'ladbs-pcis-detail-16041-10000-23545-damaged-extra-inspection-cell.html',
  headerRowInTd: 'ladbs-pcis-detail-16041-10000-23545-damaged-header-row-in-td.html',
  headingInDiv: 'ladbs-pcis-detail-16041-10000-23545-damaged-heading-in-div.html',
} as const;

/** The detail pages, real and derived: every one holds a permit. */
export const LADBS_DETAIL_FIXTURES = [
  LADBS_FIXTURES.finaled,
  LADBS_FIXTURES.corrections,
  LADBS_FIXTURES.preInspection,
  LADBS_FIXTURES.derivedIssued,
  LADBS_FIXTURES.derivedInspected,
] as const;

export function readLadbsFixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/ladbs/${name}`, import.meta.url), 'utf8');
}
