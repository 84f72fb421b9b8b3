import type { Queryable, SqlValue } from '../db/db.ts';
import { PERMIT_OBSERVED } from '../events/permit-observed.ts';
import { WATCH_ADDED, WATCH_REMOVED, WATCH_UPDATED } from '../events/watch.ts';
import { assertUnreachable } from '../lib/assert-unreachable.ts';
import type { PortalHistoryEntry } from '../permits/record.ts';
import { insertRows } from '../db/batch-statement.ts';
import type { PermitProjected, ReadModel } from './projection.ts';

const MIGRATIONS = [
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
];

const COLUMNS = ['stream', 'position', 'seq', 'source', 'status', 'portal_status', 'changed_at', 'change_kind'];
/**
 * The portal re-sends its whole list on every observation, and an entry can drop out of it and
 * come back: timeline_portal_once keeps each entry once, the first time it was listed. The
 * target names only that partial index, so a sync_log row that collided on the primary key
 * would still fail loudly.
 */
const PORTAL_ONCE = ` ON CONFLICT(stream, portal_status, changed_at) WHERE source = 'portal' DO NOTHING`;

/**
 * The unified status timeline (reference: /history): every transition the portal itself lists
 * (`source: "portal"`, date-only) merged with the transitions Permitwatch saw happen between two
 * observations (`source: "sync_log"`, full timestamps).
 */
function timelineInto(table: string): ReadModel {
  const insert = insertRows(table, COLUMNS, PORTAL_ONCE);
  return {
    rebuild: 'replay',
    name: 'timeline',
    tables: ['timeline'],
    migrations: MIGRATIONS,
    async handle(events, tx) {
      const rows: SqlValue[][] = [];
      for (const e of events) {
        switch (e.event.type) {
          case PERMIT_OBSERVED:
            addTimelineRows(rows, e as PermitProjected);
            break;
          case WATCH_ADDED:
          case WATCH_UPDATED:
          case WATCH_REMOVED:
            // Watching a permit is no transition of it.
            break;
          default:
            assertUnreachable(e.event, 'event type');
        }
      }
      await insert(tx, rows);
    },
    into: (rename) => timelineInto(rename('timeline')),
  };
}

export const timelineProjection = timelineInto('timeline');

/**
 * Adds the rows one observation adds, in COLUMNS order: the portal history entries the previous
 * observation did not list (PORTAL_ONCE drops those listed before that), then one sync_log row
 * per creation or status change.
 */
function addTimelineRows(rows: SqlValue[][], { event, prev, changes }: PermitProjected): void {
  const record = event.data.record;
  let seq = 0;
  const seen = new Set((prev?.portal_history ?? []).map(historyKey));
  for (const entry of record.portal_history) {
    if (seen.has(historyKey(entry)) || entry.date === null) continue;
    rows.push([event.stream, event.position, seq++, 'portal', entry.status, entry.status, entry.date, null]);
  }
  for (const change of changes) {
    if (change.kind !== 'permit_created' && change.kind !== 'status_change') continue;
    rows.push([event.stream, event.position, seq++, 'sync_log', record.status, record.portal_status, event.data.observed_at, change.kind]);
  }
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
