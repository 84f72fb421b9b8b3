import { Jurisdiction } from './jurisdiction.ts';
import { ACCELA_JURISDICTIONS } from './accela/jurisdictions.ts';
import { ARCGIS_JURISDICTIONS } from './arcgis/jurisdictions.ts';
import { LADBS_JURISDICTION } from './ladbs/jurisdiction.ts';
import { SOCRATA_JURISDICTIONS } from './socrata/jurisdictions.ts';

/** Every jurisdiction this build ships, as data (DESIGN.md §6). */
export const CATALOG_ENTRIES: readonly Jurisdiction[] = [
  LADBS_JURISDICTION,
  ...ACCELA_JURISDICTIONS,
  ...SOCRATA_JURISDICTIONS,
  ...ARCGIS_JURISDICTIONS,
];

export interface Catalog {
  all(): readonly Jurisdiction[];
  get(slug: string): Jurisdiction | undefined;
}

/** Validates the entries once (a typo in a pattern fails start-up, not a lookup) and indexes them. */
export function createCatalog(entries: readonly Jurisdiction[] = CATALOG_ENTRIES): Catalog {
  const bySlug = new Map<string, Jurisdiction>();
  for (const entry of entries) {
    const j = Jurisdiction.parse(entry);
    for (const p of j.permit_number_patterns) new RegExp(p);
    if (bySlug.has(j.slug)) throw new Error(`duplicate jurisdiction slug ${j.slug}`);
    bySlug.set(j.slug, j);
  }
  const sorted = [...bySlug.values()].sort((a, b) => a.slug.localeCompare(b.slug));
  return { all: () => sorted, get: (slug) => bySlug.get(slug) };
}
