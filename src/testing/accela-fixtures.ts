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

export function readAccelaFixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/accela/${name}`, import.meta.url), 'utf8');
}
