import type { Queryable, SqlValue } from '../db/db.ts';
import type { Category, StatusPhase } from '../permits/record.ts';
import type { PermitRow } from './permits.ts';
import { cityKey, SEARCH_FTS_TABLE, SEARCH_TABLE, SORT_KEYS, stateKey, zipKey } from './search.ts';

/**
 * Matches of `q` up to which a page is read by looking each match up and sorting them; past it,
 * by walking the sort's index and keeping rows among the matches. Sorting 2,000 rows takes about
 * a millisecond; walking the index finds a page after ~25 ÷ (the matches' share) rows, which is
 * few once the words are common.
 */
export const FTS_SORT_MAX = 2_000;

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
}

/** Where the previous page ended: the last row's sort key and id. */
export interface SearchAfter {
  key: string;
  id: string;
}

/** A search row: the status columns a permits row has (and the freshness table's last check), plus the search's own. */
export interface SearchRow extends PermitRow {
  id: string;
  estimated_value: number | null;
  date_filed: string | null;
  date_issued: string | null;
  latitude: number | null;
  longitude: number | null;
  /** The value of the sort's key column: with `id`, the cursor of the next page. */
  sort_key: string;
}

/**
 * The SQL of one page of a search: filters as WHERE terms on indexed columns, the keyset
 * `(key, id) < (after)` and ORDER BY the sort's key then id, both descending. Pure, so a test
 * can EXPLAIN exactly what the route runs.
 */
export function searchSql(
  filters: SearchFilters,
  sort: SearchSort,
  after: SearchAfter | undefined,
  limit: number,
  textPlan: 'lookup' | 'walk' = 'lookup',
): { sql: string; params: SqlValue[] } {
  const key = SORT_KEYS[sort];
  const where: string[] = [];
  const params: SqlValue[] = [];
  const term = (sql: string, ...values: SqlValue[]) => {
    where.push(sql);
    params.push(...values);
  };
  if (filters.jurisdiction !== undefined) term('s.jurisdiction = ?', filters.jurisdiction);
  if (filters.city !== undefined) term('s.city_key = ?', cityKey(filters.city));
  if (filters.state !== undefined) term('s.state_key = ?', stateKey(filters.state));
  if (filters.zip_code !== undefined) term('s.zip = ?', zipKey(filters.zip_code));
  if (filters.category !== undefined) term('s.category = ?', filters.category);
  if (filters.status_phase !== undefined) term('s.status_phase = ?', filters.status_phase);
  // The key columns hold '' for an unknown date, so a range on them must also exclude ''.
  dateRange(term, 's.filed_key', filters.filed_after, filters.filed_before);
  dateRange(term, 's.issued_key', filters.issued_after, filters.issued_before);
  if (filters.min_value !== undefined) term('s.estimated_value >= ?', filters.min_value);
  if (filters.max_value !== undefined) term('s.estimated_value <= ?', filters.max_value);
  if (filters.words !== undefined && filters.words.length > 0) {
    // `+` keeps SQLite from looking rows up by the match list, so it walks the sort's index instead.
    const doc = textPlan === 'walk' ? '+s.doc' : 's.doc';
    term(`${doc} IN (SELECT rowid FROM ${SEARCH_FTS_TABLE} WHERE ${SEARCH_FTS_TABLE} MATCH ?)`, ftsQuery(filters.words));
  }
  if (filters.near !== undefined) {
    const { lat, lng, radius_m } = filters.near;
    // The box on the indexed columns first, then the exact great-circle distance inside it.
    const dLat = radius_m / METRES_PER_DEGREE;
    const dLng = dLat / Math.max(Math.cos((lat * Math.PI) / 180), 1e-6);
    term('s.latitude BETWEEN ? AND ?', lat - dLat, lat + dLat);
    term('s.longitude BETWEEN ? AND ?', lng - dLng, lng + dLng);
    term(`${haversineSql('s.latitude', 's.longitude')} <= ?`, lat, lat, lng, radius_m);
  }
  if (after !== undefined) term(`(s.${key}, s.id) < (?, ?)`, after.key, after.id);
  params.push(limit);
  const sql = `SELECT s.stream, s.id, s.jurisdiction, s.permit_number, s.status, s.portal_status, s.status_phase, s.permit_type,
  s.category, s.address_line, s.work_description, s.estimated_value, s.date_filed, s.date_issued, s.latitude, s.longitude,
  s.first_seen_at, s.updated_key AS last_changed_at, s.version, s.source_url, f.last_checked_at, s.${key} AS sort_key
FROM ${SEARCH_TABLE} s LEFT JOIN permit_freshness f ON f.stream = s.stream
${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
ORDER BY s.${key} DESC, s.id DESC LIMIT ?`;
  return { sql, params };
}

/**
 * One page of search results (at most `limit` rows). With words, their matches are counted first,
 * up to FTS_SORT_MAX + 1 only, to choose how the page is read (FTS_SORT_MAX).
 */
export async function searchPermits(
  db: Queryable,
  filters: SearchFilters,
  sort: SearchSort,
  after: SearchAfter | undefined,
  limit: number,
): Promise<SearchRow[]> {
  let textPlan: 'lookup' | 'walk' = 'lookup';
  if (filters.words !== undefined && filters.words.length > 0) {
    const counted = await db.get<{ n: number }>(
      `SELECT count(*) AS n FROM (SELECT rowid FROM ${SEARCH_FTS_TABLE} WHERE ${SEARCH_FTS_TABLE} MATCH ? LIMIT ?)`,
      [ftsQuery(filters.words), FTS_SORT_MAX + 1],
    );
    if ((counted?.n ?? 0) > FTS_SORT_MAX) textPlan = 'walk';
  }
  const { sql, params } = searchSql(filters, sort, after, limit, textPlan);
  return db.all<SearchRow>(sql, params);
}

type Term = (sql: string, ...values: SqlValue[]) => void;

function dateRange(term: Term, column: string, from: string | undefined, to: string | undefined): void {
  if (from !== undefined) term(`${column} >= ?`, from);
  if (to !== undefined) term(`${column} BETWEEN '0' AND ?`, to);
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
  return words.map((w, i) => `"${w.replaceAll('"', '""')}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}

/** The words of a `q`: letters and digits, as FTS5's unicode61 tokenizer splits them. */
export function queryWords(q: string): string[] {
  return q.match(/[\p{L}\p{N}]+/gu) ?? [];
}
