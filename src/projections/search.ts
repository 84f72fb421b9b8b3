import type { SqlValue } from '../db/db.ts';
import type { PermitObservedFacts } from '../events/decode.ts';
import { addressLine } from '../permits/record.ts';
import { batchStatement, insertRows } from '../db/batch-statement.ts';
import type { ReadModel } from './projection.ts';
import { streamSpans } from './stream-spans.ts';

/**
 * The search read model (issue 18, `GET /permits/search`): one row per permit with the columns
 * its filters and sorts read, each behind an index, and an FTS5 table over description and
 * address. `doc` is the position of the permit's first event: an integer that is the same after
 * a rebuild (a row number would follow insertion order, which differs between catch-up and
 * rebuild), so it is the FTS rowid, and the tiebreak of every sort (a page ends at `(key, doc)`).
 * It is a column of its own with a unique index (SEARCH_DOC_INDEX) rather than the table's rowid:
 * SQLite seeks an index to a row value `(key, doc) < (?, ?)` only where doc is an indexed column,
 * not the rowid every index carries. And it, not the permit's UUID, ends each index: new permits
 * then add to the indexes' ends instead of at random places in them (bench/README.md). The sort keys are NOT NULL ('' for an unknown date, last in a
 * descending sort), so a keyset cursor compares plain values.
 */
export const SEARCH_TABLE = 'permit_search';
/** Finds a row by its doc: the FTS matches' rowids, and the highest doc (searchDriver). */
export const SEARCH_DOC_INDEX = 'permit_search_by_doc';
export const SEARCH_FTS_TABLE = 'permit_search_fts';
/** The FTS index's terms and how many permits hold each (fts5vocab): a prefix is spelled out from it. */
export const SEARCH_VOCAB_TABLE = 'permit_search_vocab';

/**
 * Equality filters with an index of their own, led by them and then the default sort: the ones
 * whose values can be rare (one ZIP of a metro, one city of many). Category, status phase and state
 * have a handful of values each, so a page of them is found by walking the sort's index (~25 ÷ the
 * value's share of rows); an index each would cost every write more than it saves a read
 * (bench/search.ts: 18 such indexes tripled the projection's write time).
 */
export const INDEXED_EQUALITY_COLUMNS = ['jurisdiction', 'city_key', 'zip'] as const;
/** The sorts (`-issued`, `-filed`, `-updated`) and the key column each reads. */
export const SORT_KEYS = { '-issued': 'issued_key', '-filed': 'filed_key', '-updated': 'updated_key' } as const;

/**
 * The range filters and the index each is read through when its range holds few rows
 * (search-query.ts, RANGE_SORT_MAX). The filing, value and place indexes also carry the default
 * sort's key and `doc` (COVERED_SORT) after their own columns, so under that sort the rows in a
 * range are sorted from the index alone, and no table row is read until the page's are known
 * (bench/search.ts at 200,000 permits, loaded machine: a 30-day filing window from 82 ms to 5 ms
 * at the median). Carrying all three sort keys would cover every sort, but made the model's
 * writes ~1.35× main's against ~1.19× for the default sort's alone (20,000 permits, CPU time).
 */
export const RANGE_INDEXES = {
  filed: 'permit_search_by_filed',
  issued: 'permit_search_by_issued',
  value: 'permit_search_by_value',
  near: 'permit_search_by_place',
} as const;
/** The sort the range indexes carry the key of; `issued`'s index is that sort's own. */
export const COVERED_SORT = '-issued';
export type SearchRange = keyof typeof RANGE_INDEXES;
/**
 * The `near` index leads with the permit's longitude strip, `longitude * 100` cut to an integer
 * (0.01°, about 0.9 km at 40°N; CAST, as SQLite allows no floor() in an index), then latitude:
 * a box is read as a latitude range within each strip it crosses, about 2-3 times the box's
 * rows, where a latitude range alone reads the whole band across the city (for 500 m in a
 * 12 km city, ~12 times the box's rows).
 */
