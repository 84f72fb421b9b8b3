import { readFileSync } from 'node:fs';

/** The SODA answers under fixtures/socrata/ (provenance in fixtures/socrata/PROVENANCE.md), for tests. */
export const SOCRATA_FIXTURES = {
  chicago: 'chicago-permit-100858762.json',
  sf: 'sf-permit-202603238106.json',
  la: 'la-permit-22010-20000-03007.json',
  austin: 'austin-permit-2009-074412-ep.json',
  noRows: 'socrata-no-rows.json',
  // edited copies of the real rows (fixtures/socrata/PROVENANCE.md, "Edited copies")
  chicagoComplete: 'chicago-permit-100858762-edited-complete.json',
  sfUnitSuspend: 'sf-permit-202603238106-edited-unit-suspend.json',
  austinOnHoldTrades: 'austin-permit-2009-074412-ep-edited-on-hold-trades.json',
} as const;

export function readSocrataFixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/socrata/${name}`, import.meta.url), 'utf8');
}
