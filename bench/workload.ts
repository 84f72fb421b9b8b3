/**
 * Realistic permit observations for the write-path benchmarks (append.ts, rebuild.ts). Not a
 * benchmark itself: run-all.ts does not run it.
 *
 * A permit goes through the lifecycle a real LADBS permit shows (submitted → plan check →
 * issued → inspections → finaled), each state a full PermitRecord built with testRecord (so it
 * is parsed by the PermitRecord schema, exactly what an adapter returns) and different from the
 * previous one, so every observation of the next state is a changed observation. Permit kinds,
 * addresses and dates vary with the permit's index, so the stats and timeline projections see
 * varied rows rather than one record repeated.
 */
import { LADBS_JURISDICTION } from '../src/jurisdictions/ladbs/jurisdiction.ts';
import { pcisDetailUrl, splitLadbsPermitNumber } from '../src/jurisdictions/ladbs/permit-number.ts';
import { ladbs } from '../src/jurisdictions/ladbs/adapter.ts';
import type { ObserveInput } from '../src/ingest/observe.ts';
import type { Category, Inspection, PermitRecord, PortalHistoryEntry, StatusPhase } from '../src/permits/record.ts';
import { testRecord } from '../src/testing/test-record.ts';

/** States a permit passes through; state 0 is its first observation (a new stream). */
export const LIFECYCLE_STATES = 5;

const KINDS: { type: string; subtype: string; category: Category; description: string }[] = [
  { type: 'Electrical', subtype: '1 or 2 Family Dwelling', category: 'electrical', description: '200A UPGRADE.' },
  { type: 'Bldg-Addition', subtype: '1 or 2 Family Dwelling', category: 'addition', description: 'TWO STORY ADDITION TO EXISTING SINGLE FAMILY DWELLING.' },
  { type: 'Plumbing', subtype: 'Apartment', category: 'plumbing', description: 'REPIPE 12 UNITS WITH PEX.' },
  { type: 'Bldg-Alter/Repair', subtype: 'Commercial', category: 'alteration', description: 'TENANT IMPROVEMENT: NON-STRUCTURAL INTERIOR PARTITIONS.' },
  { type: 'Electrical', subtype: '1 or 2 Family Dwelling', category: 'solar', description: 'ROOF MOUNTED PV SYSTEM 6.4 KW, 16 MODULES.' },
  { type: 'HVAC', subtype: '1 or 2 Family Dwelling', category: 'hvac', description: 'CHANGE OUT FURNACE AND A/C CONDENSER, SAME LOCATION.' },
];
const STREETS = ['S MIDVALE AVE', 'W RAYMER ST', 'N VERMONT AVE', 'W PICO BLVD', 'S FIGUEROA ST', 'E 4TH ST', 'N HIGHLAND AVE'];
const ZIPS = ['90034', '91406', '90027', '90019', '90015', '90013', '90038'];
const INSPECTORS = ['ANDREW NAVE', 'MARIA LOPEZ', 'DAVID KIM', 'SARAH CHEN'];

function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
function usDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return `${Number(m)}/${Number(d)}/${y}`;
}

/** A valid, unique LADBS-format number (`NNNNN-NNNNN-NNNNN`) for index n < 10^9. */
export function ladbsNumber(n: number): string {
  return `${20000 + Math.floor(n / 100_000)}-10000-${String(n % 100_000).padStart(5, '0')}`;
}

/** Permit n's record in lifecycle state `state` (0 ≤ state < LIFECYCLE_STATES). */
export function lifecycleRecord(n: number, state: number): PermitRecord {
  const kind = KINDS[n % KINDS.length]!;
  const applied = addDays('2025-01-02', n % 365);
  const assigned = addDays(applied, 5 + (n % 9));
  const issued = addDays(applied, 12 + (n % 80));
  const inspected = addDays(issued, 10 + (n % 20));
  const finaled = addDays(inspected, 7 + (n % 30));
  const inspector = INSPECTORS[n % INSPECTORS.length]!;
  const history: PortalHistoryEntry[] = [{ status: 'Submitted', date: applied }];
  let portal_status = 'Submitted';
  let phase: StatusPhase = 'applied';
  let inspections: Inspection[] = [];
  if (state >= 1) {
    history.push({ status: 'Assigned to Plan Check Engineer', date: assigned });
    portal_status = `Assigned to Plan Check Engineer on ${usDate(assigned)}`;
    phase = 'in_review';
  }
  if (state >= 2) {
    history.push({ status: 'Issued', date: issued });
    portal_status = `Issued on ${usDate(issued)}`;
    phase = 'issued';
  }
  if (state >= 3) {
    phase = 'inspections';
    inspections = [
      { type: 'Rough Electrical', date: inspected, result: 'Approved', inspector, status: 'completed' },
      { type: 'Final', date: null, result: null, inspector: null, status: 'scheduled' },
    ];
  }
  if (state >= 4) {
    history.push({ status: 'Permit Finaled', date: finaled });
    portal_status = `Permit Finaled on ${usDate(finaled)}`;
    phase = 'closed';
    inspections = [inspections[0]!, { type: 'Final', date: finaled, result: 'Permit Finaled', inspector, status: 'completed' }];
  }
  return testRecord({
    permit_number: ladbsNumber(n),
    portal_status,
    status: portal_status,
    status_phase: phase,
    permit_type: kind.type,
    permit_subtype: kind.subtype,
    category: kind.category,
    work_description: kind.description,
    valuation: 5_000 + (n % 200) * 750,
    inspections,
    fees: [{ description: 'Plan Check Fee', amount: 150 + (n % 40) * 12.5, paid: true }],
    portal_history: history,
    address: { street: `${1000 + (n % 9000)} ${STREETS[n % STREETS.length]!}`, zip: ZIPS[n % ZIPS.length]! },
    dates: { applied, issued: state >= 2 ? issued : null, finaled: state >= 4 ? finaled : null },
  });
}

/** The observation of a record as the LADBS adapter hands it to observe(). */
export function observation(record: PermitRecord, observedAt: string): ObserveInput {
  return {
    record,
    source: 'portal',
    source_url: pcisDetailUrl(LADBS_JURISDICTION.base_url, splitLadbsPermitNumber(record.permit_number)!),
    observedAt,
    meta: { adapter: ladbs.platform, adapter_version: ladbs.version, request_id: null, fetch_ms: 180 },
  };
}
