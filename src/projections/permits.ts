import type { Db, Queryable, SqlValue } from '../db/db.ts';
import type { PermitObservedFacts } from '../events/decode.ts';
import { addressLine, type PermitRecord, type StatusPhase } from '../permits/record.ts';
import { insertRows, upsertTail } from '../db/batch-statement.ts';
import type { ReadModel } from './projection.ts';
import { streamSpans } from './stream-spans.ts';
import { activePhaseSql } from '../permits/phases.ts';

const MIGRATIONS = [
  {
    id: '0020_projection_permits',
    sql: `
CREATE TABLE permits (
  stream TEXT PRIMARY KEY,
  jurisdiction TEXT NOT NULL,
  permit_number TEXT NOT NULL,
  version INTEGER NOT NULL,
  position INTEGER NOT NULL,
  status TEXT,
  portal_status TEXT,
  status_phase TEXT NOT NULL,
  permit_type TEXT,
  category TEXT NOT NULL,
  address_line TEXT,
  city TEXT,
  state TEXT,
  zip TEXT,
  work_description TEXT,
  applied_date TEXT,
  issued_date TEXT,
  finaled_date TEXT,
  first_seen_at TEXT NOT NULL,
  last_changed_at TEXT NOT NULL,
  source_url TEXT NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX permits_by_number ON permits (permit_number);
CREATE INDEX permits_by_jurisdiction ON permits (jurisdiction, status_phase);
`,
  },
];

const COLUMNS = (
  'stream, jurisdiction, permit_number, version, position, status, portal_status, status_phase, permit_type, category, ' +
  'address_line, city, state, zip, work_description, applied_date, issued_date, finaled_date, first_seen_at, last_changed_at, ' +
  'source_url, record'
).split(', ');
/** What a later event of the stream updates: all but the columns its first event set. */
const UPDATED = COLUMNS.filter((c) => !['stream', 'jurisdiction', 'permit_number', 'first_seen_at'].includes(c));

/**
 * Current state of every permit: one row per stream, the latest record plus the columns the
 * status endpoint, filters and stats read without parsing JSON.
 */
function permitsInto(table: string): ReadModel {
  const upsert = insertRows(table, COLUMNS, upsertTail('stream', UPDATED));
  return {
    rebuild: 'replay',
    name: 'permits',
    tables: ['permits'],
    migrations: MIGRATIONS,
    async handle(events, tx) {
      const spans = streamSpans(events);
      // One row per stream the batch touched: the upsert keeps an existing row's first-only columns.
      const rows: SqlValue[][] = [];
      for (const { first, last } of spans.values()) rows.push(permitValues(last.event, first.event));
      await upsert(tx, rows);
    },
    into: (rename) => permitsInto(rename('permits')),
  };
}

export const permitsProjection = permitsInto('permits');

/** A permits row in COLUMNS order: `first` is the stream's first event in the batch, `event` its latest. */
function permitValues(event: PermitObservedFacts, first: PermitObservedFacts): SqlValue[] {
  const r = event.data.record;
  return [
    event.stream,
    first.data.record.jurisdiction,
    first.data.record.permit_number,
    event.version,
    event.position,
    r.status,
    r.portal_status,
    r.status_phase,
    r.permit_type,
    r.category,
    addressLine(r.address),
    r.address.city,
    r.address.state,
    r.address.zip,
    r.work_description,
    r.dates.applied,
    r.dates.issued,
    r.dates.finaled,
    first.data.observed_at,
    event.data.observed_at,
    event.data.source_url,
    JSON.stringify(r),
  ];
}

/** The columns the status endpoint reads: no JSON parsing on the hot path. */
export interface PermitRow {
  stream: string;
  jurisdiction: string;
  permit_number: string;
  version: number;
  status: string | null;
  portal_status: string | null;
  status_phase: StatusPhase;
  permit_type: string | null;
  category: string;
  address_line: string | null;
  work_description: string | null;
  first_seen_at: string;
  last_changed_at: string;
  source_url: string;
  /** From the freshness table: when a portal was last asked, changed or not. */
  last_checked_at: string | null;
}

const PERMIT_ROW_SQL = `SELECT p.stream, p.jurisdiction, p.permit_number, p.version, p.status, p.portal_status, p.status_phase,
  p.permit_type, p.category, p.address_line, p.work_description, p.first_seen_at, p.last_changed_at, p.source_url,
  f.last_checked_at
FROM permits p LEFT JOIN permit_freshness f ON f.stream = p.stream`;

