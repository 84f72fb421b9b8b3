import { z } from 'zod';
import type { Jurisdiction } from '../jurisdiction.ts';
import { STATUS_PHASES } from '../../permits/record.ts';
import { TimeReference, UTC_REFERENCE, dateReference, referenceZone, type DateReference } from './time-reference.ts';

/**
 * One coded value of an ArcGIS coded-value domain, as the REST API writes it in a layer's or a
 * query response's `fields[].domain.codedValues` (`{ "name": "Commercial", "code": "COMM" }`).
 */
export const CodedValue = z.object({ name: z.string(), code: z.union([z.string(), z.number()]) });
export type CodedValue = z.infer<typeof CodedValue>;

/** A field the changedSince where clause compares: `timestamp` for esriFieldTypeDate, `date` for esriFieldTypeDateOnly. */
export const ChangeField = z.object({ name: z.string().min(1), kind: z.enum(['timestamp', 'date']) });
export type ChangeField = z.infer<typeof ChangeField>;

/** Which layer field holds each PermitRecord fact. Every entry but the permit number is optional: layers publish what they publish. */
export const FieldMap = z.object({
  /** Verbatim status shown as `portal_status`. */
  status: z.string().optional(),
  /**
   * A coarser status the layer derives itself (Jackson County's STATUSCAT). The phase is read
   * from `status` first; the category is consulted only when the status is empty or unlisted,
   * through its own table (statuses.ts), so it never overrides the detailed status.
   */
  status_category: z.string().optional(),
  permit_type: z.string().optional(),
  permit_subtype: z.string().optional(),
  description: z.string().optional(),
  address: z.string().optional(),
  valuation: z.string().optional(),
  applied: z.string().optional(),
  issued: z.string().optional(),
  finaled: z.string().optional(),
  expires: z.string().optional(),
  applicant: z.string().optional(),
  contractor: z.string().optional(),
});
export type FieldMap = z.infer<typeof FieldMap>;

/**
 * A milestone date field and the phase a permit is in once that date is set. Only for layers
 * that publish no status: the list is what the layer documents by its own fields, in order,
 * the first set field wins (Bellingham: FINALED, EXPIRED, ISSUED, APPROVED, APPLIED).
 */
export const Milestone = z.object({ field: z.string().min(1), phase: z.enum(STATUS_PHASES).exclude(['unknown']) });
export type Milestone = z.infer<typeof Milestone>;

/** `Jurisdiction.settings` of an `arcgis:*` entry: the layer and how to read it. */
export const LayerSettings = z.object({
  /** Path of the layer below the host, kept verbatim (`/arcgis3/rest/services/Maps/Permits/MapServer/0`). */
  layer_path: z.string().regex(/^\/.*\/(?:FeatureServer|MapServer)\/\d+$/, 'expected a .../FeatureServer/<id> or .../MapServer/<id> path'),
  /** The layer's MaxRecordCount: no page may ask for more. */
  max_record_count: z.number().int().positive(),
  /** The esriFieldTypeOID field; paging orders by it so offsets stay stable between pages. */
  object_id_field: z.string().min(1),
  /** The permit number field and whether the where clause compares it as text or as a number. */
  permit_number_field: z.object({ name: z.string().min(1), type: z.enum(['string', 'integer']) }),
  fields: FieldMap,
  /** Other fields kept verbatim in `extra`, by the key they get there. */
  extra_fields: z.record(z.string(), z.string()).default({}),
  /** Date fields whose change marks a changed permit; changedSince ORs them. */
  change_fields: z.array(ChangeField).min(1),
  /** City for the address when the layer is one city's and its address field carries only the street. */
  address_city: z.string().optional(),
  /** Coded-value domains copied from the layer metadata, used when a query response omits `fields[].domain`. */
  domains: z.record(z.string(), z.array(CodedValue)).default({}),
  /**
   * Fields the layer metadata shows with a coded-value domain whose codes we have not copied. A
   * value of such a field that no domain names is kept raw, and the record says so
   * (`extra.undecoded_fields`) rather than pass a code off as a status.
   */
  coded_fields: z.array(z.string().min(1)).default([]),
  /** Milestone dates the phase is read from on a layer without a status field; see Milestone. */
  milestones: z.array(Milestone).default([]),
  /**
   * How each esriFieldTypeDate field is read (esri-date.ts): `instant` (a time stamp), `date`
   * (a calendar date stored at midnight in the reference zone) or, for fields not listed, `auto`.
   */
  date_fields: z.record(z.string(), z.enum(['instant', 'date', 'auto'])).default({}),
  /** The layer's `dateFieldsTimeReference`, copied from its metadata; null when it has none (UTC). */
  date_fields_time_reference: TimeReference.nullable()
    .default(null)
    .refine((r) => r === null || /^unknown$/i.test(r.timeZone) || referenceZone(r) !== null, 'a time zone name this adapter can read'),
  /** The layer's `datesInUnknownTimezone`: its date values are wall-clock time written as UTC. */
  dates_in_unknown_timezone: z.boolean().default(false),
  /**
   * The layer's Geometry Type as its directory page shows it: `point` (esriGeometryPoint) has each
   * permit's position asked for in WGS 84 (geometry.ts); `none` (a table, or another geometry type,
   * whose shape is no one point) asks for no geometry.
   */
  geometry: z.enum(['point', 'none']).default('none'),
});
export type LayerSettings = z.infer<typeof LayerSettings>;

/**
 * How the layer's stored date values read, from the settings' copy of its metadata: wall clock
 * when its dates are in an unknown time zone, its reference zone when it names one, else UTC.
 */
export function layerDateReference(layer: LayerSettings): DateReference {
  return dateReference(layer.date_fields_time_reference, layer.dates_in_unknown_timezone) ?? UTC_REFERENCE;
}

/** Reads an ArcGIS jurisdiction's settings; throws on a catalog entry that does not describe a layer (a start-up bug, not a portal problem). */
export function layerSettings(jurisdiction: Jurisdiction): LayerSettings {
  const parsed = LayerSettings.safeParse(jurisdiction.settings);
  if (!parsed.success) throw new Error(`${jurisdiction.slug}: invalid ArcGIS layer settings: ${parsed.error.message}`);
  return parsed.data;
}
