import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db, SqlValue } from '../db/db.ts';
import { applyMigrations } from '../db/migrate.ts';
import { ALL_MIGRATIONS } from '../db/migrations.ts';
import { openDb } from '../db/open.ts';
import { permitId } from '../events/permit-id.ts';
import { batchings, handleBatches, observations, observedAt, rowsOf, specDatabase } from '../testing/projection-spec.ts';
import { testRecord } from '../testing/test-record.ts';
import { generatedCity } from '../testing/generated-city.ts';
import { searchProjection, SORT_KEYS } from './search.ts';
import {
  FTS_SORT_MAX,
  searchDrivers,
  searchPermits,
  searchPlan,
  searchSql,
  textMatch,
  type SearchAfter,
  type SearchDriver,
  type SearchFilters,
  type SearchRow,
  type SearchSort,
} from './search-query.ts';

let db: Db;
beforeEach(async () => {
  db = await specDatabase();
});
afterEach(() => db.close());

const filed = testRecord({
  jurisdiction: 'socrata:sf',
  permit_number: '202603238106',
  status: 'filed',
  portal_status: 'filed',
  status_phase: 'applied',
  category: 'solar',
  work_description: 'Install rooftop solar panels',
  address: { street: '555 California St', city: 'San Francisco', state: 'ca', zip: '94104-1503' },
  valuation: 8285917,
  latitude: 37.792579585,
  longitude: -122.403518141,
  dates: { applied: '2026-03-23', issued: null },
});
const issued = {
  ...filed,
  status: 'issued',
  portal_status: 'issued',
  status_phase: 'issued' as const,
  dates: { ...filed.dates, issued: '2026-04-10' },
};
const other = testRecord({ permit_number: '16041-10000-00002', work_description: 'Reroof', dates: { issued: null } });

