import { categorize } from '../../permits/categorize.ts';
import type { Condition, Contact, Inspection, PermitRecord, PortalHistoryEntry } from '../../permits/record.ts';
import type { ParseResult } from '../adapter.ts';
import type { Jurisdiction } from '../jurisdiction.ts';
import { pcisDateToIso } from './pcis-date.ts';
import { readPcisPage, type PcisPage } from './pcis-page.ts';
import { splitLadbsPermitNumber } from './permit-number.ts';
import { ladbsPhase, ladbsRecordPhase, splitStatusDate } from './statuses.ts';

/** Labels and titles exactly as PCIS prints them (both real detail captures). */
const FIELD = {
  permit: 'Application / Permit',
  job: 'Plan Check / Job No.',
  group: 'Group',
  type: 'Type',
  subtype: 'Sub-Type',
  primaryUse: 'Primary Use',
  description: 'Work Description',
  issued: 'Permit Issued',
  office: 'Issuing Office',
  status: 'Current Status',
} as const;
const SECTION = {
  history: 'Permit Application Status History',
  clearances: 'Permit Application Clearance Information',
  contacts: 'Contact Information',
  inspector: 'Inspector Information',
  pending: 'Pending Inspections',
  requests: 'Inspection Request History',
} as const;

/** Every PCIS permit is in the City of Los Angeles; the page header carries only street and zip. */
const CITY = 'LOS ANGELES';
const STATE = 'CA';
// "3030 S MIDVALE AVE    90034": PCIS pads between street and zip.
const HEADER_ZIP = /^(.*\S)\s+(\d{5}(?:-\d{4})?)$/;
// "Kelley Joel Electric; Lic. No.: 917355-C10" (16041, Contact Information).
const LICENCE = /;\s*Lic\.\s*No\.:\s*/i;
// "ARAM AVEDISIAN, (310) 914-3896" (16041, Inspector Information).
const INSPECTOR = /^(.*?),\s*(\(\d{3}\)\s*\d{3}-\d{4})$/;
// "Issued on 7/6/2016" (16041); an unissued permit says "No" (26014).
const ISSUED_ON = /^issued on (\d{1,2}\/\d{1,2}\/\d{4})$/i;
// Primary Use reads "()" on both captures: an empty description and code, i.e. no value.
const EMPTY_PRIMARY_USE = '()';

/**
 * Parses a PCIS "Permit and Inspection Report Detail" page into a PermitRecord.
 *
 * A page without an "Application / Permit" value shaped like an LADBS number (the search form,
 * an error page, an empty body) is `not_found`: no real not-found capture exists, so absence is
 * detected structurally. Fees are always empty and valuation null: the PCIS detail page shows
 * neither. `status` is the Current Status as shown, date included ("Permit Finaled on 8/8/2018"),
 * as the reference API returns it for LADBS; the phase ignores the date.
 */
export function parseLadbsDetail(html: string, input: { jurisdiction: Jurisdiction; permitNumber?: string }): ParseResult {
  const page = readPcisPage(html);
  const permitNumber = page.fields.get(FIELD.permit) ?? '';
  if (!splitLadbsPermitNumber(permitNumber)) return { found: false, reason: 'not_found' };

  const text = (label: string): string | null => page.fields.get(label) || null;
  const portalStatus = text(FIELD.status);
  const history = portalHistory(page);
  const inspections = [...pendingInspections(page), ...requestedInspections(page)];
  const permitType = text(FIELD.type);
  const permitSubtype = text(FIELD.subtype);
  const workDescription = text(FIELD.description);

  const record: PermitRecord = {
    jurisdiction: input.jurisdiction.slug,
    permit_number: permitNumber,
    portal_status: portalStatus,
    status: portalStatus,
    status_phase: ladbsRecordPhase(portalStatus, inspections),
    permit_type: permitType,
    permit_subtype: permitSubtype,
    category: categorize({ permit_type: permitType, permit_subtype: permitSubtype, work_description: workDescription }).category,
    address: address(page.header),
    work_description: workDescription,
    valuation: null,
    dates: {
      applied: history.find((h) => ladbsPhase(h.status) === 'applied')?.date ?? null,
      issued: issuedDate(text(FIELD.issued), history),
      finaled: finaledDate(portalStatus, history),
      expires: null,
    },
    inspections,
    fees: [],
    contacts: contacts(page),
    conditions: clearances(page),
    portal_history: history,
    extra: extra(page),
  };
  return { found: true, record };
}

function rows(page: PcisPage, title: string): readonly string[][] {
  return page.sections.get(title) ?? [];
}

function address(header: string | null): PermitRecord['address'] {
  const m = header ? HEADER_ZIP.exec(header) : null;
  return { street: m?.[1] ?? header, city: CITY, state: STATE, zip: m?.[2] ?? null };
}

