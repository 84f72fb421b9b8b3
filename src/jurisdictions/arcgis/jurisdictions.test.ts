import { describe, expect, it } from 'vitest';
import { ARCGIS_DEMO_PERMITS } from '../../../fixtures/arcgis/routes.ts';
import { Jurisdiction } from '../jurisdiction.ts';
import { ARCGIS_JURISDICTIONS } from './jurisdictions.ts';
import { layerSettings } from './layer-settings.ts';

describe('ARCGIS_JURISDICTIONS', () => {
  it.each(ARCGIS_JURISDICTIONS.map((j) => [j.slug, j] as const))('%s is a valid catalog entry with valid layer settings', (_slug, j) => {
    expect(Jurisdiction.safeParse(j).success).toBe(true);
    expect(() => layerSettings(j)).not.toThrow();
    expect(j.slug).toMatch(/^arcgis:[a-z-]+$/);
  });

  it.each(ARCGIS_DEMO_PERMITS.map((p) => [p.permit_number, p.jurisdiction] as const))(
    'demo permit %s matches the patterns of %s',
    (number, slug) => {
      const j = ARCGIS_JURISDICTIONS.find((x) => x.slug === slug);
      expect(j?.permit_number_patterns.some((p) => new RegExp(p, 'i').test(number))).toBe(true);
    },
  );

  it('does not claim LADBS numbers', () => {
    const patterns = ARCGIS_JURISDICTIONS.flatMap((j) => j.permit_number_patterns.map((p) => new RegExp(p, 'i')));
    expect(patterns.filter((p) => p.test('16041-10000-23545'))).toEqual([]);
  });
});
