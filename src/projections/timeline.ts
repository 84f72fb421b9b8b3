import type { Queryable, SqlValue } from '../db/db.ts';
import type { PortalHistoryEntry } from '../permits/record.ts';
import type { PermitObservedFacts } from '../events/decode.ts';
import type { ApplyContext, Projection } from './projection.ts';

/**
 * The unified status timeline (reference: /history): every transition the portal itself lists
 * (`source: "portal"`, date-only) merged with the transitions Permitwatch saw happen between two
 * observations (`source: "sync_log"`, full timestamps).
 */
export const timelineProjection: Projection = {
  name: 'timeline',
  tables: ['timeline'],
  migrations: [
    {
      id: '0021_projection_timeline',
      sql: `
CREATE TABLE timeline (
  stream TEXT NOT NULL,
  position INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('portal', 'sync_log')),
  status TEXT,
  portal_status TEXT,
  changed_at TEXT NOT NULL,
  change_kind TEXT,
  PRIMARY KEY (stream, position, seq)
);
CREATE UNIQUE INDEX timeline_portal_once ON timeline (stream, portal_status, changed_at) WHERE source = 'portal';
`,
    },
  ],
  async apply(event, ctx, tx) {
    for (const row of timelineRows(event, ctx)) {
      // The portal's own list is re-sent on every observation; the unique index keeps each entry once.
      await tx.run(
        `INSERT INTO timeline (stream, position, seq, source, status, portal_status, changed_at, change_kind)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)${row[SOURCE] === 'portal' ? ' ON CONFLICT DO NOTHING' : ''}`,
        row,
      );
    }
  },
  fold(steps) {
    const rows: SqlValue[][] = [];
    const kept = new Set<string>();
    for (const { event, ctx } of steps) {
      for (const row of timelineRows(event, ctx)) {
        if (row[SOURCE] === 'portal') {
          // What timeline_portal_once does to apply's inserts (portal_status is never null, so no NULL-distinct case).
          const key = `${row[PORTAL_STATUS]}\u0000${row[CHANGED_AT]}`;
          if (kept.has(key)) continue;
          kept.add(key);
        }
        rows.push(row);
      }
    }
    return { timeline: rows };
  },
};

const SOURCE = 3;
const PORTAL_STATUS = 5;
const CHANGED_AT = 6;

/**
 * The timeline rows one observation adds, in column order: the portal history entries the
 * previous observation did not list (still subject to timeline_portal_once), then one sync_log
 * row per creation or status change.
 */
function timelineRows(event: PermitObservedFacts, ctx: ApplyContext): SqlValue[][] {
  const record = event.data.record;
  const rows: SqlValue[][] = [];
  let seq = 0;
  const seen = new Set((ctx.prev?.portal_history ?? []).map(historyKey));
  for (const entry of record.portal_history) {
    if (seen.has(historyKey(entry)) || entry.date === null) continue;
    rows.push([event.stream, event.position, seq++, 'portal', entry.status, entry.status, entry.date, null]);
  }
  for (const change of ctx.changes) {
    if (change.kind !== 'permit_created' && change.kind !== 'status_change') continue;
    rows.push([event.stream, event.position, seq++, 'sync_log', record.status, record.portal_status, event.data.observed_at, change.kind]);
  }
  return rows;
}

function historyKey(entry: PortalHistoryEntry): string {
  return `${entry.status}\u0000${entry.date}`;
}

export interface TimelineEntry {
  status: string | null;
  portal_status: string | null;
  changed_at: string;
  source: 'portal' | 'sync_log';
}

/**
 * The timeline of one permit in chronological order. Date-only portal entries sort before
 * timestamps of the same day, which is what the portal's granularity allows.
 */
export function readTimeline(db: Queryable, stream: string): Promise<TimelineEntry[]> {
  return db.all<TimelineEntry>(
    `SELECT status, portal_status, changed_at, source FROM timeline WHERE stream = ?
     ORDER BY changed_at, position, seq`,
    [stream],
  );
}
