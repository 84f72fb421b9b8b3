// Over 300 lines: the SQL of a search page and the choice of how to read it (the drivers, their
// counts, the words' FTS5 expression) build the same WHERE terms, and a test EXPLAINs each
// driver's SQL; split, every term builder would have to be exported for the other half.
import type { Queryable, SqlValue } from '../db/db.ts';
import type { Category, StatusPhase } from '../permits/record.ts';
import type { PermitRow } from './permits.ts';
import {
  cityKey,
  COVERED_SORT,
  PLACE_STRIP_SQL,
  PLACE_STRIPS_PER_DEGREE,
  RANGE_INDEXES,
  SEARCH_DOC_INDEX,
  SEARCH_FTS_TABLE,
  SEARCH_TABLE,
  SEARCH_VOCAB_TABLE,
  SORT_KEYS,
  stateKey,
  zipKey,
  type SearchRange,
} from './search.ts';

/**
 * Matches of `q` up to which a page is read by looking each match up and sorting them; past it,
 * by walking the sort's index and keeping rows among the matches. Sorting 2,000 rows takes about
 * a millisecond; walking the index finds a page after ~25 ÷ (the matches' share) rows, which is
 * few once the words are common.
 */
export const FTS_SORT_MAX = 2_000;
/**
 * Rows in a range filter (a date window, a value range, the `near` box) up to which a page is
 * read from that filter's index and sorted there, when the index carries the sort's key
 * (COVERED_SORT), so no table row is read; past it, by walking the sort's index. 20,000 index
 * entries sort in a few ms, and a range holding more is at least 2% of a million rows, so the
 * walk finds 25 within ~1,250. Under another sort each row in range is looked up in the table,
 * as the matches of `q` are, and the cap is FTS_SORT_MAX.
 */
export const RANGE_SORT_MAX = 20_000;
/**
 * Share of permits holding a one-word `q` from which the walk asks FTS5 about each row it passes
 * (~25 µs a row) rather than listing every match first (~0.2 µs a match): at a million permits,
 * a word in 17% of them took 3.9 ms probed against 34 ms listed; in 3%, listing wins (10-20 ms
 * against 111 ms for two words probed). From 5%, a page is found within ~500 probes.
 */
export const PROBE_SHARE_MIN = 0.05;
/** Terms a last word's prefix is spelled out as at most (textMatch); past it FTS5 merges them itself. */
const PREFIX_TERMS_MAX = 8;

/**
 * Longitude strips a `near` box is read as, each its own latitude range; a wider box (hundreds of
 * kilometres, or near a pole) is read as one range of strips instead, which is most of its rows anyway.
 */
const PLACE_STRIPS_LISTED_MAX = 200;

/** Mean Earth radius in metres (IUGG), the sphere the haversine distance is measured on. */
const EARTH_RADIUS_M = 6_371_008.8;
/** Metres per degree of latitude on that sphere: the bounding box's half-height per metre of radius. */
const METRES_PER_DEGREE = (Math.PI * EARTH_RADIUS_M) / 180;

export type SearchSort = keyof typeof SORT_KEYS;

/** What a search may filter on; every field optional, all given ones must hold. */
export interface SearchFilters {
  jurisdiction?: string;
  city?: string;
  state?: string;
  zip_code?: string;
  category?: Category;
  status_phase?: StatusPhase;
  /** Calendar dates, inclusive on both ends. */
  filed_after?: string;
  filed_before?: string;
  issued_after?: string;
  issued_before?: string;
  min_value?: number;
  max_value?: number;
  /** Words that must all appear in the description or address (the last may be a prefix). */
  words?: readonly string[];
  near?: { lat: number; lng: number; radius_m: number };
  /** The FTS5 expression of `words` when worked out already (searchPermits, textMatch); else ftsQuery's. */
  match?: string;
}

/** Where the previous page ended: the last row's sort key and doc. */
export interface SearchAfter {
  key: string;
  doc: number;
}

