import type { Queryable, SqlValue } from '../db/db.ts';
import { PERMIT_EXPORT_COLUMNS, readPermitsPage } from '../projections/permits.ts';
import { headPosition, readAll, STORED_EVENT_COLUMNS } from '../store/read.ts';

/**
 * Rows read per query: one page is all an export holds in memory (about 1-2 MB of permit
 * records), and a thousand rows a query keep the per-query cost small beside the writing.
 */
export const EXPORT_PAGE_SIZE = 1_000;

export type ExportWhat = 'events' | 'permits';

/** What an export reads: how many rows to expect (for the progress bar), its columns, and its pages. */
export interface ExportSource {
  total: number;
  columns: readonly string[];
  /** Columns holding JSON text: NDJSON writes them as objects, CSV as the text. */
  jsonColumns: readonly string[];
  pages(): AsyncIterable<Record<string, SqlValue>[]>;
}

/**
 * The event log up to its head when the export starts, in position order: the log is
 * append-only, so paging by position while the server appends gives exactly that prefix.
 */
async function eventsSource(db: Queryable, pageSize: number): Promise<ExportSource> {
  const head = await headPosition(db);
  const total = (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM events WHERE position <= ?', [head]))?.n ?? 0;
  return {
    total,
    columns: STORED_EVENT_COLUMNS,
    jsonColumns: ['data', 'meta'],
    async *pages() {
      let after = 0;
      while (after < head) {
        const page = (await readAll(db, after, pageSize)).filter((e) => e.position <= head);
        if (page.length === 0) return;
        after = page[page.length - 1]!.position;
        yield page as unknown as Record<string, SqlValue>[];
      }
    },
  };
}

/**
 * The permits read model in stream order. Each page is read on its own, so a permit that
 * changes during a long export shows the state its page saw (the log is the consistent copy).
 */
async function permitsSource(db: Queryable, pageSize: number): Promise<ExportSource> {
  const total = (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM permits'))?.n ?? 0;
  return {
    total,
    columns: PERMIT_EXPORT_COLUMNS,
    jsonColumns: ['record'],
    async *pages() {
      let after = '';
      for (;;) {
        const page = await readPermitsPage(db, after, pageSize);
        if (page.length === 0) return;
        after = String(page[page.length - 1]!.stream);
        yield page;
      }
    },
  };
}

export function exportSource(db: Queryable, what: ExportWhat, pageSize = EXPORT_PAGE_SIZE): Promise<ExportSource> {
  return what === 'events' ? eventsSource(db, pageSize) : permitsSource(db, pageSize);
}
