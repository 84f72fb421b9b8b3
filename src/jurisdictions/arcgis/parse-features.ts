import { categorize } from '../../permits/categorize.ts';
import { NO_COORDINATES, type Coordinates } from '../../permits/coordinates.ts';
import type { Contact, PermitRecord, StatusPhase } from '../../permits/record.ts';
import type { Jurisdiction } from '../jurisdiction.ts';
import { decodeAttribute, domainsFor, type Domains } from './coded-values.ts';
import { esriDateToIso, type DateReading } from './esri-date.ts';
import { pointCoordinates } from './geometry.ts';
import { layerDateReference, type LayerSettings } from './layer-settings.ts';
import type { QueryResponse } from './query-response.ts';
import { arcgisPhase, phaseFromMilestones } from './statuses.ts';
import { dateReference, type DateReference } from './time-reference.ts';

/** Field types whose values are dates (epoch milliseconds, or 'YYYY-MM-DD' for date-only). */
const DATE_TYPES = new Set(['esriFieldTypeDate', 'esriFieldTypeDateOnly']);
// "$1,250,000" and "1250000" both read as 1250000. Las Vegas publishes VALUATION as a string
// field of SQL type integer (shared/portal-samples/arcgis/permit-layer-metadata-excerpts.txt).
const MONEY_NOISE = /[$,\s]/g;
// A milestone published as a flag rather than a date: these values mean "not reached".
const NOT_SET = new Set(['', 'n', 'no', 'false', '0']);

export interface LayerContext {
  jurisdiction: Jurisdiction;
  layer: LayerSettings;
}

/**
 * Turns a query response's features into PermitRecords through the layer's field map. Coded
 * values are decoded to their domain names (response domains first, then the layer's copy); a
 * coded field's value that no domain names stays raw and is listed in `extra.undecoded_fields`.
 * Dates become calendar dates as the layer's settings and time reference say (esri-date.ts). A
 * feature without a permit number is skipped. On a point layer the feature's geometry gives the
 * position (geometry.ts). Layers publish no inspections, fees or conditions.
 */
export function parseFeatures(response: QueryResponse, ctx: LayerContext): PermitRecord[] {
  const domains = domainsFor(response.fields, ctx.layer.domains);
  const types = new Map(response.fields.map((f) => [f.name, f.type]));
  const reference = layerReference(response, ctx.layer);
  const reading = (field: string): DateReading => ({
    kind: ctx.layer.date_fields[field] ?? 'auto',
    timeZone: ctx.jurisdiction.time_zone,
    reference,
  });
  const coded = new Set(ctx.layer.coded_fields);
  const records: PermitRecord[] = [];
  for (const { attributes, geometry } of response.features) {
    const position = ctx.layer.geometry === 'point' ? pointCoordinates(response, geometry) : NO_COORDINATES;
    const record = parseFeature(new Attributes(attributes, domains, types, reading, coded), position, ctx);
    if (record) records.push(record);
  }
  return records;
}

// The response's own time reference describes these very values, so it wins; one naming a zone
// we cannot read leaves the layer settings' copy in force (validated when the catalog loads).
function layerReference(response: QueryResponse, layer: LayerSettings): DateReference {
  if (response.dateFieldsTimeReference != null || response.datesInUnknownTimezone !== undefined) {
    const own = dateReference(response.dateFieldsTimeReference, response.datesInUnknownTimezone ?? false);
    if (own) return own;
  }
  return layerDateReference(layer);
}

/** One feature's attributes, read by field name: decoded text, dates, numbers. */
class Attributes {
  /** Coded fields read whose value no domain names, in reading order. */
  readonly undecoded = new Set<string>();

  constructor(
    private readonly values: Record<string, unknown>,
    private readonly domains: Domains,
    private readonly types: ReadonlyMap<string, string>,
    private readonly reading: (field: string) => DateReading,
    private readonly coded: ReadonlySet<string>,
  ) {}

  text(field: string | undefined): string | null {
    if (field === undefined) return null;
    const raw = this.values[field];
    const value = decodeAttribute(this.domains, field, raw);
    if (value === raw && raw !== null && raw !== undefined && (this.coded.has(field) || this.domains.has(field))) this.undecoded.add(field);
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value !== 'string') return null;
    return value.replace(/\s+/g, ' ').trim() || null;
  }

  date(field: string | undefined): string | null {
    return field === undefined ? null : esriDateToIso(this.values[field], this.reading(field));
  }

  amount(field: string | undefined): number | null {
    const value = field === undefined ? null : this.values[field];
    if (typeof value === 'number') return Number.isFinite(value) ? value : null;
    if (typeof value !== 'string' || value.trim() === '') return null;
    const n = Number(value.replace(MONEY_NOISE, ''));
    return Number.isFinite(n) ? n : null;
  }

  /** Whether a milestone field is reached: a readable date, or for a flag field any value but a "no". */
  isSet(field: string): boolean {
    if (DATE_TYPES.has(this.types.get(field) ?? '') || typeof this.values[field] === 'number') return this.date(field) !== null;
    const text = this.text(field);
    return text !== null && !NOT_SET.has(text.toLowerCase());
  }

  /** Dates by the field's declared type, everything else as text: what `extra` keeps. */
  verbatim(field: string): string | null {
    return DATE_TYPES.has(this.types.get(field) ?? '') ? this.date(field) : this.text(field);
  }
}

function parseFeature(a: Attributes, position: Coordinates, { jurisdiction, layer }: LayerContext): PermitRecord | null {
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

  const record: PermitRecord = {
    jurisdiction: jurisdiction.slug,
    permit_number: permitNumber,
    portal_status: portalStatus,
    status: portalStatus ?? statusCategory,
    status_phase: phase(jurisdiction.slug, layer, portalStatus, statusCategory, a),
    permit_type: permitType,
    permit_subtype: permitSubtype,
    category: categorize({ permit_type: permitType, permit_subtype: permitSubtype, work_description: workDescription }).category,
    address: street
      ? { street, city: layer.address_city ?? null, state: jurisdiction.state, zip: null }
      : { street: null, city: null, state: null, zip: null },
    work_description: workDescription,
    valuation: a.amount(f.valuation),
    // A point layer's feature geometry in WGS 84 (geometry.ts); no captured layer has coordinate
    // attributes, so a layer without point geometry gives no position.
    ...position,
    dates,
    inspections: [],
    fees: [],
    contacts: contacts(a, f.applicant, f.contractor),
    conditions: [],
    portal_history: [],
    extra: extra(a, layer.extra_fields),
  };
  if (a.undecoded.size > 0) record.extra.undecoded_fields = [...a.undecoded].join(',');
  return record;
}

// The detailed status speaks first; the layer's own category only where the status is empty or
// unlisted (it must never override it: Jackson County's "Approved" category holds issued permits
// too); milestone dates only where the layer documents them (statuses.ts).
function phase(slug: string, layer: LayerSettings, status: string | null, category: string | null, a: Attributes): StatusPhase {
  const fromStatus = arcgisPhase(slug, 'status', status);
  if (fromStatus !== 'unknown') return fromStatus;
  const fromCategory = arcgisPhase(slug, 'status_category', category);
  if (fromCategory !== 'unknown') return fromCategory;
  if (status !== null || category !== null) return 'unknown';
  return phaseFromMilestones(layer.milestones, (field) => a.isSet(field));
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
