import { parseHTML } from '../html.ts';
import { cellText } from './aca-text.ts';

/**
 * One row of ACA's record search grid `#ctl00_PlaceHolderMain_dgvPermitList_gdvPermitList`, read by
 * the element ids ACA gives its cells (fixtures/accela/osceola-caphome-search-results-derived.html):
 * a record with a detail page shows its number in `span[id$=lblPermitNumber1]` inside
 * `a[id$=hlPermitNumber]`; a temporary application (OSCTEMP26-35056) only in `span[id$=lblPermitNumber]`,
 * with no link and no detail page.
 */
export interface ResultRow {
  permitNumber: string;
  /** The row's CapDetail link as written (root-relative on the capture), null for list-only rows. */
  detailHref: string | null;
  recordType: string | null;
  address: string | null;
  status: string | null;
}

const GRID = '[id$="dgvPermitList_gdvPermitList"]';
// Data rows alternate these classes; the header row is ACA_TabRow_Header and the pager has neither.
const DATA_ROWS = 'tr.ACA_TabRow_Odd, tr.ACA_TabRow_Even';

/** The data rows of the search grid in an HTML page or fragment; [] when there is no grid. */
export function readResultRows(html: string): ResultRow[] {
  const { document } = parseHTML(html);
  const grid = document.querySelector(GRID);
  if (!grid) return [];
  const rows: ResultRow[] = [];
  for (const tr of grid.querySelectorAll(DATA_ROWS)) {
    const text = (suffix: string) => cellText(tr.querySelector(`span[id$="_${suffix}"]`)) || null;
    const permitNumber = text('lblPermitNumber1') ?? text('lblPermitNumber');
    if (!permitNumber) continue;
    rows.push({
      permitNumber,
      detailHref: tr.querySelector('a[id$="_hlPermitNumber"]')?.getAttribute('href') ?? null,
      recordType: text('lblType'),
      address: text('lblAddress'),
      status: text('lblStatus'),
    });
  }
  return rows;
}

/** True when the grid is present at all (an empty grid is still an answer). */
export function hasResultGrid(html: string): boolean {
  return parseHTML(html).document.querySelector(GRID) !== null;
}

/** The grid caption's "Showing 1-10 of 100+": the rows on this page and how many the search found. */
export interface ResultCount {
  from: number;
  to: number;
  /** The number found, null for ACA's "100+" (more than it counts). */
  total: number | null;
}

// " Showing 1-10 of 100+ " (the real Osceola grid caption; "Showing 1-1 of 1" on the conditions grid).
const SHOWING = /Showing\s+(\d+)\s*-\s*(\d+)\s+of\s+(\d+)(\+?)/;

/** The search grid's result count, null when the grid has no "Showing x-y of N" caption. */
export function readResultCount(html: string): ResultCount | null {
  const grid = parseHTML(html).document.querySelector(GRID);
  const m = SHOWING.exec(cellText(grid?.querySelector('.aca_gridview_caption') ?? null));
  if (!m) return null;
  return { from: Number(m[1]), to: Number(m[2]), total: m[4] ? null : Number(m[3]) };
}
