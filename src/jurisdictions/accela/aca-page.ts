import { parseHTML } from '../html.ts';
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
// ACA marks the primary address or parcel with a blue "*".
const PRIMARY_MARK = /\s*\*\s*$/;

/** Reads the page; any HTML gives a page (fields null or empty when absent), never an exception. */
export function readAcaDetailPage(html: string): AcaDetailPage {
  const { document } = parseHTML(html) as unknown as { document: El };
  const byId = (id: string) => cellText(document.querySelector(`#${ID}${id}`)) || null;
  const block = (label: string) => labelledBlock(document, label);

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
    asi: asiValues(document.querySelector('#trASIList')),
    parcel: parcel(document.querySelector(`[id$="palParceList"]`)),
    workflow: workflow(document.querySelector('#divProcessingTable')),
    conditions: [...document.querySelectorAll('span[id$="_lblGeneralConditionsInfo"]')].map(conditionLine),
  };
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

// Two real layouts: label and value spans in one div (HCFL "ASIReview2Columns"), or label and value in
// sibling MoreDetail_ItemColASI divs (Osceola; HCFL "Storm Related").
function asiValues(container: El | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!container) return out;
  for (const labelSpan of container.querySelectorAll('span.ACA_SmLabelBolder')) {
    const label = cellText(labelSpan).replace(/:$/, '').trim();
    const holder = labelSpan.parentElement;
    const valueSpan = holder?.querySelector('span.ACA_SmLabel') ?? holder?.nextElementSibling?.querySelector('span.ACA_SmLabel') ?? null;
    if (label && !out.has(label)) out.set(label, cellText(valueSpan));
  }
  return out;
}

function parcel(container: El | null): AcaDetailPage['parcel'] {
  const m = PARCEL.exec(cellText(container));
  return m ? { label: collapse(m[1] ?? ''), value: m[2] ?? '' } : null;
}

// Task rows put the task name in the cell after the status icon (td.ACA_ARight); the row after holds
// "Due on ..., assigned to ...<br>Marked as <status> on <date> by <who>".
function workflow(container: El | null): WorkflowTask[] {
  if (!container) return [];
  const tasks: WorkflowTask[] = [];
  for (const iconCell of container.querySelectorAll('td.ACA_ARight')) {
    const nameCell = iconCell.nextElementSibling;
    const row = iconCell.parentElement;
    if (!nameCell || !row) continue;
    const detail = cellText(row.nextElementSibling);
    const m = MARKED_AS.exec(detail);
    tasks.push({ task: cellText(nameCell), status: m?.[1] ?? null, date: m?.[2] ?? null, by: m?.[3] ?? null });
  }
  return tasks;
}

// Divs: name, (description), "status | severity | date".
function conditionLine(info: El): ConditionLine {
  const divs = [...info.querySelectorAll('div')].map(cellText);
  const [status, , date] = (divs.length > 1 ? (divs[divs.length - 1] ?? '') : '').split('|').map((s) => s.trim());
  return { name: divs[0] ?? '', status: status || null, date: date || null };
}
