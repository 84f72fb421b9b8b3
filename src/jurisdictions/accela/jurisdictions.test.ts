import { describe, expect, it } from 'vitest';
import { createCatalog } from '../catalog.ts';
import { matchJurisdictions } from '../match.ts';
import { acaSettings } from './aca-settings.ts';
import { ACCELA_JURISDICTIONS } from './jurisdictions.ts';

const catalog = createCatalog(ACCELA_JURISDICTIONS);
const matches = (n: string) => matchJurisdictions(catalog, n).map((j) => j.slug);

describe('Accela catalog', () => {
  it('has at least six agencies, each a valid entry with ACA settings and an aca: slug', () => {
    expect(catalog.all().length).toBeGreaterThanOrEqual(6);
    for (const j of ACCELA_JURISDICTIONS) {
      expect(j.slug).toMatch(/^aca:[a-z]+$/);
      expect(() => acaSettings(j)).not.toThrow();
      expect(new URL(j.base_url).pathname).toBe('/');
    }
  });

  // Real record numbers (sources in jurisdictions.ts) and every catalog entry each one matches.
  it.each([
    ['HC-BTR-26-0338191', ['aca:hcfl']],
    ['A26-006405', ['aca:osceola']],
    ['C-NEW-2026-0052', ['aca:meridian']],
    ['C-SHELL-2026-0029', ['aca:meridian']],
    ['UTL-26-0000588', ['aca:tampa']],
    ['BTX-R-26-1012368', ['aca:tampa']],
    ['COM-MEC-26-002405', ['aca:dallas']],
    ['B2019-05574', ['aca:berkeley']],
    ['BLD26-0131', ['aca:cosp']],
    // Overlap: Boise's five-digit sequence is also a valid South Pasadena number: HTTP 300 without ?jurisdiction=.
    ['BLD26-02789', ['aca:boise', 'aca:cosp']],
  ] as const)('%s matches %j', (number, slugs) => {
    expect(matches(number)).toEqual(slugs);
  });

  it('temporary and foreign numbers match no ACA agency', () => {
    expect(matches('OSCTEMP26-35056')).toEqual([]);
    expect(matches('26TMP-153554')).toEqual([]);
    expect(matches('16041-10000-23545')).toEqual([]);
  });
});
