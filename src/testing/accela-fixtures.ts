import { readFileSync } from 'node:fs';

/** The ACA pages under fixtures/accela/ (provenance in fixtures/accela/PROVENANCE.md), for tests. */
export const ACCELA_FIXTURES = {
  hcflComplete: 'hcfl-capdetail-HC-BTR-26-0338191-excerpt.html',
  osceolaIssued: 'osceola-capdetail-A26-006405-excerpt.html',
  osceolaSubmitted: 'osceola-capdetail-A26-006408-excerpt.html',
  osceolaSearchForm: 'osceola-caphome-search-form-constructed.html',
  osceolaResults: 'osceola-caphome-search-results-derived.html',
  osceolaNoResults: 'osceola-caphome-no-results-constructed.html',
  boiseMeridianManifest: 'boise-meridian-capture-manifest.json',
} as const;

/** Edited copies of the real CapDetail excerpts that must never be read as a record (PROVENANCE.md). */
export const ACCELA_DAMAGED_FIXTURES = {
  osceolaCutAfterHeader: 'osceola-capdetail-A26-006408-damaged-cut-after-header.html',
  osceolaCutInAsi: 'osceola-capdetail-A26-006408-damaged-cut-in-asi.html',
  osceolaNoRecordStatus: 'osceola-capdetail-A26-006408-damaged-no-record-status.html',
  osceolaHeadingInDiv: 'osceola-capdetail-A26-006408-damaged-heading-in-div.html',
  osceolaAsiValueMissing: 'osceola-capdetail-A26-006408-damaged-asi-value-missing.html',
  osceolaConditionWithoutDate: 'osceola-capdetail-A26-006408-damaged-condition-without-date.html',
  hcflAsiValueMissing: 'hcfl-capdetail-HC-BTR-26-0338191-damaged-asi-value-missing.html',
  hcflWorkflowRowWithoutDetail: 'hcfl-capdetail-HC-BTR-26-0338191-damaged-workflow-row-without-detail.html',
} as const;

export function readAccelaFixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/accela/${name}`, import.meta.url), 'utf8');
}