/** A search row: the status columns a permits row has (and the freshness table's last check), plus the search's own. */
export interface SearchRow extends PermitRow {
  /** The position of the permit's first event: the sorts' tiebreak (search.ts). */
  doc: number;
  estimated_value: number | null;
  date_filed: string | null;
  date_issued: string | null;
  latitude: number | null;
  longitude: number | null;
  /** The value of the sort's key column: with `doc`, the cursor of the next page. */
  sort_key: string;
}

/**
 * How a page finds its candidate rows. `sort`: walk the sort's index (or an equality filter's,
 * which leads with the default sort) in order, keeping rows that pass every filter, until LIMIT
 * stops it; the words' matches are listed once, or with `probe` asked of FTS5 row by row.
 * `text`: look up the matches of `q` and sort them. `range`: read one range filter's index
 * (RANGE_INDEXES) and sort what is in range. Every driver gives the same rows in the same
 * order; only the work differs, and searchPermits picks by counting (FTS_SORT_MAX, RANGE_SORT_MAX).
 */
export type SearchDriver = { by: 'sort'; probe?: boolean } | { by: 'text' } | { by: 'range'; range: SearchRange };

/**
 * The SQL of one page of a search: filters as WHERE terms, the keyset `(key, doc) < (after)` and
 * ORDER BY the sort's key then doc, both descending. The inner query finds the page's rowids
 * reading as few columns as the driver's index holds (each index ends in doc, and carries the
 * rowid); the outer one reads those rows whole. A
 * range column that does not drive the page is written `+s.col`, which keeps SQLite from reading
 * it through its index. Pure, so a test can EXPLAIN exactly what the route runs.
 */
export function searchSql(
  filters: SearchFilters,
  sort: SearchSort,
  after: SearchAfter | undefined,
  limit: number,
  driver: SearchDriver = { by: 'sort' },
): { sql: string; params: SqlValue[] } {
  const key = SORT_KEYS[sort];
  const { where, params } = filterTerms(filters, sort, driver);
  if (after !== undefined) {
    where.push(`(s.${key}, s.doc) < (?, ?)`);
    params.push(after.key, after.doc);
  }
  params.push(limit);
  // INDEXED BY: the range's index, whatever SQLite guesses of the range; for the text, the doc
  // index, so each of the matches' rowids (docs) is looked up there.
  const index = driver.by === 'range' ? RANGE_INDEXES[driver.range] : driver.by === 'text' ? SEARCH_DOC_INDEX : undefined;
  const from = `${SEARCH_TABLE} s${index === undefined ? '' : ` INDEXED BY ${index}`}`;
  const inner = `SELECT s.rowid AS r, s.${key} AS k, s.doc AS d FROM ${from}
${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
ORDER BY s.${key} DESC, s.doc DESC LIMIT ?`;
  // CROSS JOIN keeps the page (p) the outer loop: each of its rows is then one rowid read.
  const sql = `SELECT s.stream, s.doc, s.jurisdiction, s.permit_number, s.status, s.portal_status, s.status_phase, s.permit_type,
  s.category, s.address_line, s.work_description, s.estimated_value, s.date_filed, s.date_issued, s.latitude, s.longitude,
  s.first_seen_at, s.updated_key AS last_changed_at, s.version, s.source_url, f.last_checked_at, s.${key} AS sort_key
FROM (${inner}) p CROSS JOIN ${SEARCH_TABLE} s ON s.rowid = p.r LEFT JOIN permit_freshness f ON f.stream = s.stream
ORDER BY p.k DESC, p.d DESC`;
  return { sql, params };
}

/**
 * The SQL that counts the rows a driver would sort, stopping at `cap` (so a count costs at most
 * what reading that many rows would). For a range, its own terms only; for `near`, the box.
 */
