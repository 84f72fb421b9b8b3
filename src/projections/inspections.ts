import type { Queryable, SqlValue } from '../db/db.ts';
import type { PermitObservedFacts } from '../events/decode.ts';
import { canonicalJson } from '../permits/content-hash.ts';
import { inspectionOutcome } from '../permits/inspection-outcome.ts';
import type { Projection } from './projection.ts';

/**
 * Inspections of each permit as of its latest observation, with each completed result
 * classified, so the pass rate is a query, not a loop in the handler.
 */
export const inspectionsProjection: Projection = {
  name: 'inspections',
  tables: ['inspections'],
  migrations: [
    {
      id: '0022_projection_inspections',
      sql: `
CREATE TABLE inspections (
  stream TEXT NOT NULL,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  date TEXT,
  result TEXT,
  inspector TEXT,
  status TEXT NOT NULL CHECK (status IN ('completed', 'scheduled', 'pending')),
  outcome TEXT,
  PRIMARY KEY (stream, seq)
);
`,
    },
  ],
  async apply(event, ctx, tx) {
    // The portal lists all inspections every time: the latest observation replaces the set. The
    // rows now are the previous observation's set (this is a fold), so an unchanged set is left
    // alone and a stream that had none needs no delete.
    const before = ctx.prev?.inspections ?? [];
    const after = event.data.record.inspections;
    if (before.length === 0 && after.length === 0) return;
    if (before.length === after.length && canonicalJson(before) === canonicalJson(after)) return;
    if (before.length > 0) await tx.run('DELETE FROM inspections WHERE stream = ?', [event.stream]);
    for (const row of inspectionRows(event)) {
      await tx.run('INSERT INTO inspections (stream, seq, type, date, result, inspector, status, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', row);
    }
  },
  fold(steps) {
    // Each observation replaces the set, so the rows are the latest observation's.
    return { inspections: inspectionRows(steps[steps.length - 1]!.event) };
  },
};

/** The inspections rows of one observation, in column order. */
function inspectionRows(event: PermitObservedFacts): SqlValue[][] {
  return event.data.record.inspections.map((i, seq) => [
    event.stream,
    seq,
    i.type,
    i.date,
    i.result,
    i.inspector,
    i.status,
    i.status === 'completed' ? inspectionOutcome(i.result) : null,
  ]);
}

export interface InspectionsView {
  inspections: { type: string; date: string | null; result: string | null; inspector: string | null }[];
  pending: { type: string; date: string | null; status: 'scheduled' | 'pending'; inspector: string | null }[];
  /** Passed ÷ completed; null when nothing is completed (reference: /inspections). */
  pass_rate: number | null;
  completed_count: number;
  passed_count: number;
}

export async function readInspections(db: Queryable, stream: string): Promise<InspectionsView> {
  const rows = await db.all<{
    type: string;
    date: string | null;
    result: string | null;
    inspector: string | null;
    status: string;
    outcome: string | null;
  }>('SELECT type, date, result, inspector, status, outcome FROM inspections WHERE stream = ? ORDER BY date, seq', [stream]);
  const completed = rows.filter((r) => r.status === 'completed');
  const passed = completed.filter((r) => r.outcome === 'pass').length;
  return {
    inspections: completed.map(({ type, date, result, inspector }) => ({ type, date, result, inspector })),
    pending: rows
      .filter((r) => r.status !== 'completed')
      .map(({ type, date, status, inspector }) => ({ type, date, status: status as 'scheduled' | 'pending', inspector })),
    pass_rate: completed.length === 0 ? null : Math.round((passed / completed.length) * 10_000) / 10_000,
    completed_count: completed.length,
    passed_count: passed,
  };
}
