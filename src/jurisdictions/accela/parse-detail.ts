import { categorize } from '../../permits/categorize.ts';
import { NO_COORDINATES } from '../../permits/coordinates.ts';
import type { Condition, PermitRecord, PortalHistoryEntry } from '../../permits/record.ts';
import type { ParseResult } from '../adapter.ts';
import type { Jurisdiction } from '../jurisdiction.ts';
import { usDateToIso } from '../us-date.ts';
import { acaLayout } from './aca-layout.ts';
import { readAcaDetailPage, type AcaDetailPage } from './aca-page.ts';
import { acaSettings, type AcaSettings } from './aca-settings.ts';
import { acaAddress, acaContacts } from './contacts.ts';
import { acaPhase } from './statuses.ts';

/**
 * ASI labels that hold the job value, first found wins: "Total Project Value" (HCFL), "Construction
 * Value" (Osceola), "Job Value" (Tampa, in a public ACA client's detail test).
 */
export const VALUATION_LABELS = ['Total Project Value', 'Construction Value', 'Job Value'] as const;
// "2063", "22599.00", "$45,500".
const MONEY = /^\$?\s*([\d,]+(?:\.\d+)?)$/;

/**
 * Parses an ACA CapDetail page into a PermitRecord.
 *
 * Only a page with the whole CapDetail layout is read (aca-layout.ts); anything else (the search
 * page, an error page, an empty or cut body) is `bad_response`, never `not_found`: ACA says "no
 * such record" on the search, not on CapDetail.
 * Fees and inspections stay empty: ACA loads both after the page by script (none of the captures
 * holds them). The applied date is not on the detail page either. `extra` keeps the parcel, the
 * licence type and every ASI answer as `asi.<label>`.
 */
export function parseAcaDetail(html: string, input: { jurisdiction: Jurisdiction; permitNumber?: string }): ParseResult {
  const page = readAcaDetailPage(html);
  const layout = acaLayout(page);
  if (layout.kind === 'damaged') return { found: false, reason: 'bad_response', message: layout.message };

  const settings = acaSettings(input.jurisdiction);
  const agency = settings.agency_code;
  const portalStatus = page.recordStatus;
  const phase = acaPhase(portalStatus, agency);
  const { projectName, description } = projectDescription(page.projectDescription, settings);
  const workDescription = description.join(' ') || null;
  const { contacts, licenceType } = acaContacts(page);

  const record: PermitRecord = {
    jurisdiction: input.jurisdiction.slug,
    permit_number: page.recordNumber ?? '',
    portal_status: portalStatus,
    status: portalStatus,
    status_phase: phase,
    permit_type: page.recordType,
    permit_subtype: null,
    category: categorize({ permit_type: page.recordType, permit_subtype: null, work_description: workDescription }).category,
    address: acaAddress(page.workLocation),
    work_description: workDescription,
    valuation: valuation(page.asi),
    // ACA record pages show the work location as text only.
    ...NO_COORDINATES,
    dates: {
      applied: null,
      issued: markedDate(page, agency, 'issued', 'first'),
      finaled: phase === 'closed' ? markedDate(page, agency, 'closed', 'last') : null,
      expires: usDateToIso(page.expirationDate),
    },
    inspections: [],
    fees: [],
    contacts,
    conditions: page.conditions.map((c): Condition => ({ description: c.name, status: c.status, date: usDateToIso(c.date) })),
    portal_history: history(page),
    extra: extra(page, licenceType, projectName),
  };
  return { found: true, record };
}

function valuation(asi: ReadonlyMap<string, string>): number | null {
  for (const label of VALUATION_LABELS) {
    const m = MONEY.exec(asi.get(label)?.trim() ?? '');
    if (m) return Number((m[1] ?? '').replace(/,/g, ''));
  }
  return null;
}

// The workflow marks are the only dates on the page: "Issuance: Issued on 09/16/2026" is the issue date.
function markedDate(page: AcaDetailPage, agency: string, phase: 'issued' | 'closed', which: 'first' | 'last'): string | null {
  const dates = page.workflow.filter((t) => acaPhase(t.status, agency) === phase).map((t) => usDateToIso(t.date));
  const known = dates.filter((d): d is string => d !== null);
  return (which === 'first' ? known[0] : known[known.length - 1]) ?? null;
}

// "Issuance: Issued" reads as a timeline line; tasks not yet marked have no entry.
function history(page: AcaDetailPage): PortalHistoryEntry[] {
  return page.workflow.filter((t) => t.status !== null).map((t) => ({ status: `${t.task}: ${t.status}`, date: usDateToIso(t.date) }));
}

// Osceola prints the record's project name first in the Project Description block ("RES - Roofing
// Katisha Grant", "<15K RES - Roofing Hickerson": the record type and a person's name, both real
// excerpts), then the work description. Agencies marked so keep that line as `project_name`.
function projectDescription(lines: readonly string[], settings: AcaSettings): { projectName: string | null; description: readonly string[] } {
  if (settings.project_name_line && lines.length > 1) return { projectName: lines[0] ?? null, description: lines.slice(1) };
  return { projectName: null, description: lines };
}

function extra(page: AcaDetailPage, licenceType: string | null, projectName: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (projectName) out['project_name'] = projectName;
  if (page.parcel) {
    out['parcel'] = page.parcel.value;
    out['parcel_label'] = page.parcel.label;
  }
  if (licenceType) out['license_type'] = licenceType;
  for (const [label, value] of page.asi) if (value) out[`asi.${label}`] = value;
  return out;
}
