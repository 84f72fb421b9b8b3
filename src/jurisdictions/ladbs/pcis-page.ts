import { parseHTML } from '../html.ts';

/**
 * The text of one PCIS "Permit and Inspection Report Detail" page, read structurally and nothing
 * more: the header line, the label → value pairs of its definition list, and the rows of each
 * titled table. Interpreting them is parse-detail.ts's job.
 *
 * Layout, as in fixtures/ladbs/ladbs-pcis-detail-16041-10000-23545.html:
 *   h5.title                      "3030 S MIDVALE AVE    90034"
 *   dl.dl-horizontal > dt + dd    "Application / Permit" → "16041-10000-23545", ...
 *   h3.xs-fontSize + table        "Permit Application Status History" → rows of td
 */
export interface PcisPage {
  /** The document title: "Permit and Inspection Report Detail" on every detail capture. */
  title: string | null;
  /** The site footer (`footer#footer`), the last part of a page that arrived whole. */
  hasFooter: boolean;
  /** The permit's definition list (`dl.dl-horizontal`), present on every detail capture. */
  hasList: boolean;
  /** Every `h3.xs-fontSize` title, followed by its table or not (a table-less heading is damage). */
  headings: readonly string[];
  /** The address line above the list, whitespace collapsed. */
  header: string | null;
  /** A bold note PCIS puts inside the list on some records ("Pre - Inspection only, ..." in 26030). */
  notice: string | null;
  /** dt label → dd text, both whitespace collapsed ("Permit Finaled <span>on 8/8/2018</span>" reads as one line). */
  fields: ReadonlyMap<string, string>;
  /** h3 title → rows of cell texts; the "No Data Available." placeholder row is dropped. */
  sections: ReadonlyMap<string, readonly string[][]>;
}

// PCIS fills an empty table with one cell spanning the row (colspan 2, 4, 5 or 7 in the captures).
const NO_DATA = /^no data available\.?$/i;

interface TextNode {
  textContent: string | null;
}

/** Collapses the page's indentation, CR/LF runs and &nbsp; (contact addresses) into single spaces. */
export function cellText(node: TextNode | null | undefined): string {
  return (node?.textContent ?? '').replace(/[\s\u00a0]+/g, ' ').trim();
}

/** Reads the page; any HTML, or none, gives a page (possibly empty), never an exception. */
export function readPcisPage(html: string): PcisPage {
  const { document } = parseHTML(html);

  const fields = new Map<string, string>();
  for (const dt of document.querySelectorAll('dl.dl-horizontal > dt')) {
    const dd = dt.nextElementSibling;
    const label = cellText(dt);
    if (dd?.tagName === 'DD' && label && !fields.has(label)) fields.set(label, cellText(dd));
  }

  const sections = new Map<string, string[][]>();
  const headings: string[] = [];
  for (const h3 of document.querySelectorAll('h3.xs-fontSize')) {
    headings.push(cellText(h3));
    const table = h3.nextElementSibling;
    if (table?.tagName !== 'TABLE') continue;
    const rows: string[][] = [];
    for (const tr of table.querySelectorAll('tr')) {
      // Only the table's own rows and cells: a table nested in a cell would otherwise add its
      // cells to the row, and shift every value after it.
      if (tr.closest('table') !== table) continue;
      const cells = [...tr.children].filter((c) => c.tagName === 'TD').map((td) => cellText(td));
      if (cells.length === 0 || (cells.length === 1 && NO_DATA.test(cells[0] ?? ''))) continue;
      rows.push(cells);
    }
    sections.set(cellText(h3), rows);
  }

  return {
    title: cellText(document.querySelector('title')) || null,
    hasFooter: document.querySelector('footer#footer') !== null,
    hasList: document.querySelector('dl.dl-horizontal') !== null,
    headings,
    header: cellText(document.querySelector('h5.title')) || null,
    notice: cellText(document.querySelector('dl.dl-horizontal > h3')) || null,
    fields,
    sections,
  };
}
