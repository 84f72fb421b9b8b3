import { describe, expect, it } from 'vitest';
import { SOCRATA_DEMO_PERMITS } from '../../../fixtures/socrata/routes.ts';
import { createCatalog } from '../catalog.ts';
import { Jurisdiction } from '../jurisdiction.ts';
import { SOCRATA_JURISDICTIONS } from './jurisdictions.ts';
import { socrataSettings } from './settings.ts';

describe('SOCRATA_JURISDICTIONS', () => {
  it('has the four slugs of the issue', () => {
    expect(SOCRATA_JURISDICTIONS.map((j) => j.slug)).toEqual(['socrata:chicago', 'socrata:sf', 'socrata:la', 'socrata:austin']);
  });

  it.each(SOCRATA_JURISDICTIONS.map((j) => [j.slug, j]))('%s is a valid catalog entry with valid socrata settings', (_slug, j) => {
    expect(Jurisdiction.safeParse(j).success).toBe(true);
    expect(() => socrataSettings(j)).not.toThrow();
  });

  it('loads into a catalog', () => {
    expect(createCatalog(SOCRATA_JURISDICTIONS).all()).toHaveLength(4);
  });

  it.each(SOCRATA_DEMO_PERMITS.map((p) => [p.jurisdiction, p.permit_number]))('%s matches its demo permit %j', (slug, number) => {
    const j = SOCRATA_JURISDICTIONS.find((x) => x.slug === slug);
    expect(j?.permit_number_patterns.some((p) => new RegExp(p).test(number))).toBe(true);
  });

  it('rejects settings without a 4x4 dataset id', () => {
    const [chicago] = SOCRATA_JURISDICTIONS;
    expect(() => socrataSettings({ ...chicago!, settings: { ...chicago!.settings, dataset_id: 'building-permits' } })).toThrow(/4x4/);
  });
});
