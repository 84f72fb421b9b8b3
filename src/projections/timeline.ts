import type { Queryable } from '../db/db.ts';
import type { PortalHistoryEntry } from '../permits/record.ts';
import type { Projection } from './projection.ts';

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
    const record = event.data.record;
    let seq = 0;
    const seen = new Set((ctx.prev?.portal_history ?? []).map(historyKey));
    for (const entry of record.portal_history) {
      if (seen.has(historyKey(entry)) || entry.date === null) continue;
      // The portal's own list is re-sent on every observation; the unique index keeps each entry once.
      await tx.run(
        `INSERT INTO timeline (stream, position, seq, source, status, portal_status, changed_at, change_kind)
         VALUES (?, ?, ?, 'portal', ?, ?, ?, NULL) ON CONFLICT DO NOTHING`,
        [event.stream, event.position, seq++, entry.status, entry.status, entry.date],
      );
    }
    for (const change of ctx.changes) {
      if (change.kind !== 'permit_created' && change.kind !== 'status_change') continue;
      await tx.run(
        `INSERT INTO timeline (stream, position, seq, source, status, portal_status, changed_at, change_kind)
         VALUES (?, ?, ?, 'sync_log', ?, ?, ?, ?)`,
        [event.stream, event.position, seq++, record.status, record.portal_status, event.data.observed_at, change.kind],
      );
    }
  },
  async truncate(tx) {
    await tx.run('DELETE FROM timeline');
  },
};

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