export const PLACE_STRIPS_PER_DEGREE = 100;
export const PLACE_STRIP_SQL = `CAST(longitude * ${PLACE_STRIPS_PER_DEGREE} AS INTEGER)`;

const MIGRATIONS = [
  {
    id: '0026_projection_search',
    sql: `
CREATE TABLE ${SEARCH_TABLE} (
  doc INTEGER PRIMARY KEY,
  stream TEXT NOT NULL UNIQUE,
  id TEXT NOT NULL,
  jurisdiction TEXT NOT NULL,
  permit_number TEXT NOT NULL,
  status TEXT,
  portal_status TEXT,
  status_phase TEXT NOT NULL,
  permit_type TEXT,
  category TEXT NOT NULL,
  address_line TEXT,
  work_description TEXT,
  city_key TEXT,
  state_key TEXT,
  zip TEXT,
  estimated_value REAL,
  date_filed TEXT,
  date_issued TEXT,
  latitude REAL,
  longitude REAL,
  issued_key TEXT NOT NULL,
  filed_key TEXT NOT NULL,
  updated_key TEXT NOT NULL,
  first_seen_at TEXT NOT NULL,
  version INTEGER NOT NULL,
  source_url TEXT NOT NULL
);
CREATE INDEX permit_search_by_issued ON ${SEARCH_TABLE} (issued_key, id);
CREATE INDEX permit_search_by_filed ON ${SEARCH_TABLE} (filed_key, id);
CREATE INDEX permit_search_by_updated ON ${SEARCH_TABLE} (updated_key, id);
${INDEXED_EQUALITY_COLUMNS.map((c) => `CREATE INDEX permit_search_by_${c} ON ${SEARCH_TABLE} (${c}, issued_key, id);`).join('\n')}
CREATE INDEX permit_search_by_value ON ${SEARCH_TABLE} (estimated_value);
CREATE INDEX permit_search_by_place ON ${SEARCH_TABLE} (latitude, longitude) WHERE latitude IS NOT NULL;
CREATE VIRTUAL TABLE ${SEARCH_FTS_TABLE} USING fts5(work_description, address_line, tokenize = 'unicode61 remove_diacritics 2');
`,
    // No checkpoint row: a database that already holds permits starts this model at 0, so its
    // first catch-up after the upgrade replays the log into it.
  },
  {
    // The FTS index holds no copy of the text (contentless): searches read only its rowids, the
    // text is in permit_search, and without the copy a rebuild fills it in a third of the time
    // (bench/README.md). contentless_delete lets catch-up update a permit's text in place.
    id: '0027_search_fts_contentless',
    sql: `
DROP TABLE ${SEARCH_FTS_TABLE};
CREATE VIRTUAL TABLE ${SEARCH_FTS_TABLE} USING fts5(work_description, address_line, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO ${SEARCH_FTS_TABLE} (rowid, work_description, address_line) SELECT doc, work_description, address_line FROM ${SEARCH_TABLE};
`,
  },
  {
    // The range indexes carry the default sort's key and id (RANGE_INDEXES, COVERED_SORT); the
    // filing index keeps `(filed_key, id)` as its lead, so the -filed walk still reads it in order.
    id: '0090_search_range_indexes',
    sql: `
DROP INDEX permit_search_by_filed;
DROP INDEX permit_search_by_value;
DROP INDEX permit_search_by_place;
CREATE INDEX ${RANGE_INDEXES.filed} ON ${SEARCH_TABLE} (filed_key, id, issued_key);
CREATE INDEX ${RANGE_INDEXES.value} ON ${SEARCH_TABLE} (estimated_value, issued_key, id);
CREATE INDEX ${RANGE_INDEXES.near} ON ${SEARCH_TABLE} (${PLACE_STRIP_SQL}, latitude, longitude, issued_key, id) WHERE latitude IS NOT NULL;
`,
  },
  {
    // A view of the FTS index, not data: it holds nothing of its own and costs writes nothing.
    id: '0091_search_vocab',
    sql: `CREATE VIRTUAL TABLE ${SEARCH_VOCAB_TABLE} USING fts5vocab(${SEARCH_FTS_TABLE}, 'row');`,
  },
  {
    // doc becomes a column of its own and every index's tiebreak, the UUID column goes (it is
    // permitId(stream)): see SEARCH_TABLE. The rows are copied in doc order, the FTS index keeps
    // its rowids (the docs), and every index is made anew.
    id: '0092_search_doc_order',
    sql: `
CREATE TABLE ${SEARCH_TABLE}__0092 (
  doc INTEGER NOT NULL,
  stream TEXT NOT NULL UNIQUE,
  jurisdiction TEXT NOT NULL,
  permit_number TEXT NOT NULL,
  status TEXT,
  portal_status TEXT,
  status_phase TEXT NOT NULL,
  permit_type TEXT,
  category TEXT NOT NULL,
  address_line TEXT,
  work_description TEXT,
  city_key TEXT,
  state_key TEXT,
  zip TEXT,
  estimated_value REAL,
  date_filed TEXT,
  date_issued TEXT,
  latitude REAL,
  longitude REAL,
  issued_key TEXT NOT NULL,
  filed_key TEXT NOT NULL,
  updated_key TEXT NOT NULL,
  first_seen_at TEXT NOT NULL,
  version INTEGER NOT NULL,
  source_url TEXT NOT NULL
);
INSERT INTO ${SEARCH_TABLE}__0092 SELECT doc, stream, jurisdiction, permit_number, status, portal_status, status_phase, permit_type,
  category, address_line, work_description, city_key, state_key, zip, estimated_value, date_filed, date_issued, latitude, longitude,
  issued_key, filed_key, updated_key, first_seen_at, version, source_url FROM ${SEARCH_TABLE} ORDER BY doc;
DROP TABLE ${SEARCH_TABLE};
ALTER TABLE ${SEARCH_TABLE}__0092 RENAME TO ${SEARCH_TABLE};
CREATE UNIQUE INDEX ${SEARCH_DOC_INDEX} ON ${SEARCH_TABLE} (doc);
CREATE INDEX ${RANGE_INDEXES.issued} ON ${SEARCH_TABLE} (issued_key, doc);
CREATE INDEX permit_search_by_updated ON ${SEARCH_TABLE} (updated_key, doc);
${INDEXED_EQUALITY_COLUMNS.map((c) => `CREATE INDEX permit_search_by_${c} ON ${SEARCH_TABLE} (${c}, issued_key, doc);`).join('\n')}
CREATE INDEX ${RANGE_INDEXES.filed} ON ${SEARCH_TABLE} (filed_key, doc, issued_key);
CREATE INDEX ${RANGE_INDEXES.value} ON ${SEARCH_TABLE} (estimated_value, issued_key, doc);
CREATE INDEX ${RANGE_INDEXES.near} ON ${SEARCH_TABLE} (${PLACE_STRIP_SQL}, latitude, longitude, issued_key, doc) WHERE latitude IS NOT NULL;
`,
  },
];

