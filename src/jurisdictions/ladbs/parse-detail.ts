import { categorize } from '../../permits/categorize.ts';
import { NO_COORDINATES } from '../../permits/coordinates.ts';
import type { Condition, Contact, Inspection, PermitRecord, PortalHistoryEntry } from '../../permits/record.ts';
import type { ParseResult } from '../adapter.ts';
import type { Jurisdiction } from '../jurisdiction.ts';
import { usDateToIso } from '../us-date.ts';
import { pcisLayout } from './pcis-layout.ts';
import { readPcisPage, type PcisPage } from './pcis-page.ts';
import { readPcisTables, type PcisTables } from './pcis-tables.ts';
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

/** Every PCIS permit is in the City of Los Angeles; the page header carries only street and zip. */
const CITY = 'LOS ANGELES';
const STATE = 'CA';
// "3030 S MIDVALE AVE    90034": PCIS pads between street and zip.
const HEADER_ZIP = /^(.*\S)\s+(\d{5}(?:-\d{4})?)$/;
// "Kelley Joel Electric; Lic. No.: 917355-C10" (16041, Contact Information).
const LICENCE = /;\s*Lic\.\s*No\.:\s*/i;
// "917355-C10": CSLB licence number, then its classification after the first hyphen (a public LA
// contractor scraper splits it the same way: fixtures/ladbs/PROVENANCE.md).
const CSLB_LICENCE = /^(\d+)\s*-\s*(\S.*)$/;
// "ARAM AVEDISIAN, (310) 914-3896" (16041, Inspector Information).
const INSPECTOR = /^(.*?),\s*(\(\d{3}\)\s*\d{3}-\d{4})$/;
// "Issued on 7/6/2016" (16041); an unissued permit says "No" (26014).
const ISSUED_ON = /^issued on (\d{1,2}\/\d{1,2}\/\d{4})$/i;
// Primary Use reads "()" on both captures: an empty description and code, i.e. no value.
const EMPTY_PRIMARY_USE = '()';

/**
 * Parses a PCIS "Permit and Inspection Report Detail" page into a PermitRecord.
 *
 * Only a page with the whole layout of a detail page is read (pcis-layout.ts); its tables are
 * validated by shape (pcis-tables.ts). A shell without any permit content is `not_found`; any
 * other page short of that (cut, an error or login page, a table that does not fit) is
 * `bad_response`, never a record with missing parts. Fees are always empty and valuation null:
 * the PCIS detail page shows neither. `status` is the Current Status as shown, date included
 * ("Permit Finaled on 8/8/2018"), as the reference API returns it for LADBS; the phase ignores
 * the date.
 */
export function parseLadbsDetail(html: string, input: { jurisdiction: Jurisdiction; permitNumber?: string }): ParseResult {
  const page = readPcisPage(html);
  const layout = pcisLayout(page);
  if (layout.kind === 'no_permit') return { found: false, reason: 'not_found' };
  if (layout.kind === 'damaged') return { found: false, reason: 'bad_response', message: layout.message };
  const read = readPcisTables(page);
  if (!read.ok) return { found: false, reason: 'bad_response', message: read.message };
  const { tables } = read;

  const text = (label: string): string | null => page.fields.get(label) || null;
  const portalStatus = text(FIELD.status);
  const history = portalHistory(tables);
  const inspections = [...pendingInspections(tables), ...requestedInspections(tables)];
  const permitType = text(FIELD.type);
  const permitSubtype = text(FIELD.subtype);
  const workDescription = text(FIELD.description);

  const record: PermitRecord = {
    jurisdiction: input.jurisdiction.slug,
    permit_number: text(FIELD.permit) ?? '',
    portal_status: portalStatus,
    status: portalStatus,
    status_phase: ladbsRecordPhase(portalStatus, inspections),
    permit_type: permitType,
    permit_subtype: permitSubtype,
    category: categorize({ permit_type: permitType, permit_subtype: permitSubtype, work_description: workDescription }).category,
    address: address(page.header),
    work_description: workDescription,
    valuation: null,
    // PCIS detail pages print no coordinates.
    ...NO_COORDINATES,
    dates: {
      applied: history.find((h) => ladbsPhase(h.status) === 'applied')?.date ?? null,
      issued: issuedDate(text(FIELD.issued), history),
      finaled: finaledDate(portalStatus, history),
      expires: null,
    },
    inspections,
    fees: [],
    contacts: contacts(tables),
    conditions: clearances(tables),
    portal_history: history,
    extra: extra(page, tables),
  };
  return { found: true, record };
}

