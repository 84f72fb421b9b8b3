import { z } from 'zod';
import type { Jurisdiction } from '../jurisdiction.ts';

/** Rows per changedSince page when a jurisdiction does not say: SODA's own default `$limit`. */
export const FEED_PAGE_SIZE = 1000;

/** A SODA dataset id ("4x4"): two groups of four lower-case letters or digits ("ydr8-5enu"). */
const DATASET_ID = /^[a-z0-9]{4}-[a-z0-9]{4}$/;

/** A column name, or null where the dataset has no such column. */
const Column = z.string().min(1).nullable();

/** A value read from a column, else the constant (Chicago rows carry no city: every row is in Chicago). */
const ColumnOrValue = z.object({ field: Column.default(null), value: z.string().nullable().default(null) });

/** One fee column: its amount is a number-as-string; `paid` says what the column counts. */
const FeeColumn = z.object({ description: z.string().min(1), field: z.string().min(1), paid: z.boolean().nullable() });

/**
 * One contact, or a numbered run of them: with `repeat`, `{n}` in every column name is replaced
 * by 1..repeat (Chicago's contact_1_type ... contact_15_type). `role` is the role when
 * `role_field` is null or empty on the row. `name_may_be_firm` says the name column holds a
 * person or a firm alike (Chicago): a firm's name (firm-name.ts) is then read as the company.
 */
const ContactColumns = z
  .object({
    role: z.string().min(1),
    role_field: Column.default(null),
    name_field: Column.default(null),
    company_field: Column.default(null),
    license_field: Column.default(null),
    name_may_be_firm: z.boolean().default(false),
    repeat: z.number().int().positive().optional(),
  })
  // The columns of each slot, spelled out once with the settings rather than again for every row
  // (Chicago: 15 slots of 4 columns each).
  .transform((c) => ({ ...c, slots: contactSlots(c) }));

/** The column names of one contact slot: `{n}` replaced by the slot's number. */
export interface ContactSlot {
  role_field: string | null;
  name_field: string | null;
  company_field: string | null;
  license_field: string | null;
}

function contactSlots(c: ContactSlot & { repeat?: number }): ContactSlot[] {
  const numbers = c.repeat === undefined ? [null] : Array.from({ length: c.repeat }, (_, i) => i + 1);
  return numbers.map((n) => {
    const numbered = (field: string | null) => (field === null || n === null ? field : field.replaceAll('{n}', String(n)));
    return {
      role_field: numbered(c.role_field),
      name_field: numbered(c.name_field),
      company_field: numbered(c.company_field),
      license_field: numbered(c.license_field),
    };
  });
}

/** Which column holds each PermitRecord field. Column names are the SODA field names. */
export const SocrataFieldMap = z.object({
  permit_number: z.string().min(1),
  status: Column,
  permit_type: Column,
  permit_subtype: Column,
  work_description: Column,
  /** Street parts joined with single spaces, empty parts skipped ("1759" "S" "ELMHURST" "RD"). */
  street: z.array(z.string().min(1)).min(1),
  /**
   * The unit, appended to the street as "#<unit><suffix>" (USPS Pub. 28 writes "#" where the
   * designator, APT or STE, is not known). `none` lists the values that mean no unit (SF: "0").
   */
  unit: z
    .object({ fields: z.array(z.string().min(1)).min(1), none: z.array(z.string()).default([]) })
    .nullable()
    .default(null),
  city: ColumnOrValue,
  state: ColumnOrValue,
  zip: Column,
  dates: z.object({ applied: Column, issued: Column, finaled: Column, expires: Column }),
  /**
   * Where the site's coordinates are: latitude and longitude columns (numbers as text, Chicago and
   * Austin), or a `point` column holding a GeoJSON Point (SF's `location`). Null where the dataset
   * has none: the record's coordinates are then null.
   */
  coordinates: z
    .union([z.object({ latitude: z.string().min(1), longitude: z.string().min(1) }), z.object({ point: z.string().min(1) })])
    .nullable()
    .default(null),
  /** The first of these columns holding a positive amount is the valuation (SF: revised, then estimated cost). */
  valuation: z.array(z.string().min(1)),
  /**
   * Columns breaking the valuation down by trade (Austin). Empty where a dataset has none: the
   * record then has no `trade_valuations` at all, rather than an empty breakdown it never had.
   */
  trade_valuations: z.array(z.object({ trade: z.string().min(1), field: z.string().min(1) })).default([]),
  fees: z.array(FeeColumn),
  contacts: z.array(ContactColumns),
  /** Kept verbatim in `extra` under the key given. */
  extra: z.record(z.string(), z.string().min(1)),
});
export type SocrataFieldMap = z.infer<typeof SocrataFieldMap>;

/** The status vocabularies statuses.ts knows, one per dataset family. */
export const STATUS_VOCABULARIES = ['chicago', 'sf', 'ladbs', 'austin'] as const;

/**
 * Everything the adapter needs to know about one jurisdiction's dataset, kept in the catalog
 * entry's `settings` (a new Socrata city is data, not code).
 */
export const SocrataSettings = z.object({
  dataset_id: z.string().regex(DATASET_ID, 'expected a SODA 4x4 id like ydr8-5enu'),
  status_vocabulary: z.enum(STATUS_VOCABULARIES),
  /**
   * The column changedSince filters on. `floating` columns hold local wall-clock time without an
   * offset (dev.socrata.com/docs/datatypes/floating_timestamp); `fixed` ones are instants, like
   * the `:updated_at` system field (dev.socrata.com/docs/system-fields).
   */
  changed_since: z.object({ field: z.string().min(1), kind: z.enum(['floating', 'fixed']) }),
  feed_page_size: z.number().int().positive().default(FEED_PAGE_SIZE),
  /** Where a permit has several rows (SF: one per address), the row with this value is the one read. */
  primary_row: z
    .object({ field: z.string().min(1), value: z.string() })
    .nullable()
    .default(null),
  fields: SocrataFieldMap,
});
export type SocrataSettings = z.infer<typeof SocrataSettings>;

/** Reads a jurisdiction's Socrata settings; throws (a catalog defect) when they are malformed. */
export function socrataSettings(jurisdiction: Jurisdiction): SocrataSettings {
  const parsed = SocrataSettings.safeParse(jurisdiction.settings);
  if (!parsed.success) throw new Error(`${jurisdiction.slug}: invalid socrata settings: ${parsed.error.message}`);
  return parsed.data;
}
