import { readFileSync } from 'node:fs';

/** The constructed query responses under fixtures/arcgis/ (see PROVENANCE.md there), for tests. */
export const ARCGIS_FIXTURES = {
  bellinghamPermit: 'bellingham-query-bld2024-0412.json',
  bellinghamNotFound: 'bellingham-query-not-found.json',
  bellinghamPage1: 'bellingham-changed-since-page-1.json',
  bellinghamPage2: 'bellingham-changed-since-page-2.json',
  jacksonCountyPermit: 'jackson-county-query-439-bld2024-00871.json',
  eloyPermit: 'eloy-query-24117.json',
  // edited copies (fixtures/arcgis/PROVENANCE.md, "Edited copies")
  bellinghamExpired: 'bellingham-query-bld2024-0412-edited-expired.json',
  bellinghamMidnightUtc: 'bellingham-query-bld2024-0412-edited-midnight-utc.json',
  eloyFinaled: 'eloy-query-24117-edited-finaled.json',
} as const;

export function readArcgisFixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/arcgis/${name}`, import.meta.url), 'utf8');
}