function address(header: string | null): PermitRecord['address'] {
  const m = header ? HEADER_ZIP.exec(header) : null;
  return { street: m?.[1] ?? header, city: CITY, state: STATE, zip: m?.[2] ?? null };
}

// Who acted ("LADBS", a plan checker's name) is not kept: it is staff names, not a fact about the permit.
function portalHistory(tables: PcisTables): PortalHistoryEntry[] {
  return tables.history.map((row) => ({ status: row.status, date: usDateToIso(row.date) }));
}

// The Permit Issued field is the portal's own statement; the history row is the fallback.
function issuedDate(permitIssued: string | null, history: PortalHistoryEntry[]): string | null {
  const m = permitIssued ? ISSUED_ON.exec(permitIssued) : null;
  if (m) return usDateToIso(m[1]);
  return history.find((h) => ladbsPhase(h.status) === 'issued')?.date ?? null;
}

// 16041's Current Status says "Permit Finaled on 8/8/2018" while its history row says 8/7/2018:
// the headline date wins, as it is what PCIS shows as the permit's state; the latest closing
// history row is the fallback.
function finaledDate(portalStatus: string | null, history: PortalHistoryEntry[]): string | null {
  if (ladbsPhase(portalStatus) === 'closed' && portalStatus) {
    const date = usDateToIso(splitStatusDate(portalStatus).date);
    if (date) return date;
  }
  return [...history].reverse().find((h) => ladbsPhase(h.status) === 'closed')?.date ?? null;
}

// The same clearance can appear twice (26014: "Specific Plan" Not Cleared on 1/22, Cleared on
// 2/10); every row is kept as shown, with its date, which is what tells the two apart.
function clearances(tables: PcisTables): Condition[] {
  return tables.clearances.map((row) => ({ description: row.clearance, status: row.status, date: usDateToIso(row.date) }));
}

// A contractor's party is the CSLB licence holder, a business name ("Kelley Joel Electric"), so
// it is the company; for other roles (none captured yet) it is taken as a person's name. The
// mailing address is not kept. The inspector block (name, phone | office hours) becomes a
// contact with role "Inspector".
function contacts(tables: PcisTables): Contact[] {
  const people: Contact[] = [];
  for (const { role, party } of tables.contacts) {
    const [who = '', licence] = party.split(LICENCE);
    const isContractor = /^contractor$/i.test(role);
    people.push({
      role,
      name: isContractor ? null : who || null,
      company: isContractor ? who || null : null,
      ...splitLicence(licence),
    });
  }
  for (const { inspector } of tables.inspector) {
    people.push({ role: 'Inspector', name: INSPECTOR.exec(inspector)?.[1] ?? inspector, company: null, license: null, license_class: null });
  }
  return people;
}

// "917355-C10" (16041), "835778-B": the CSLB licence number, a hyphen, the classification.
function splitLicence(licence: string | undefined): Pick<Contact, 'license' | 'license_class'> {
  const text = licence?.trim() ?? '';
  const m = CSLB_LICENCE.exec(text);
  if (m) return { license: m[1] ?? text, license_class: m[2] ?? null };
  return { license: text || null, license_class: null };
}

function requestedInspections(tables: PcisTables): Inspection[] {
  return tables.requests.map(
    (row): Inspection => ({
      type: row.inspection,
      date: usDateToIso(row.date),
      result: row.result || null,
      inspector: row.inspector || null,
      status: 'completed',
    }),
  );
}

// No capture shows a filled Pending Inspections table, so its columns are unknown (pcis-tables.ts
// accepts at most four cells and no title row). Read defensively: the first cell is the
// inspection, the first cell that is a date is its date; a row with a date, or one that says
// "scheduled", is scheduled, otherwise pending.
function pendingInspections(tables: PcisTables): Inspection[] {
  return tables.pending.map((cells): Inspection => {
    const date =
      cells
        .slice(1)
        .map(usDateToIso)
        .find((d) => d !== null) ?? null;
    const scheduled = date !== null || cells.some((c) => /\bscheduled\b/i.test(c));
    return { type: cells[0] ?? '', date, result: null, inspector: null, status: scheduled ? 'scheduled' : 'pending' };
  });
}

function extra(page: PcisPage, tables: PcisTables): Record<string, string> {
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
  const inspectorLine = tables.inspector[0]?.inspector;
  put('inspector_phone', inspectorLine ? INSPECTOR.exec(inspectorLine)?.[2] : null);
  return out;
}