const COLUMNS = [
  'doc',
  'stream',
  'jurisdiction',
  'permit_number',
  'status',
  'portal_status',
  'status_phase',
  'permit_type',
  'category',
  'address_line',
  'work_description',
  'city_key',
  'state_key',
  'zip',
  'estimated_value',
  'date_filed',
  'date_issued',
  'latitude',
  'longitude',
  'issued_key',
  'filed_key',
  'updated_key',
  'first_seen_at',
  'version',
  'source_url',
];
/** What a later event changes: everything but the identity and the first sighting. */
const UPDATED = COLUMNS.slice(COLUMNS.indexOf('status'), COLUMNS.indexOf('first_seen_at')).concat(['version', 'source_url']);

/**
 * The model over `table` and its FTS index `fts`. `withText` false is a rebuild's copy: `handle`
 * leaves the FTS index alone and the rebuild fills it from the rows once after the replay
 * (`deferred`), the text columns of `table` being what catch-up writes to the index.
 */
function searchInto(table: string, fts: string, withText: boolean): ReadModel {
  const insert = insertRows(table, COLUMNS);
  const insertText = insertRows(fts, ['rowid', 'work_description', 'address_line']);
  // A stream seen before this batch: its row and text are updated in place, found by stream.
  const update = batchStatement(
    UPDATED.length + 1,
    () => `UPDATE ${table} SET ${UPDATED.map((c) => `${c} = ?`).join(', ')} WHERE stream = ?`,
  );
  const updateText = batchStatement(
    3,
    () => `UPDATE ${fts} SET work_description = ?, address_line = ? WHERE rowid = (SELECT doc FROM ${table} WHERE stream = ?)`,
  );
  return {
    rebuild: 'replay',
    name: 'search',
    tables: [table, fts],
    deferred: [
      {
        table: fts,
        fill: `INSERT INTO ${fts} (rowid, work_description, address_line) SELECT doc, work_description, address_line FROM ${table} ORDER BY doc`,
      },
    ],
    migrations: MIGRATIONS,
    async handle(events, tx) {
      const created: SqlValue[][] = [];
      const createdText: SqlValue[][] = [];
      const changed: SqlValue[][] = [];
      const changedText: SqlValue[][] = [];
      for (const { first, last } of streamSpans(events).values()) {
        const values = rowValues(last.event, first.event);
        const r = last.event.data.record;
        if (first.event.version === 1) {
          created.push(values);
          createdText.push([first.event.position, r.work_description, addressLine(r.address)]);
        } else {
          changed.push([...UPDATED.map((c) => values[COLUMNS.indexOf(c)]!), last.event.stream]);
          changedText.push([r.work_description, addressLine(r.address), last.event.stream]);
        }
      }
      await insert(tx, created);
      // One statement per row: an UPDATE has no multi-row form.
      for (const row of changed) await update(tx, [row]);
      if (!withText) return;
      await insertText(tx, createdText);
      for (const row of changedText) await updateText(tx, [row]);
    },
    into: (rename) => searchInto(rename(table), rename(fts), false),
  };
}

