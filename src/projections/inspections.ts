import type { Queryable, SqlValue } from '../db/db.ts';
import type { PermitObservedFacts } from '../events/decode.ts';
import { canonicalJson } from '../permits/content-hash.ts';
import { inspectionOutcome } from '../permits/inspection-outcome.ts';
import { deleteWhereIn, insertRows } from '../db/batch-statement.ts';
import type { ReadModel } from './projection.ts';
import { streamSpans } from './stream-spans.ts';

const MIGRATIONS = [
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
];

const COLUMNS = ['stream', 'seq', 'type', 'date', 'result', 'inspector', 'status', 'outcome'];

/**
 * Inspections of each permit as of its latest observation, with each completed result
 * classified, so the pass rate is a query, not a loop in the handler.
 */
function inspectionsInto(table: string): ReadModel {
  const insert = insertRows(table, COLUMNS);
  const clear = deleteWhereIn(table, 'stream');
  return {
    rebuild: 'replay',
    name: 'inspections',
    tables: ['inspections'],
    migrations: MIGRATIONS,
    async handle(events, tx) {
      const spans = streamSpans(events);
      // The portal lists all inspections every time: a stream's latest observation replaces its
      // set. The rows before the batch are the set its first event's `prev` listed, so a set the
      // batch left as it was is not rewritten, and a stream that had none needs no delete.
      const cleared: SqlValue[][] = [];
      const rows: SqlValue[][] = [];
      for (const { first, last } of spans.values()) {
        const before = first.prev?.inspections ?? [];
        const after = last.event.data.record.inspections;
        if (before.length === 0 && after.length === 0) continue;
        if (before.length === after.length && canonicalJson(before) === canonicalJson(after)) continue;
        if (before.length > 0) cleared.push([last.event.stream]);
        addInspectionRows(rows, last.event);
      }
      await clear(tx, cleared);
      await insert(tx, rows);
    },
    into: (rename) => inspectionsInto(rename('inspections')),
  };
}

export const inspectionsProjection = inspectionsInto('inspections');

/** Adds the inspections rows of one observation, in COLUMNS order. */
function addInspectionRows(rows: SqlValue[][], event: PermitObservedFacts): void {
  event.data.record.inspections.forEach((i, seq) =>
    rows.push([
      event.stream,
      seq,
      i.type,
      i.date,
      i.result,
      i.inspector,
      i.status,
      i.status === 'completed' ? inspectionOutcome(i.result) : null,
    ]),
  );
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
