import { parseHTML } from '../html.ts';
import { usDateToIso } from '../us-date.ts';
import { cellText, collapse } from './aca-text.ts';

/**
 * The parts of an ACA CapDetail page a record is made of, read structurally (by ACA's element ids
 * and printed labels) and not yet interpreted. Layout as in the real captures under fixtures/accela/:
 *   span#ctl00_PlaceHolderMain_lblPermitNumber / lblPermitType / lblRecordStatus / lblExpirtionDate (sic)
 *   table#tbl_worklocation                    the work location lines
 *   h1 "Applicant:" | "Licensed Professional:" | "Project Description:" | "Owner:" + span.ACA_SmLabel
 *   #trASIList span.ACA_SmLabelBolder        ASI label, value in the next span.ACA_SmLabel
 *   [id$=palParceList]                        "Folio Number:086453.1238" (HCFL), "Parcel Number: 2526..." (Osceola)
 *   #divProcessingTable                       workflow tasks, "Marked as Issued on 09/16/2026 by ..."
 *   span[id$=lblGeneralConditionsInfo]       condition name, text, "Applied | Notice | 09/04/2026"
 */
export interface AcaDetailPage {
  recordNumber: string | null;
  recordType: string | null;
  recordStatus: string | null;
  expirationDate: string | null;
  /** Work location lines, ACA's primary-address "*" removed. */
  workLocation: string[];
  applicant: { firstName: string | null; lastName: string | null; businessName: string | null } | null;
  /** Lines of the Licensed Professional block; the phone tables between them are left out. */
  licensedProfessional: string[];
  projectDescription: string[];
  owner: string[];
  /** ASI label (trailing colon dropped) → value, in page order. */
  asi: Map<string, string>;
  parcel: { label: string; value: string } | null;
  workflow: WorkflowTask[];
  conditions: ConditionLine[];
  /** What aca-layout.ts checks: whether the page shows the whole layout of a CapDetail page. */
  layout: AcaLayoutFacts;
}

export interface AcaLayoutFacts {
  /** `#divPermitDetailInfo`, the Record Details panel below the header (every capture). */
  hasDetailPanel: boolean;
  /** The panel's block headings ("Applicant", "Licensed Professional", ...), colon dropped. */
  blockHeadings: string[];
  /** Block headings not directly followed by their `span.ACA_SmLabel` content (wrapped, moved, cut). */
  orphanHeadings: string[];
  /** ASI labels with no value element beside them in either known layout. */
  asiWithoutValue: string[];
  /** Workflow rows or condition lines that do not read as the captures do, described. */
  malformed: string[];
  /** The page ends with its closing `</html>`: it arrived whole (see END_OF_PAGE). */
  hasEndOfPage: boolean;
}

export interface WorkflowTask {
  task: string;
  /** The status the task was "Marked as", null while it is still due. */
  status: string | null;
  date: string | null;
  by: string | null;
}

export interface ConditionLine {
  name: string;
  status: string | null;
  date: string | null;
}

interface Node {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<Node>;
}
interface El extends Node {
  tagName: string;
  nextElementSibling: El | null;
  parentElement: El | null;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): Iterable<El>;
  getAttribute(name: string): string | null;
  classList: { contains(name: string): boolean };
}

const ID = 'ctl00_PlaceHolderMain_';
const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
// "Marked as Issued on 09/16/2026 by ADMIN ADMIN" (HCFL Processing Status).
const MARKED_AS = /Marked as (.+?) on (\d{1,2}\/\d{1,2}\/\d{4})(?: by (.+))?$/;
// "Folio Number:086453.1238 * Block:-- ..." (HCFL); "Parcel Number: 252628610005220080" (Osceola).
const PARCEL = /^([^:]+):\s*([^\s*]+)/;
/**
 * The document's closing `</html>`, last on every real CapDetail page (Osceola, self-hosted ACA;
 * HCFL, aca-prod.accela.com): a body cut anywhere before it, inside a section too, has none. (ACA's
 * startup script is no such mark: which calls it holds depends on the agency's section settings,
 * CapDetail.aspx.cs RegisterExpandScript.)
 */