export const searchProjection = searchInto(SEARCH_TABLE, SEARCH_FTS_TABLE, true);

/** A row in COLUMNS order: `first` is the stream's first event in the batch, `event` its latest. */
function rowValues(event: PermitObservedFacts, first: PermitObservedFacts): SqlValue[] {
  const r = event.data.record;
  return [
    first.position,
    event.stream,
    r.jurisdiction,
    r.permit_number,
    r.status,
    r.portal_status,
    r.status_phase,
    r.permit_type,
    r.category,
    addressLine(r.address),
    r.work_description,
    cityKey(r.address.city),
    stateKey(r.address.state),
    zipKey(r.address.zip),
    r.valuation,
    r.dates.applied,
    r.dates.issued,
    r.latitude,
    r.longitude,
    r.dates.issued ?? '',
    r.dates.applied ?? '',
    event.data.observed_at,
    first.data.observed_at,
    event.version,
    event.data.source_url,
  ];
}

/** A city as filters compare it: portals write "CHICAGO", "Chicago" and "chicago" alike. */
export function cityKey(city: string | null | undefined): string | null {
  const key = city?.trim().replace(/\s+/g, ' ').toLowerCase();
  return key ? key : null;
}

/** A state as filters compare it: the two-letter code in capitals. */
export function stateKey(state: string | null | undefined): string | null {
  const key = state?.trim().toUpperCase();
  return key ? key : null;
}

/** The 5-digit ZIP filters compare ("90034-1234" and "90034" alike); null when there is none. */
export function zipKey(zip: string | null | undefined): string | null {
  const match = zip?.trim().match(/^(\d{5})(?:-\d{4})?$/);
  return match ? match[1]! : null;
}