export function getPermitRow(db: Queryable, stream: string): Promise<PermitRow | undefined> {
  return db.get<PermitRow>(`${PERMIT_ROW_SQL} WHERE p.stream = ?`, [stream]);
}

/** The jurisdictions a permit number is already known under (used to resolve without `?jurisdiction=`). */
export async function knownJurisdictions(db: Queryable, permitNumber: string): Promise<string[]> {
  const rows = await db.all<{ jurisdiction: string }>('SELECT jurisdiction FROM permits WHERE permit_number = ? ORDER BY jurisdiction', [
    permitNumber,
  ]);
  return rows.map((r) => r.jurisdiction);
}

/** Permit rows (and number → jurisdictions answers) kept in memory: ~1 KB each, so ~10 MB at most. */
export const PERMIT_READ_CACHE_MAX = 10_000;

// Read-cache topics: rows by stream, and the jurisdictions a permit number is known under.
const ROWS = 'permits.row';
const NUMBERS = 'permits.number';

export interface PermitReader {
  row(stream: string): Promise<PermitRow | undefined>;
  jurisdictionsOf(permitNumber: string): Promise<string[]>;
}

/**
 * getPermitRow and knownJurisdictions for the cached-lookup path, answered from memory until the
 * write path says a permit changed (forgetPermits) or another process commits (Db.caches).
 * Returned rows are shared: never mutate them.
 */
export function createPermitReader(db: Db): PermitReader {
  const rows = db.caches.create<PermitRow | undefined>(ROWS, { max: PERMIT_READ_CACHE_MAX });
  const known = db.caches.create<string[]>(NUMBERS, { max: PERMIT_READ_CACHE_MAX });
  return {
    row: (stream) => rows.get(stream, () => getPermitRow(db, stream)),
    jurisdictionsOf: (permitNumber) => known.get(permitNumber, () => knownJurisdictions(db, permitNumber)),
  };
}

/**
 * Tells the read caches that these permits' rows (projection and freshness) changed. The write
 * path calls it once its transaction has committed.
 */
export function forgetPermits(db: Db, permits: readonly { stream: string; permitNumber: string }[]): void {
  db.caches.invalidate(
    ROWS,
    permits.map((p) => p.stream),
  );
  db.caches.invalidate(
    NUMBERS,
    permits.map((p) => p.permitNumber),
  );
}

/** The full current record of a permit. */
export async function getPermitRecord(db: Queryable, stream: string): Promise<PermitRecord | undefined> {
  const row = await db.get<{ record: string }>('SELECT record FROM permits WHERE stream = ?', [stream]);
  return row ? (JSON.parse(row.record) as PermitRecord) : undefined;
}

/** Active (not closed, expired, denied or withdrawn) permit counts per jurisdiction. */
export async function activeCounts(db: Queryable): Promise<Map<string, number>> {
  const rows = await db.all<{ jurisdiction: string; n: number }>(
    `SELECT jurisdiction, COUNT(*) AS n FROM permits
     WHERE ${activePhaseSql('status_phase')} GROUP BY jurisdiction`,
  );
  return new Map(rows.map((r) => [r.jurisdiction, r.n]));
}

/** A whole permits row (every column, the record as JSON text) and when its portal was last asked. */
export type PermitExportRow = Record<string, SqlValue>;

/** The permits row columns in table order, then `last_checked_at` (what `permitwatch export --what permits` writes). */
export const PERMIT_EXPORT_COLUMNS: readonly string[] = [...COLUMNS, 'last_checked_at'];

/**
 * One page of whole permits rows after `afterStream` in stream order (keyset paging: each page
 * is one indexed range read, however deep the export is).
 */
export function readPermitsPage(db: Queryable, afterStream: string, limit: number): Promise<PermitExportRow[]> {
  return db.all<PermitExportRow>(
    `SELECT ${COLUMNS.map((c) => `p.${c}`).join(', ')}, f.last_checked_at
     FROM permits p LEFT JOIN permit_freshness f ON f.stream = p.stream
     WHERE p.stream > ? ORDER BY p.stream LIMIT ?`,
    [afterStream, limit],
  );
}