export function driverCountSql(
  filters: SearchFilters,
  driver: Exclude<SearchDriver, { by: 'sort' }>,
  cap: number,
): { sql: string; params: SqlValue[] } {
  if (driver.by === 'text') {
    const sql = `SELECT count(*) AS n FROM (SELECT rowid FROM ${SEARCH_FTS_TABLE} WHERE ${SEARCH_FTS_TABLE} MATCH ? LIMIT ?)`;
    return { sql, params: [filters.match ?? ftsQuery(filters.words ?? []), cap] };
  }
  const where: string[] = [];
  const params: SqlValue[] = [];
  rangeTerms(filters, driver.range, 's.', (sql, ...values) => {
    where.push(sql);
    params.push(...values);
  });
  const sql = `SELECT count(*) AS n FROM (SELECT 1 FROM ${SEARCH_TABLE} s INDEXED BY ${RANGE_INDEXES[driver.range]} WHERE ${where.join(' AND ')} LIMIT ?)`;
  return { sql, params: [...params, cap] };
}

/**
 * The drivers a search may be read by: the walk always; the text with words; each range filter
 * but the sort's own key, which bounds the walk already.
 */
export function searchDrivers(filters: SearchFilters, sort: SearchSort): SearchDriver[] {
  const drivers: SearchDriver[] = [{ by: 'sort' }];
  if (filters.words !== undefined && filters.words.length > 0) drivers.push({ by: 'sort', probe: true }, { by: 'text' });
  if ((filters.filed_after !== undefined || filters.filed_before !== undefined) && sort !== '-filed')
    drivers.push({ by: 'range', range: 'filed' });
  if ((filters.issued_after !== undefined || filters.issued_before !== undefined) && sort !== '-issued')
    drivers.push({ by: 'range', range: 'issued' });
  if (filters.min_value !== undefined || filters.max_value !== undefined) drivers.push({ by: 'range', range: 'value' });
  if (filters.near !== undefined) drivers.push({ by: 'range', range: 'near' });
  return drivers;
}

/** One page of search results (at most `limit` rows), read by the driver searchDriver picks. */
export async function searchPermits(
  db: Queryable,
  filters: SearchFilters,
  sort: SearchSort,
  after: SearchAfter | undefined,
  limit: number,
): Promise<SearchRow[]> {
  const plan = await searchPlan(db, filters, sort);
  const { sql, params } = searchSql(plan.filters, sort, after, limit, plan.driver);
  return db.all<SearchRow>(sql, params);
}

/** How a search's pages are read: its filters with the words' FTS5 expression (textMatch), and the driver. */
export async function searchPlan(
  db: Queryable,
  filters: SearchFilters,
  sort: SearchSort,
): Promise<{ filters: SearchFilters; driver: SearchDriver }> {
  const text = filters.words !== undefined && filters.words.length > 0 ? await textMatch(db, filters.words) : undefined;
  const planned = text === undefined ? filters : { ...filters, match: text.match };
  return { filters: planned, driver: await searchDriver(db, planned, sort, text?.matches) };
}

/**
 * The driver of a search's pages: the matches of `q` and the rows of each range filter are
 * counted, each up to its cap only (FTS_SORT_MAX, RANGE_SORT_MAX); the smallest count under its
 * cap drives, and with none the sort's index is walked. The walk probes FTS5 row by row when the
 * one word's permits (`matches`, from the vocabulary) are at least PROBE_SHARE_MIN of all.
 */
export async function searchDriver(db: Queryable, filters: SearchFilters, sort: SearchSort, matches?: number): Promise<SearchDriver> {
  let driver: SearchDriver = { by: 'sort' };
  let fewest = Infinity;
  for (const candidate of searchDrivers(filters, sort)) {
    if (candidate.by === 'sort') continue;
    const covered = candidate.by === 'range' && sort === COVERED_SORT;
    const max = covered ? RANGE_SORT_MAX : FTS_SORT_MAX;
    const { sql, params } = driverCountSql(filters, candidate, max + 1);
    const n = (await db.get<{ n: number }>(sql, params))?.n ?? 0;
    if (n <= max && n < fewest) [driver, fewest] = [candidate, n];
  }
  if (driver.by === 'sort' && matches !== undefined) {
    // The highest doc is at least the number of permits (a doc is a position in the log), so the share is never overrated.
    const docs = (await db.get<{ n: number | null }>(`SELECT max(doc) AS n FROM ${SEARCH_TABLE}`))?.n ?? 0;
    if (matches >= PROBE_SHARE_MIN * docs) driver = { by: 'sort', probe: true };
  }
  return driver;
}