const END_OF_PAGE = /<\/html>\s*$/i;
// ACA marks the primary address or parcel with a blue "*".
const PRIMARY_MARK = /\s*\*\s*$/;

/** Reads the page; any HTML gives a page (fields null or empty when absent), never an exception. */
export function readAcaDetailPage(html: string): AcaDetailPage {
  const { document } = parseHTML(html) as unknown as { document: El };
  const byId = (id: string) => cellText(document.querySelector(`#${ID}${id}`)) || null;
  const block = (label: string) => labelledBlock(document, label);
  const malformed: string[] = [];
  const asiWithoutValue: string[] = [];

  return {
    recordNumber: byId('lblPermitNumber'),
    recordType: byId('lblPermitType'),
    recordStatus: byId('lblRecordStatus'),
    expirationDate: byId('lblExpirtionDate'),
    workLocation: lines(document.querySelector('#tbl_worklocation td.NotBreakWord')).map((l) => l.replace(PRIMARY_MARK, '')),
    applicant: applicant(block('Applicant')),
    licensedProfessional: lines(contentCell(block('Licensed Professional'))),
    projectDescription: lines(contentCell(block('Project Description'))),
    owner: leafLines(block('Owner')),
    asi: asiValues(document.querySelector('#trASIList'), asiWithoutValue),
    parcel: parcel(document.querySelector(`[id$="palParceList"]`)),
    workflow: workflow(document.querySelector('#divProcessingTable'), malformed),
    conditions: [...document.querySelectorAll('span[id$="_lblGeneralConditionsInfo"]')].map((info) => conditionLine(info, malformed)),
    layout: {
      hasDetailPanel: document.querySelector('#divPermitDetailInfo') !== null,
      ...blockHeadings(document),
      asiWithoutValue,
      malformed,
      hasEndOfPage: END_OF_PAGE.test(html),
    },
  };
}

// Every block heading of the Record Details panel, and those whose content does not follow.
function blockHeadings(document: El): Pick<AcaLayoutFacts, 'blockHeadings' | 'orphanHeadings'> {
  const headings: string[] = [];
  const orphans: string[] = [];
  for (const h1 of document.querySelectorAll('#divPermitDetailInfo td.td_parent_left h1')) {
    const label = cellText(h1).replace(/:$/, '');
    headings.push(label);
    const content = h1.nextElementSibling;
    if (!content || content.tagName !== 'SPAN' || !content.classList.contains('ACA_SmLabel')) orphans.push(label);
  }
  return { blockHeadings: headings, orphanHeadings: orphans };
}

// The block's heading is `<h1><span>Applicant:</span></h1>`, its content the span.ACA_SmLabel after it.
function labelledBlock(document: El, label: string): El | null {
  for (const h1 of document.querySelectorAll('td.td_parent_left h1')) {
    if (cellText(h1).replace(/:$/, '') === label) return h1.nextElementSibling;
  }
  return null;
}

// The cell beside the empty td_child_left spacer holds the block's text.
function contentCell(content: El | null): El | null {
  return content?.querySelector('table.table_child td:not(.td_child_left)') ?? null;
}

/** A cell's text split at <br>, nested tables (phone numbers) skipped, blank lines dropped. */
function lines(cell: El | null): string[] {
  if (!cell) return [];
  const out: string[] = [];
  let current = '';
  for (const node of Array.from(cell.childNodes)) {
    if (node.nodeType === ELEMENT_NODE && node.nodeName === 'BR') {
      out.push(current);
      current = '';
    } else if (node.nodeType === TEXT_NODE || (node.nodeType === ELEMENT_NODE && node.nodeName !== 'TABLE')) {
      current += node.textContent ?? '';
    }
  }
  out.push(current);
  return out.map(collapse).filter((l) => l.length > 0);
}

// Owner rows sit in nested tables, one <td> per line (HCFL): the cells holding no table are the lines.
function leafLines(content: El | null): string[] {
  if (!content) return [];
  return [...content.querySelectorAll('td')]
    .filter((td) => !td.querySelector('table'))
    .map((td) => cellText(td).replace(PRIMARY_MARK, ''))
    .filter((l) => l.length > 0);
}