describe('search projection', () => {
  // Given: an SF permit filed, an LADBS one seen, the SF one issued.
  const events = observations(filed, other, issued);

  it.each(batchings(events))('given events handed as %s, holds one row per permit, its text indexed once', async (_, batches) => {
    await handleBatches(db, searchProjection, batches);
    const rows = await rowsOf(db, 'permit_search', 'doc');
    expect(rows).toEqual([
      {
        doc: 1,
        stream: 'permit/socrata:sf/202603238106',
        jurisdiction: 'socrata:sf',
        permit_number: '202603238106',
        status: 'issued',
        portal_status: 'issued',
        status_phase: 'issued',
        permit_type: 'Electrical',
        category: 'solar',
        address_line: '555 California St San Francisco ca 94104-1503',
        work_description: 'Install rooftop solar panels',
        city_key: 'san francisco',
        state_key: 'CA',
        zip: '94104',
        estimated_value: 8285917,
        date_filed: '2026-03-23',
        date_issued: '2026-04-10',
        latitude: 37.792579585,
        longitude: -122.403518141,
        issued_key: '2026-04-10',
        filed_key: '2026-03-23',
        updated_key: observedAt(2),
        first_seen_at: observedAt(0),
        version: 2,
        source_url: 'https://portal.invalid/2',
      },
      expect.objectContaining({ doc: 2, permit_number: '16041-10000-00002', issued_key: '', latitude: null, version: 1 }),
    ]);
    // The FTS index is contentless: what it holds shows in which rowids its words find.
    const docs = async (match: string) =>
      (await db.all<{ rowid: number }>('SELECT rowid FROM permit_search_fts WHERE permit_search_fts MATCH ? ORDER BY rowid', [match])).map(
        (r) => r.rowid,
      );
    expect(await docs('solar')).toEqual([1]);
    expect(await docs('california')).toEqual([1]);
    expect(await docs('reroof')).toEqual([2]);
    expect(await docs('install OR reroof')).toEqual([1, 2]);
    expect((await db.get<{ n: number }>('SELECT count(*) AS n FROM permit_search_fts'))?.n).toBe(2);
  });

  it('keeps every row and its text through 0092, the UUID column gone and every index ending in doc', async () => {
    await handleBatches(db, searchProjection, [events]);
    const expected = await rowsOf(db, 'permit_search', 'doc');
    // Given: a database of the shape before 0092 (doc the rowid, the UUID a column), holding the same permits.
    const old = openDb(':memory:');
    try {
      await applyMigrations(old, ALL_MIGRATIONS.filter((m) => m.id < '0092'));
      for (const row of expected) {
        const withId = { ...row, id: permitId(String(row.stream)) };
        const cols = Object.keys(withId);
        await old.run(`INSERT INTO permit_search (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, Object.values(withId) as SqlValue[]);
        await old.run('INSERT INTO permit_search_fts (rowid, work_description, address_line) VALUES (?, ?, ?)', [row.doc, row.work_description, row.address_line] as SqlValue[]);
      }
      // When: the rest of the migrations run.
      expect(await applyMigrations(old, ALL_MIGRATIONS)).toContain('0092_search_doc_order');
      // Then: the same rows as the projection writes today, found by words, filters and cursor alike.
      expect(await rowsOf(old, 'permit_search', 'doc')).toEqual(expected);
      const page = await searchPermits(old, { words: ['solar'] }, '-issued', undefined, 10);
      expect(page.map((r) => r.permit_number)).toEqual(['202603238106']);
      const [first] = await searchPermits(old, {}, '-issued', undefined, 1);
      const rest = await searchPermits(old, {}, '-issued', { key: first!.sort_key, doc: first!.doc }, 10);
      expect(rest.map((r) => r.permit_number)).toEqual(['16041-10000-00002']);
      const indexes = await old.all<{ name: string; sql: string }>(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'permit_search' AND sql IS NOT NULL ORDER BY name",
      );
      expect(indexes.map((i) => i.name)).toEqual([
        'permit_search_by_city_key',
        'permit_search_by_doc',
        'permit_search_by_filed',
        'permit_search_by_issued',
        'permit_search_by_jurisdiction',
        'permit_search_by_place',
        'permit_search_by_updated',
        'permit_search_by_value',
        'permit_search_by_zip',
      ]);
      for (const i of indexes) expect(i.sql, i.name).toMatch(/\bdoc\b/);
    } finally {
      await old.close();
    }
  });

  it('answers the filters from the rows it holds', async () => {
    await handleBatches(db, searchProjection, [events]);
    const ids = async (filters: Parameters<typeof searchPermits>[1]) =>
      (await searchPermits(db, filters, '-issued', undefined, 10)).map((r) => r.permit_number);
    expect(await ids({ city: 'SAN  FRANCISCO', state: 'CA', zip_code: '94104' })).toEqual(['202603238106']);
    expect(await ids({ words: ['solar', 'pan'] })).toEqual(['202603238106']);
    expect(await ids({ words: ['reroof'] })).toEqual(['16041-10000-00002']);
    expect(await ids({ near: { lat: 37.7946, lng: -122.3999, radius_m: 400 } })).toEqual(['202603238106']);
    // 555 California St is about 390 m from that point, diagonally: inside the 350 m box, outside its circle.
    expect(await ids({ near: { lat: 37.7946, lng: -122.3999, radius_m: 350 } })).toEqual([]);
    expect(await ids({ issued_after: '2026-04-10', issued_before: '2026-04-10' })).toEqual(['202603238106']);
    expect(await ids({ issued_before: '2026-12-31' })).toEqual(['202603238106']);
    expect(await ids({ min_value: 1_000_000, max_value: 9_000_000 })).toEqual(['202603238106']);
    // Descending by issue date, a permit never issued last.
    expect(await ids({})).toEqual(['202603238106', '16041-10000-00002']);
  });

  // Each driver reads other indexes in another order: all must give the same pages, cursor after cursor.
  describe('gives the same pages whichever driver reads them', () => {
    const city = generatedCity(600, { seed: 5 });
    const FILTERS: [string, SearchFilters][] = [
      ['filed window', { filed_after: '2022-01-01', filed_before: '2023-06-30' }],
      ['issued window', { issued_after: '2021-05-01', issued_before: '2024-05-01' }],
      ['filed before only', { filed_before: '2021-12-31' }],
      ['value range', { min_value: 200_000, max_value: 900_000 }],
      ['near', { near: { lat: 37.75, lng: -122.44, radius_m: 3_000 } }],
      ['near, read as one range of strips', { near: { lat: 37.75, lng: -122.44, radius_m: 100_000 } }],
      ['words', { words: ['solar', 'he'] }],
      [
        'all of them',
        { state: 'CA', filed_after: '2021-01-01', min_value: 10_000, words: ['he'], near: { lat: 37.76, lng: -122.45, radius_m: 5_000 } },
      ],
    ];
    const cases = FILTERS.flatMap(([name, filters]) =>
      (Object.keys(SORT_KEYS) as SearchSort[]).map((sort) => [`${name}, ${sort}`, filters, sort] as const),
    );

    async function allPages(filters: SearchFilters, sort: SearchSort, driver: SearchDriver): Promise<string[]> {
      const out: string[] = [];
      let after: SearchAfter | undefined;
      for (;;) {
        const { sql, params } = searchSql(filters, sort, after, 7, driver);
        const rows = await db.all<SearchRow>(sql, params);
        out.push(...rows.map((r) => r.permit_number));
        if (rows.length < 7) return out;
        after = { key: rows[6]!.sort_key, doc: rows[6]!.doc };
      }
    }

    it.each(cases)('%s', async (_, filters, sort) => {
      await handleBatches(db, searchProjection, [observations(...city)]);
      const walked = await allPages(filters, sort, { by: 'sort' });
      expect(walked.length).toBeGreaterThan(7);
      expect(new Set(walked).size).toBe(walked.length);
      for (const driver of searchDrivers(filters, sort).slice(1))
        expect(await allPages(filters, sort, driver), JSON.stringify(driver)).toEqual(walked);
      // And what searchPermits picks by counting gives the first page of the same.
      expect((await searchPermits(db, filters, sort, undefined, 7)).map((r) => r.permit_number)).toEqual(walked.slice(0, 7));
    });
  });

  describe('the words of q', () => {
    it('spells a prefix out as the terms it stands for, and keeps FTS5 syntax out of it', async () => {
      await handleBatches(db, searchProjection, [events]);
      expect(await textMatch(db, ['Solar', 'pan'])).toEqual({ match: '"solar" AND "panels"' });
      // A word twice is one word; as the last it is also a prefix, which the whole word already meets.
      expect(await textMatch(db, ['reroof', 'REROOF'])).toEqual({ match: '"reroof"', matches: 1 });
      expect(await textMatch(db, ['solar', 'install', 'solar', 'solar'])).toEqual({ match: '"solar" AND "install"' });
      expect(await textMatch(db, ['reroof'])).toEqual({ match: '"reroof"', matches: 1 });
      expect(await textMatch(db, ['xyz'])).toEqual({ match: '"xyz"*' });
      // Not ASCII: its folding is the tokenizer's to know, so FTS5 reads the prefix itself.
      expect(await textMatch(db, ['Café'])).toEqual({ match: '"Café"*' });
    });

    it('probes FTS5 row by row for a word most permits hold, and lists the matches of rarer ones', async () => {
      // Every address holds "san" (San Francisco): more matches than FTS_SORT_MAX.
      await handleBatches(db, searchProjection, [observations(...generatedCity(FTS_SORT_MAX + 100, { seed: 3 }))]);
      const plan = (words: string[]) => searchPlan(db, { words }, '-issued');
      expect((await plan(['san'])).driver).toEqual({ by: 'sort', probe: true });
      expect((await plan(['solar'])).driver).toEqual({ by: 'text' });
      expect((await plan(['san', 'francisco'])).driver).toEqual({ by: 'sort' });
      for (const words of [['san'], ['san', 'francisco'], ['fr'], ['san', 'san']]) {
        const probed = searchSql({ words }, '-issued', undefined, 30, { by: 'sort', probe: true });
        const listed = searchSql({ words }, '-issued', undefined, 30, { by: 'sort' });
        const page = await searchPermits(db, { words }, '-issued', undefined, 30);
        expect(page).toHaveLength(30);
        expect(page.map((r) => r.doc)).toEqual((await db.all<SearchRow>(listed.sql, listed.params)).map((r) => r.doc));
        expect(page.map((r) => r.doc)).toEqual((await db.all<SearchRow>(probed.sql, probed.params)).map((r) => r.doc));
      }
    });
  });
});