/**
 * The FTS5 expression of `words`, the last word's prefix spelled out as the terms of the index it
 * stands for (`"solar" AND ("panel" OR "panels")`): FTS5 merges the lists of every term of a
 * prefix at each query, which at a million permits cost more than the rest of the search
 * (6.5 ms against 0.1 ms to count 2,000 matches of "solar"* and "solar"). Only for words of
 * ASCII letters and digits, whose folding (lower case) is known here for certain; a word given
 * twice is matched once. With one word left, `matches`: how many permits hold it (searchDriver's
 * probe choice).
 */
export async function textMatch(db: Queryable, words: readonly string[]): Promise<{ match: string; matches?: number }> {
  if (!words.every((w) => /^[A-Za-z0-9]+$/.test(w))) return { match: ftsQuery(words) };
  const folded = words.map((w) => w.toLowerCase());
  const head = [...new Set(folded.slice(0, -1))];
  const prefix = folded.at(-1)!;
  // A last word that is also an earlier whole word adds nothing: that word is a term starting with it.
  if (head.includes(prefix)) {
    const held =
      head.length === 1 ? await db.get<{ doc: number }>(`SELECT doc FROM ${SEARCH_VOCAB_TABLE} WHERE term = ?`, [prefix]) : undefined;
    return { match: head.map(quoted).join(' AND '), matches: head.length === 1 ? (held?.doc ?? 0) : undefined };
  }
  // Every term that starts with the prefix sorts from it up to it followed by the highest code point.
  const terms = await db.all<{ term: string; doc: number }>(
    `SELECT term, doc FROM ${SEARCH_VOCAB_TABLE} WHERE term >= ? AND term < ? LIMIT ?`,
    [prefix, `${prefix}\u{10FFFF}`, PREFIX_TERMS_MAX + 1],
  );
  if (terms.length === 0 || terms.length > PREFIX_TERMS_MAX) return { match: ftsQuery(words) };
  const last = terms.map((t) => quoted(t.term));
  const match = [...head.map(quoted), last.length === 1 ? last[0]! : `(${last.join(' OR ')})`].join(' AND ');
  return { match, matches: head.length === 0 ? terms.reduce((n, t) => n + t.doc, 0) : undefined };
}

type Term = (sql: string, ...values: SqlValue[]) => void;

/** Every filter as WHERE terms on `s`, range columns read through their index only where `driver` says. */
function filterTerms(filters: SearchFilters, sort: SearchSort, driver: SearchDriver): { where: string[]; params: SqlValue[] } {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const term: Term = (sql, ...values) => {
    where.push(sql);
    params.push(...values);
  };
  if (filters.jurisdiction !== undefined) term('s.jurisdiction = ?', filters.jurisdiction);
  if (filters.city !== undefined) term('s.city_key = ?', cityKey(filters.city));
  if (filters.state !== undefined) term('s.state_key = ?', stateKey(filters.state));
  if (filters.zip_code !== undefined) term('s.zip = ?', zipKey(filters.zip_code));
  if (filters.category !== undefined) term('s.category = ?', filters.category);
  if (filters.status_phase !== undefined) term('s.status_phase = ?', filters.status_phase);
  const sortRange: SearchRange | undefined = sort === '-filed' ? 'filed' : sort === '-issued' ? 'issued' : undefined;
  for (const range of ['filed', 'issued', 'value', 'near'] as const) {
    // The walk reads the sort key's own range through the sort's index: it bounds where the walk starts and stops.
    const indexed = driver.by === 'range' ? driver.range === range : driver.by === 'sort' && range === sortRange;
    rangeTerms(filters, range, indexed ? 's.' : '+s.', term);
  }
  if (filters.near !== undefined) {
    const { lat, lng, radius_m } = filters.near;
    term(`${haversineSql('s.latitude', 's.longitude')} <= ?`, lat, lat, lng, radius_m);
  }
  if (filters.words !== undefined && filters.words.length > 0) {
    const match = filters.match ?? ftsQuery(filters.words);
    // Last, so a probe is made only for rows that passed every other filter.
    if (driver.by === 'sort' && driver.probe)
      term(`EXISTS (SELECT 1 FROM ${SEARCH_FTS_TABLE} WHERE ${SEARCH_FTS_TABLE} MATCH ? AND rowid = s.doc)`, match);
    else
      term(
        `${driver.by === 'text' ? 's.doc' : '+s.doc'} IN (SELECT rowid FROM ${SEARCH_FTS_TABLE} WHERE ${SEARCH_FTS_TABLE} MATCH ?)`,
        match,
      );
  }
  return { where, params };
}

