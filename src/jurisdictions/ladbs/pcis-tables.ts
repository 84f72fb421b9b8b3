import { usDateToIso } from '../us-date.ts';
import type { PcisPage } from './pcis-page.ts';

/**
 * The six tables of a PCIS detail page, each validated by its shape. PCIS prints no header row
 * (no `<th>`, no column titles: every capture under fixtures/ladbs/), so columns cannot be found
 * by name; they are read by position, and a row must have exactly the table's cell count, its
 * required cells filled and its date cells empty or a real date. A row that does not fit (one
 * cell more, a header row written in `<td>`, a date column holding "10:30 AM") makes the whole
 * page unreadable instead of shifting values into the wrong fields.
 */
export const PCIS_TABLES = {
  // "Issued | 7/6/2016 | LADBS" (16041); "Submitted | 1/5/2026 | APPLICANT" (26014).
  history: { title: 'Permit Application Status History', columns: ['status', 'date', 'by'], required: ['status'], dates: ['date'] },
  // "Specific Plan | Not Cleared | 1/22/2026 | City Planning Department" (26014).
  clearances: {
    title: 'Permit Application Clearance Information',
    columns: ['clearance', 'status', 'date', 'by'],
    required: ['clearance', 'status'],
    dates: ['date'],
  },
  // "Contractor | Kelley Joel Electric; Lic. No.: 917355-C10 | 1546 LINDA ROSA AVE ... CA 90041" (16041).
  contacts: { title: 'Contact Information', columns: ['role', 'party', 'address'], required: ['role', 'party'], dates: [] },
  // "ARAM AVEDISIAN, (310) 914-3896 | Office Hours: 7:00-8:00 AM MON-FRI" (16041, 26030).
  inspector: { title: 'Inspector Information', columns: ['inspector', 'hours'], required: ['inspector'], dates: [] },
  // "Final | 8/7/2018 | Permit Finaled | ANDREW NAVE" (16041).
  requests: {
    title: 'Inspection Request History',
    columns: ['inspection', 'date', 'result', 'inspector'],
    required: ['inspection'],
    dates: ['date'],
  },
} as const;

/**
 * No capture shows a filled Pending Inspections table: every one holds only the "No Data
 * Available." row with colspan 4. So a pending row is accepted with at most that many cells, its
 * first cell filled and no cell that is a column title: the table's layout is not known, and a
 * title row must not become an inspection.
 */
export const PCIS_PENDING = { title: 'Pending Inspections', maxCells: 4 } as const;
/**
 * Words a column title would be. No PCIS cell in the captures is one of them (statuses, names,
 * clearances, inspection types), so a row holding one is a title row written in `<td>`: in a
 * table without a date column (contacts) nothing else would tell it from data.
 */
const COLUMN_TITLE =
  /^(inspection|inspection type|type|date|scheduled|status|result|inspector|description|role|name|contact|address|clearance|by|phone|office hours)$/i;

type Shapes = typeof PCIS_TABLES;
export type PcisRow<K extends keyof Shapes> = Record<Shapes[K]['columns'][number], string>;
export type PcisTables = { [K in keyof Shapes]: PcisRow<K>[] } & { pending: string[][] };

/** Every section title a detail page shows, in page order (all three real captures). */
export const PCIS_SECTION_TITLES = [
  PCIS_TABLES.history.title,
  PCIS_TABLES.clearances.title,
  PCIS_TABLES.contacts.title,
  PCIS_TABLES.inspector.title,
  PCIS_PENDING.title,
  PCIS_TABLES.requests.title,
] as const;

/** The page's tables, or why they cannot be trusted (a missing table, a row of the wrong shape). */
export function readPcisTables(page: PcisPage): { ok: true; tables: PcisTables } | { ok: false; message: string } {
  const out: Partial<Record<keyof Shapes, unknown[]>> = {};
  for (const key of Object.keys(PCIS_TABLES) as (keyof Shapes)[]) {
    const shape = PCIS_TABLES[key];
    const rows = page.sections.get(shape.title);
    if (!rows) return { ok: false, message: `no "${shape.title}" table` };
    const read: Record<string, string>[] = [];
    for (const cells of rows) {
      if (cells.every((c) => c === '')) continue;
      const problem = rowProblem(cells, shape);
      if (problem) return { ok: false, message: `"${shape.title}" row [${cells.join(' | ')}]: ${problem}` };
      read.push(Object.fromEntries(shape.columns.map((column, i) => [column, cells[i] ?? ''])));
    }
    out[key] = read;
  }
  const pending = page.sections.get(PCIS_PENDING.title);
  if (!pending) return { ok: false, message: `no "${PCIS_PENDING.title}" table` };
  for (const cells of pending) {
    if (cells.length > PCIS_PENDING.maxCells || !cells[0] || cells.some((c) => COLUMN_TITLE.test(c))) {
      return { ok: false, message: `"${PCIS_PENDING.title}" row [${cells.join(' | ')}] does not fit` };
    }
  }
  return { ok: true, tables: { ...(out as Omit<PcisTables, 'pending'>), pending: pending.map((c) => [...c]) } };
}

function rowProblem(cells: readonly string[], shape: Shapes[keyof Shapes]): string | null {
  const { columns, required, dates } = shape as { columns: readonly string[]; required: readonly string[]; dates: readonly string[] };
  if (cells.length !== columns.length) return `${cells.length} cells, expected ${columns.length}`;
  const title = cells.find((c) => COLUMN_TITLE.test(c));
  if (title) return `"${title}" is a column title`;
  for (const column of required) if (!cells[columns.indexOf(column)]) return `no ${column}`;
  for (const column of dates) {
    const text = cells[columns.indexOf(column)] ?? '';
    if (text && !usDateToIso(text)) return `${column} "${text}" is not a date`;
  }
  return null;
}
