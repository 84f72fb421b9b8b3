import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.ts';
import { specDatabase } from '../testing/projection-spec.ts';
import { SORT_KEYS } from './search.ts';
import { ftsQuery, queryWords, searchDrivers, searchSql, type SearchFilters, type SearchSort } from './search-query.ts';

let db: Db;
beforeAll(async () => {
  db = await specDatabase();
});
afterAll(() => db.close());

// One search per filter the route takes, and all of them at once.
const FILTERS: [string, SearchFilters][] = [
  ['none', {}],
  ['jurisdiction', { jurisdiction: 'socrata:sf' }],
  ['city', { city: 'San Francisco' }],
  ['state', { state: 'CA' }],
  ['zip_code', { zip_code: '94104' }],
  ['category', { category: 'solar' }],
  ['status_phase', { status_phase: 'issued' }],
  ['filed_after', { filed_after: '2026-01-01' }],
  ['filed_before', { filed_before: '2026-01-01' }],
  ['issued_after and issued_before', { issued_after: '2026-01-01', issued_before: '2026-03-31' }],
  ['min_value', { min_value: 100_000 }],
  ['max_value', { max_value: 100_000 }],
  ['q', { words: ['solar', 'pan'] }],
  ['near', { near: { lat: 37.79, lng: -122.4, radius_m: 500 } }],
  // Wider than PLACE_STRIPS_LISTED_MAX strips: read as one range of strips.
  ['near, 100 km at 70°N', { near: { lat: 70, lng: 20, radius_m: 100_000 } }],
  [
    'all of them',
    {
      jurisdiction: 'socrata:sf',
      city: 'San Francisco',
      state: 'CA',
      zip_code: '94104',
      category: 'solar',
      status_phase: 'issued',
      filed_after: '2025-01-01',
      issued_before: '2026-12-31',
      min_value: 1,
      max_value: 1e7,
      words: ['solar'],
      near: { lat: 37.79, lng: -122.4, radius_m: 500 },
    },
  ],
];
const CASES = FILTERS.flatMap(([name, filters]) =>
  (Object.keys(SORT_KEYS) as SearchSort[]).flatMap((sort) =>
    searchDrivers(filters, sort).flatMap((driver) => {
      const by = driver.by === 'range' ? `range ${driver.range}` : driver.by;
      return [
        [`${name}, ${sort}, by ${by}, first page`, filters, sort, undefined, driver] as const,
        [`${name}, ${sort}, by ${by}, later page`, filters, sort, { key: '2026-01-01', doc: 4_000 }, driver] as const,
      ];
    }),
  ),
);

describe('search SQL', () => {
  // "SCAN permit_search" without an index reads every row: the request path must never do it.
  it.each(CASES)('never scans the whole table: %s', async (_, filters, sort, after, driver) => {
    const { sql, params } = searchSql(filters, sort, after, 25, driver);
    const steps = await db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params);
    const details = steps.map((p) => p.detail);
    expect(
      details.filter((d) => /^SCAN (s|permit_search)\b/.test(d) && !/USING (COVERING )?INDEX/.test(d)),
      details.join('\n'),
    ).toEqual([]);
    // The page's rows are read whole by primary key, one each, after the inner query found them.
    expect(details, details.join('\n')).toContain('SEARCH s USING INTEGER PRIMARY KEY (rowid=?)');
    // The freshness join looks each row up by its key.
    expect(
      details.some((d) => /^SCAN f\b/.test(d)),
      details.join('\n'),
    ).toBe(false);
  });

  it('quotes every word for FTS5, so none is read as syntax, and lets the last be a prefix', () => {
    expect(queryWords('solar OR "pan" NEAR(x) col:1')).toEqual(['solar', 'OR', 'pan', 'NEAR', 'x', 'col', '1']);
    expect(ftsQuery(['solar', 'OR', 'pan'])).toBe('"solar" "OR" "pan"*');
  });
});
