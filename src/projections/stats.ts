import type { Queryable, SqlValue } from '../db/db.ts';
import type { PermitObservedFacts } from '../events/decode.ts';
import { insertRows, upsertTail } from '../db/batch-statement.ts';
import type { ReadModel } from './projection.ts';
import { streamSpans } from './stream-spans.ts';
import { activePhaseSql } from '../permits/phases.ts';

/** Below this many applied→issued intervals a median says little, so analytics report null (reference). */
export const MIN_MEDIAN_SAMPLE = 5;
/** Intervals longer than this are data errors (a reissued permit, a typo in a year), not processing times. */
export const MAX_PLAUSIBLE_PROCESSING_DAYS = 3_650;

const DAY_MS = 86_400_000;

const MIGRATIONS = [
  {
    id: '0023_projection_stats',
    sql: `
CREATE TABLE permit_stats (
  stream TEXT PRIMARY KEY,
  jurisdiction TEXT NOT NULL,
  permit_type TEXT,
  status_phase TEXT NOT NULL,
  applied_date TEXT,
  issued_date TEXT,
  processing_days INTEGER,
  first_seen_at TEXT NOT NULL
);
CREATE INDEX permit_stats_days ON permit_stats (jurisdiction, processing_days) WHERE processing_days IS NOT NULL;
CREATE INDEX permit_stats_type ON permit_stats (jurisdiction, permit_type);
`,
  },
];

const COLUMNS = [
  'stream',
  'jurisdiction',
  'permit_type',
  'status_phase',
  'applied_date',
  'issued_date',
  'processing_days',
  'first_seen_at',
];
/** What a later event of the stream updates; jurisdiction and first_seen_at stay the first event's. */
const UPDATED = ['permit_type', 'status_phase', 'applied_date', 'issued_date', 'processing_days'];

/**
 * Jurisdiction statistics and analytics: one row per permit with what the aggregates need
 * (type, dates, applied→issued days), indexed so a median is an OFFSET query, not a scan in code.
 */
function statsInto(table: string): ReadModel {
  const upsert = insertRows(table, COLUMNS, upsertTail('stream', UPDATED));
  return {
    rebuild: 'replay',
    name: 'stats',
    tables: ['permit_stats'],
    migrations: MIGRATIONS,
    async handle(events, tx) {
      const spans = streamSpans(events);
      const rows: SqlValue[][] = [];
      for (const { first, last } of spans.values()) rows.push(statsValues(last.event, first.event));
      await upsert(tx, rows);
    },
    into: (rename) => statsInto(rename('permit_stats')),
  };
}

export const statsProjection = statsInto('permit_stats');

/** A permit_stats row in COLUMNS order: `first` is the stream's first event in the batch, `event` its latest. */
function statsValues(event: PermitObservedFacts, first: PermitObservedFacts): SqlValue[] {
  const r = event.data.record;
  return [
    event.stream,
    first.data.record.jurisdiction,
    r.permit_type,
    r.status_phase,
    r.dates.applied,
    r.dates.issued,
    processingDays(r.dates.applied, r.dates.issued),
    first.data.observed_at,
  ];
}

/** Whole days from application to issue; null when either is unknown or the interval is implausible. */
export function processingDays(applied: string | null, issued: string | null): number | null {
  if (!applied || !issued) return null;
  const days = Math.round((Date.parse(`${issued}T00:00:00Z`) - Date.parse(`${applied}T00:00:00Z`)) / DAY_MS);
  return Number.isFinite(days) && days >= 0 && days <= MAX_PLAUSIBLE_PROCESSING_DAYS ? days : null;
}

export interface JurisdictionStats {
  permit_count: number;
  active_permits_count: number;
  date_range: { earliest: string | null; latest: string | null };
}

export async function readStats(db: Queryable, jurisdiction: string): Promise<JurisdictionStats> {
  const row = await db.get<{ n: number; active: number | null; earliest: string | null; latest: string | null }>(
    `SELECT COUNT(*) AS n,
            SUM(CASE WHEN ${activePhaseSql('status_phase')} THEN 1 ELSE 0 END) AS active,
            MIN(COALESCE(applied_date, issued_date)) AS earliest,
            MAX(COALESCE(issued_date, applied_date)) AS latest
     FROM permit_stats WHERE jurisdiction = ?`,
    [jurisdiction],
  );
  return {
    permit_count: row?.n ?? 0,
    active_permits_count: row?.active ?? 0,
    date_range: { earliest: row?.earliest ?? null, latest: row?.latest ?? null },
  };
}

export interface JurisdictionAnalytics {
  median_processing_days: number | null;
  sample_size: number;
  permit_count: number;
  permits_by_type: Record<string, number>;
  date_range: { earliest: string | null; latest: string | null };
}

/** Median applied→issued days (null below MIN_MEDIAN_SAMPLE), counts and the type breakdown. */
export async function readAnalytics(db: Queryable, jurisdiction: string): Promise<JurisdictionAnalytics> {
  const stats = await readStats(db, jurisdiction);
  const sample = (await db.get<{ n: number }>(
    'SELECT COUNT(*) AS n FROM permit_stats WHERE jurisdiction = ? AND processing_days IS NOT NULL',
    [jurisdiction],
  ))!.n;
  let median: number | null = null;
  if (sample >= MIN_MEDIAN_SAMPLE) {
    const mids = await db.all<{ d: number }>(
      `SELECT processing_days AS d FROM permit_stats WHERE jurisdiction = ? AND processing_days IS NOT NULL
       ORDER BY processing_days LIMIT ? OFFSET ?`,
      [jurisdiction, sample % 2 === 0 ? 2 : 1, Math.floor((sample - 1) / 2)],
    );
    median = mids.reduce((s, m) => s + m.d, 0) / mids.length;
  }
  const types = await db.all<{ t: string | null; n: number }>(
    'SELECT permit_type AS t, COUNT(*) AS n FROM permit_stats WHERE jurisdiction = ? GROUP BY permit_type ORDER BY n DESC, t',
    [jurisdiction],
  );
  const permits_by_type: Record<string, number> = {};
  for (const t of types) permits_by_type[t.t ?? 'Unknown'] = t.n;
  return {
    median_processing_days: median,
    sample_size: sample,
    permit_count: stats.permit_count,
    permits_by_type,
    date_range: stats.date_range,
  };
}