function applicant(content: El | null): AcaDetailPage['applicant'] {
  if (!content) return null;
  const part = (cls: string) => collapse(cellText(content.querySelector(`span.${cls}`)).replace(/,$/, '')) || null;
  return {
    firstName: part('contactinfo_firstname'),
    lastName: part('contactinfo_lastname'),
    businessName: part('contactinfo_businessname'),
  };
}

// Labels end in ":", and Osceola's "Permit for:" label ends in "::" (its own colon, then ACA's): every
// trailing colon is dropped, so the key is "Permit for".
function asiValues(container: El | null, withoutValue: string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (!container) return out;
  for (const labelSpan of container.querySelectorAll('span.ACA_SmLabelBolder')) {
    const label = cellText(labelSpan).replace(/\s*:+$/, '').trim();
    const valueSpan = asiValueSpan(labelSpan);
    if (!valueSpan) withoutValue.push(label);
    if (label && !out.has(label)) out.set(label, cellText(valueSpan));
  }
  return out;
}

// Two real layouts: label and value spans in one div.ASIReview2Columns (HCFL), or the label in a
// div.MoreDetail_ItemCol1 and the value in the div.MoreDetail_ItemCol2 right after it (Osceola; HCFL
// "Storm Related"). The value is looked for only where its layout puts it, so a label that lost its
// value never takes its neighbour's.
function asiValueSpan(labelSpan: El): El | null {
  const holder = labelSpan.parentElement;
  if (!holder) return null;
  if (holder.classList.contains('ASIReview2Columns')) return holder.querySelector('span.ACA_SmLabel');
  const next = holder.nextElementSibling;
  if (holder.classList.contains('MoreDetail_ItemCol1') && next?.classList.contains('MoreDetail_ItemCol2')) return next.querySelector('span.ACA_SmLabel');
  return null;
}

function parcel(container: El | null): AcaDetailPage['parcel'] {
  const m = PARCEL.exec(cellText(container));
  return m ? { label: collapse(m[1] ?? ''), value: m[2] ?? '' } : null;
}

// Task rows put the task name in the cell after the status icon (td.ACA_ARight); the row after holds
// "Due on ..., assigned to ...<br>Marked as <status> on <date> by <who>" (HCFL, every task). A task
// whose detail row is missing (the next row is another task, or none) would silently lose its mark.
function workflow(container: El | null, malformed: string[]): WorkflowTask[] {
  if (!container) return [];
  const tasks: WorkflowTask[] = [];
  for (const iconCell of container.querySelectorAll('td.ACA_ARight')) {
    const nameCell = iconCell.nextElementSibling;
    const row = iconCell.parentElement;
    const task = cellText(nameCell);
    if (!row || !task) {
      malformed.push('a workflow task without its name');
      continue;
    }
    const detailRow = row.nextElementSibling;
    if (!detailRow || detailRow.querySelector('td.ACA_ARight')) {
      malformed.push(`workflow task "${task}" without its detail row`);
      continue;
    }
    const detail = cellText(detailRow);
    const m = MARKED_AS.exec(detail);
    if (!m && /marked as/i.test(detail)) malformed.push(`workflow mark "${detail}" does not read as "Marked as <status> on <date>"`);
    tasks.push({ task, status: m?.[1] ?? null, date: m?.[2] ?? null, by: m?.[3] ?? null });
  }
  return tasks;
}

// Divs: name, description, "status | severity | date" ("Applied | Notice | 09/04/2026": every condition
// of both Osceola captures). A status line of any other shape makes the page malformed.
function conditionLine(info: El, malformed: string[]): ConditionLine {
  const divs = [...info.querySelectorAll('div')].map(cellText);
  const name = divs[0] ?? '';
  const statusLine = divs.length > 1 ? (divs[divs.length - 1] ?? '') : '';
  const parts = statusLine.split('|').map((s) => s.trim());
  const [status, , date] = parts;
  if (!name) malformed.push('a condition without its name');
  else if (parts.length !== 3 || !status || !usDateToIso(date ?? '')) malformed.push(`condition "${name}": status line "${statusLine}"`);
  return { name, status: status || null, date: date || null };
}