/**
 * One range filter's terms, on columns written `${col}column` (`s.` or `+s.`). Dates: the key
 * columns hold '' for an unknown date, which any lower bound (a date, or '0') excludes; one
 * BETWEEN rather than two lower bounds, so SQLite seeks to the window instead of from '0'.
 * `near`: the box on the indexed columns; the exact great-circle distance is a term of its own.
 */
function rangeTerms(filters: SearchFilters, range: SearchRange, col: string, term: Term): void {
  if (range === 'filed') dateRange(term, `${col}filed_key`, filters.filed_after, filters.filed_before);
  if (range === 'issued') dateRange(term, `${col}issued_key`, filters.issued_after, filters.issued_before);
  if (range === 'value') {
    if (filters.min_value !== undefined) term(`${col}estimated_value >= ?`, filters.min_value);
    if (filters.max_value !== undefined) term(`${col}estimated_value <= ?`, filters.max_value);
  }
  if (range === 'near' && filters.near !== undefined) {
    const { lat, lng, radius_m } = filters.near;
    const dLat = radius_m / METRES_PER_DEGREE;
    const dLng = dLat / Math.max(Math.cos((lat * Math.PI) / 180), 1e-6);
    if (col === 's.') {
      // The strips the box crosses (PLACE_STRIP_SQL): cutting to an integer never reverses an order, so they hold all its rows.
      const [first, last] = [Math.trunc((lng - dLng) * PLACE_STRIPS_PER_DEGREE), Math.trunc((lng + dLng) * PLACE_STRIPS_PER_DEGREE)];
      const strip = PLACE_STRIP_SQL.replace('longitude', 's.longitude');
      if (last - first < PLACE_STRIPS_LISTED_MAX) {
        const strips = Array.from({ length: last - first + 1 }, (_, i) => first + i);
        term(`${strip} IN (${strips.map(() => '?').join(', ')})`, ...strips);
      } else term(`${strip} BETWEEN ? AND ?`, first, last);
    }
    term(`${col}latitude BETWEEN ? AND ?`, lat - dLat, lat + dLat);
    term(`${col}longitude BETWEEN ? AND ?`, lng - dLng, lng + dLng);
  }
}

function dateRange(term: Term, column: string, from: string | undefined, to: string | undefined): void {
  if (to !== undefined) term(`${column} BETWEEN ? AND ?`, from ?? '0', to);
  else if (from !== undefined) term(`${column} >= ?`, from);
}

// Haversine distance in metres from the bound point (lat, lat again for its cosine, lng) to the row's.
function haversineSql(lat: string, lng: string): string {
  return (
    `2 * ${EARTH_RADIUS_M} * asin(sqrt(` +
    `power(sin(radians(${lat} - ?) / 2), 2) + cos(radians(?)) * cos(radians(${lat})) * power(sin(radians(${lng} - ?) / 2), 2)))`
  );
}

/**
 * The FTS5 query for the words: each quoted as a string (so no word is read as FTS syntax, AND,
 * NEAR, a column filter...), all required, the last also as a prefix so "solar pan" finds panels.
 */
export function ftsQuery(words: readonly string[]): string {
  return words.map((w, i) => `${quoted(w)}${i === words.length - 1 ? '*' : ''}`).join(' ');
}

/** A word as an FTS5 string: read as the word, never as syntax. */
const quoted = (w: string) => `"${w.replaceAll('"', '""')}"`;

/** The words of a `q`: letters and digits, as FTS5's unicode61 tokenizer splits them. */
export function queryWords(q: string): string[] {
  return q.match(/[\p{L}\p{N}]+/gu) ?? [];
}
