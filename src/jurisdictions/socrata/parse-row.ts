import { categorize } from '../../permits/categorize.ts';
import type { Contact, Fee, PermitRecord, TradeValuation } from '../../permits/record.ts';
import type { Jurisdiction } from '../jurisdiction.ts';
import { sodaDateToIso } from './floating-time.ts';
import { columnNumber, columnText, type SodaRow } from './row-values.ts';
import { checkedCoordinates, NO_COORDINATES, type Coordinates } from '../../permits/coordinates.ts';
import type { SocrataFieldMap, SocrataSettings } from './settings.ts';
import { isFirmName } from './firm-name.ts';
import { socrataPhase } from './statuses.ts';

/**
 * Maps one SODA row through the jurisdiction's field map to a PermitRecord; null when the row has
 * no permit number. Pure: the same row and settings always give the same record.
 *
 * Columns the map names but the row lacks are null (SODA omits null columns from JSON rows).
 * Numbers and dates arrive as strings and are converted; a value that does not read as one is
 * null, never guessed. Dates are calendar dates in the jurisdiction's time zone. The datasets
 * carry no inspections, conditions or status history: those are always empty.
 */
export function parseSocrataRow(row: SodaRow, jurisdiction: Jurisdiction, settings: SocrataSettings): PermitRecord | null {
  const f = settings.fields;
  const permitNumber = columnText(row, f.permit_number);
  if (permitNumber === null) return null;

  const text = (field: string | null) => columnText(row, field);
  const date = (field: string | null) => sodaDateToIso(text(field), jurisdiction.time_zone);
  const portalStatus = text(f.status);
  const permitType = text(f.permit_type);
  const permitSubtype = text(f.permit_subtype);
  const workDescription = text(f.work_description);
  const issued = date(f.dates.issued);

  const record: PermitRecord = {
    jurisdiction: jurisdiction.slug,
    permit_number: permitNumber,
    portal_status: portalStatus,
    status: portalStatus,
    status_phase: socrataPhase(settings.status_vocabulary, portalStatus),
    permit_type: permitType,
    permit_subtype: permitSubtype,
    category: categorize({ permit_type: permitType, permit_subtype: permitSubtype, work_description: workDescription }).category,
    address: {
      street: street(row, f),
      city: text(f.city.field) ?? f.city.value,
      state: text(f.state.field) ?? f.state.value,
      zip: text(f.zip),
    },
    work_description: workDescription,
    valuation: valuation(row, f),
    ...coordinates(row, f),
    dates: { applied: date(f.dates.applied), issued, finaled: date(f.dates.finaled), expires: date(f.dates.expires) },
    inspections: [],
    fees: fees(row, f),
    contacts: contacts(row, f),
    conditions: [],
    portal_history: [],
    extra: extra(row, f),
  };
  if (f.trade_valuations.length > 0) record.trade_valuations = tradeValuations(row, f);
  return record;
}

// A zero trade column is a trade with no work reported (the real 2009-074412 EP row's
// electrical_valuation "0"), not work worth nothing: left out, as zero fees are.
function tradeValuations(row: SodaRow, f: SocrataFieldMap): TradeValuation[] {
  return f.trade_valuations.flatMap(({ trade, field }): TradeValuation[] => {
    const amount = columnNumber(row, field);
    return amount !== null && amount !== 0 ? [{ trade, amount }] : [];
  });
}

// Both or neither: a row with a latitude and no longitude (the quoted Chicago capture, cut after
// `latitude`) has no position.
function coordinates(row: SodaRow, f: SocrataFieldMap): Coordinates {
  const where = f.coordinates;
  if (where === null) return NO_COORDINATES;
  if ('point' in where) return pointCoordinates(row[where.point]);
  return checkedCoordinates(columnNumber(row, where.latitude), columnNumber(row, where.longitude));
}

// A GeoJSON Point lists longitude first (RFC 7946 §3.1.1): SF's {"type":"Point","coordinates":[-122.40, 37.79]}.
function pointCoordinates(value: unknown): Coordinates {
  if (typeof value !== 'object' || value === null || !('type' in value) || value.type !== 'Point' || !('coordinates' in value)) return NO_COORDINATES;
  const pair = value.coordinates;
  if (!Array.isArray(pair) || typeof pair[0] !== 'number' || typeof pair[1] !== 'number') return NO_COORDINATES;
  return checkedCoordinates(pair[1], pair[0]);
}

function joinParts(parts: readonly (string | null)[]): string | null {
  const present = parts.filter((p): p is string => p !== null);
  return present.length > 0 ? present.join(' ') : null;
}

// "555 California St" and, with a unit, "555 California St #3A". A unit without a street is
// not an address: it is dropped rather than shown alone.
function street(row: SodaRow, f: SocrataFieldMap): string | null {
  const base = joinParts(f.street.map((field) => columnText(row, field)));
  if (base === null || f.unit === null) return base;
  const none = new Set(f.unit.none);
  const unit = f.unit.fields
    .map((field) => columnText(row, field))
    .filter((part): part is string => part !== null && !none.has(part))
    .join('');
  return unit ? `${base} #${unit}` : base;
}

// SF carries estimated and revised cost; revised is "0.0" on many rows whose estimate is
// positive (a public analysis of an i98e-djp9 extract counts 654), so the first positive wins.
function valuation(row: SodaRow, f: SocrataFieldMap): number | null {
  for (const field of f.valuation) {
    const amount = columnNumber(row, field);
    if (amount !== null && amount > 0) return amount;
  }
  return null;
}

// A zero column is a fee of that kind that does not exist (Chicago 100858762: other_fee_paid
// "0", every *_unpaid "0"), not a fee of nothing: it is left out.
function fees(row: SodaRow, f: SocrataFieldMap): Fee[] {
  return f.fees.flatMap((fee): Fee[] => {
    const amount = columnNumber(row, fee.field);
    return amount !== null && amount !== 0 ? [{ description: fee.description, amount, paid: fee.paid }] : [];
  });
}

// Chicago numbers its contacts 1..15 (settings.ts spells each slot's columns out); a slot with
// neither name nor company is empty and skipped.
function contacts(row: SodaRow, f: SocrataFieldMap): Contact[] {
  const out: Contact[] = [];
  for (const c of f.contacts) {
    for (const slot of c.slots) {
      const named = columnText(row, slot.name_field);
      const firm = c.name_may_be_firm && named !== null && isFirmName(named);
      const name = firm ? null : named;
      const company = columnText(row, slot.company_field) ?? (firm ? named : null);
      if (name === null && company === null) continue;
      out.push({ role: columnText(row, slot.role_field) ?? c.role, name, company, license: columnText(row, slot.license_field), license_class: null });
    }
  }
  return out;
}

function extra(row: SodaRow, f: SocrataFieldMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, field] of Object.entries(f.extra)) {
    const value = columnText(row, field);
    if (value !== null) out[key] = value;
  }
  return out;
}
