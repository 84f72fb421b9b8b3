import { describe, expect, it } from 'vitest';
import { DEMO_PERMITS } from '../../fixtures/routes.ts';
import { createCatalog } from './catalog.ts';
import { checkPermitNumber, matchJurisdictions } from './match.ts';

const catalog = createCatalog();

describe('detection over the shipped catalog', () => {
  it.each(DEMO_PERMITS.map((p) => [p.permit_number, p.jurisdiction]))('%s is detected as (or among) %s', (number, slug) => {
    const j = catalog.get(slug)!;
    const candidates = matchJurisdictions(catalog, number).map((c) => c.slug);
    if (j.auto_detect === false) expect(candidates).not.toContain(slug);
    else expect(candidates).toContain(slug);
  });

  it('detects LADBS numbers as LADBS only (the open-data mirror needs ?jurisdiction=)', () => {
    expect(matchJurisdictions(catalog, '16041-10000-23545').map((j) => j.slug)).toEqual(['ladbs']);
  });

  it('finds the real overlap between Accela agencies', () => {
    // BLD26-02789 is a real number format shared by Boise and South Pasadena (src/jurisdictions/accela/jurisdictions.test.ts).
    expect(matchJurisdictions(catalog, 'BLD26-02789').map((j) => j.slug)).toEqual(['aca:boise', 'aca:cosp']);
  });

  it('matches nothing for a format no jurisdiction uses', () => {
    expect(matchJurisdictions(catalog, 'XYZ-1')).toEqual([]);
  });

  it.each([
    ['  16041-10000-23545 ', { ok: true, number: '16041-10000-23545' }],
    ['bld26-02789', { ok: true, number: 'BLD26-02789' }],
    ['', { ok: false, reason: 'invalid_permit_number' }],
    ['<script>', { ok: false, reason: 'invalid_permit_number' }],
    ['A'.repeat(65), { ok: false, reason: 'invalid_permit_number' }],
  ])('checkPermitNumber(%j)', (input, expected) => {
    expect(checkPermitNumber(input)).toMatchObject(expected);
  });
});
