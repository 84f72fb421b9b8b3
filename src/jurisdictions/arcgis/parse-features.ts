import { categorize } from '../../permits/categorize.ts';
import type { Contact, PermitRecord } from '../../permits/record.ts';
import type { Jurisdiction } from '../jurisdiction.ts';
import { decodeAttribute, domainsFor, type Domains } from './coded-values.ts';
import { esriDateToIso } from './esri-date.ts';
import type { LayerSettings } from './layer-settings.ts';
import type { QueryResponse } from './query-response.ts';
import { arcgisPhase, phaseFromDates } from './statuses.ts';

/** Field types whose values are dates (epoch milliseconds, or 'YYYY-MM-DD' for date-only). */
const DATE_TYPES = new Set(['esriFieldTypeDate', 'esriFieldTypeDateOnly']);
// "$1,250,000" and "1250000" both read as 1250000. Las Vegas publishes VALUATION as a string
// field of SQL type integer (shared/portal-samples/arcgis/permit-layer-metadata-excerpts.txt).
const MONEY_NOISE = /[$,\s]/g;

export interface LayerContext {
  jurisdiction: Jurisdiction;
  layer: LayerSettings;
}

/**
 * Turns a query response's features into PermitRecords through the layer's field map. Coded
 * values are decoded to their domain names (response domains first, then the layer's copy);
 * dates become calendar dates in the jurisdiction's time zone. A feature without a permit number
 * is skipped. Layers publish no inspections, fees or conditions: those stay empty.
 */
export function parseFeatures(response: QueryResponse, ctx: LayerContext): PermitRecord[] {
  const domains = domainsFor(response.fields, ctx.layer.domains);
  const types = new Map(response.fields.map((f) => [f.name, f.type]));
  const records: PermitRecord[] = [];
  for (const { attributes } of response.features) {
    const record = parseFeature(new Attributes(attributes, domains, types, ctx.jurisdiction.time_zone), ctx);
    if (record) records.push(record);
  }
  return records;
}

/** One feature's attributes, read by field name: decoded text, dates, numbers. */
class Attributes {
  constructor(
    private readonly values: Record<string, unknown>,
    private readonly domains: Domains,
    private readonly types: ReadonlyMap<string, string>,
    private readonly timeZone: string,
  ) {}

  text(field: string | undefined): string | null {
    if (field === undefined) return null;
    const value = decodeAttribute(this.domains, field, this.values[field]);
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value !== 'string') return null;
    return value.replace(/\s+/g, ' ').trim() || null;
  }

  date(field: string | undefined): string | null {
    return field === undefined ? null : esriDateToIso(this.values[field], this.timeZone);
  }

  amount(field: string | undefined): number | null {
    const value = field === undefined ? null : this.values[field];
    if (typeof value === 'number') return Number.isFinite(value) ? value : null;
    if (typeof value !== 'string' || value.trim() === '') return null;
    const n = Number(value.replace(MONEY_NOISE, ''));
    return Number.isFinite(n) ? n : null;
  }

  /** Dates by the field's declared type, everything else as text: what `extra` keeps. */
  verbatim(field: string): string | null {
    return DATE_TYPES.has(this.types.get(field) ?? '') ? this.date(field) : this.text(field);
  }
}

function parseFeature(a: Attributes, { jurisdiction, layer }: LayerContext): PermitRecord | null {
  const f = layer.fields;
  const permitNumber = a.text(layer.permit_number_field.name);
  if (!permitNumber) return null;

  const portalStatus = a.text(f.status);
  const statusCategory = a.text(f.status_category);
  const dates = { applied: a.date(f.applied), issued: a.date(f.issued), finaled: a.date(f.finaled), expires: a.date(f.expires) };
  const permitType = a.text(f.permit_type);
  const permitSubtype = a.text(f.permit_subtype);
  const workDescription = a.text(f.description);
  const street = a.text(f.address);

  return {
    jurisdiction: jurisdiction.slug,
    permit_number: permitNumber,
    portal_status: portalStatus,
    status: portalStatus ?? statusCategory,
    status_phase: phase(jurisdiction.slug, layer, statusCategory ?? portalStatus, dates),
    permit_type: permitType,
    permit_subtype: permitSubtype,
    category: categorize({ permit_type: permitType, permit_subtype: permitSubtype, work_description: workDescription }).category,
    address: street
      ? { street, city: layer.address_city ?? null, state: jurisdiction.state, zip: null }
      : { street: null, city: null, state: null, zip: null },
    work_description: workDescription,
    valuation: a.amount(f.valuation),
    dates,
    inspections: [],
    fees: [],
    contacts: contacts(a, f.applicant, f.contractor),
    conditions: [],
    portal_history: [],
    extra: extra(a, layer.extra_fields),
  };
}

// A layer with a status field speaks for itself (its category first: that is what the table
// lists); only a layer without one falls back to its milestone dates.
function phase(slug: string, layer: LayerSettings, status: string | null, dates: PermitRecord['dates']) {
  const hasStatusField = layer.fields.status !== undefined || layer.fields.status_category !== undefined;
  return hasStatusField ? arcgisPhase(slug, status) : phaseFromDates(dates);
}

// A contractor field names the licensed business, so it is the company (as LADBS contractors are).
function contacts(a: Attributes, applicantField: string | undefined, contractorField: string | undefined): Contact[] {
  const out: Contact[] = [];
  const applicant = a.text(applicantField);
  if (applicant) out.push({ role: 'Applicant', name: applicant, company: null, license: null, license_class: null });
  const contractor = a.text(contractorField);
  if (contractor) out.push({ role: 'Contractor', name: null, company: contractor, license: null, license_class: null });
  return out;
}

function extra(a: Attributes, fields: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, field] of Object.entries(fields)) {
    const value = a.verbatim(field);
    if (value) out[key] = value;
  }
  return out;
}