// Rows: status | date | by whom ("Issued | 7/6/2016 | LADBS"). Who acted is not kept: it is
// staff names, not a fact about the permit.
function portalHistory(page: PcisPage): PortalHistoryEntry[] {
  return rows(page, SECTION.history)
    .filter(([status]) => status)
    .map(([status, date]) => ({ status: status ?? '', date: pcisDateToIso(date) }));
}

// The Permit Issued field is the portal's own statement; the history row is the fallback.
function issuedDate(permitIssued: string | null, history: PortalHistoryEntry[]): string | null {
  const m = permitIssued ? ISSUED_ON.exec(permitIssued) : null;
  if (m) return pcisDateToIso(m[1]);
  return history.find((h) => ladbsPhase(h.status) === 'issued')?.date ?? null;
}

// 16041's Current Status says "Permit Finaled on 8/8/2018" while its history row says 8/7/2018:
// the headline date wins, as it is what PCIS shows as the permit's state; the latest closing
// history row is the fallback.
function finaledDate(portalStatus: string | null, history: PortalHistoryEntry[]): string | null {
  if (ladbsPhase(portalStatus) === 'closed' && portalStatus) {
    const date = pcisDateToIso(splitStatusDate(portalStatus).date);
    if (date) return date;
  }
  return [...history].reverse().find((h) => ladbsPhase(h.status) === 'closed')?.date ?? null;
}

// Rows: clearance | Cleared / Not Cleared | date | by whom (26014). The same clearance can appear
// twice (26014: "Specific Plan" Not Cleared on 1/22, Cleared on 2/10); every row is kept as shown.
function clearances(page: PcisPage): Condition[] {
  return rows(page, SECTION.clearances)
    .filter(([description]) => description)
    .map(([description, status]) => ({ description: description ?? '', status: status || null, date: null }));
}

// Contact rows: role | party; Lic. No.: licence | mailing address (16041). A contractor's party
// is the CSLB licence holder, a business name ("Kelley Joel Electric"), so it is the company; for
// other roles (none captured yet) it is taken as a person's name. The mailing address is not kept.
// The inspector block (name, phone | office hours) becomes a contact with role "Inspector".
function contacts(page: PcisPage): Contact[] {
  const people: Contact[] = [];
  for (const [role, party] of rows(page, SECTION.contacts)) {
    if (!role || !party) continue;
    const [who = '', license] = party.split(LICENCE);
    const isContractor = /^contractor$/i.test(role);
    people.push({
      role,
      name: isContractor ? null : who || null,
      company: isContractor ? who || null : null,
      license: license?.trim() || null,
      license_class: null,
    });
  }
  for (const [line] of rows(page, SECTION.inspector)) {
    const name = inspectorName(line);
    if (name) people.push({ role: 'Inspector', name, company: null, license: null, license_class: null });
  }
  return people;
}

function inspectorName(line: string | undefined): string | null {
  if (!line) return null;
  return INSPECTOR.exec(line)?.[1] ?? line;
}

// Rows: inspection | date | result | inspector (16041: "Final | 8/7/2018 | Permit Finaled | ANDREW NAVE").
function requestedInspections(page: PcisPage): Inspection[] {
  return rows(page, SECTION.requests)
    .filter(([type]) => type)
    .map(([type, date, result, inspector]): Inspection => ({
      type: type ?? '',
      date: pcisDateToIso(date),
      result: result || null,
      inspector: inspector || null,
      status: 'completed',
    }));
}

// No capture shows a filled Pending Inspections table (all three say "No Data Available." with
// colspan 4), so its columns are unknown. Read defensively: the first cell is the inspection,
// the first cell that is a date is its date; a row with a date, or one that says "scheduled",
// is scheduled, otherwise pending.
function pendingInspections(page: PcisPage): Inspection[] {
  return rows(page, SECTION.pending)
    .filter(([type]) => type)
    .map((cells): Inspection => {
      const date =
        cells
          .slice(1)
          .map(pcisDateToIso)
          .find((d) => d !== null) ?? null;
      const scheduled = date !== null || cells.some((c) => /\bscheduled\b/i.test(c));
      return { type: cells[0] ?? '', date, result: null, inspector: null, status: scheduled ? 'scheduled' : 'pending' };
    });
}

function extra(page: PcisPage): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (key: string, value: string | null | undefined) => {
    if (value) out[key] = value;
  };
  put('job_number', page.fields.get(FIELD.job));
  put('group', page.fields.get(FIELD.group));
  const primaryUse = page.fields.get(FIELD.primaryUse);
  if (primaryUse !== EMPTY_PRIMARY_USE) put('primary_use', primaryUse);
  put('issuing_office', page.fields.get(FIELD.office));
  put('notice', page.notice);
  const [inspectorLine] = rows(page, SECTION.inspector)[0] ?? [];
  put('inspector_phone', inspectorLine ? INSPECTOR.exec(inspectorLine)?.[2] : null);
  return out;
}
