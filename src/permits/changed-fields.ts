import { canonicalJson } from './content-hash.ts';
import { PermitRecord } from './record.ts';

/** One differing field: a top-level name or a dotted path into `address` / `dates`. */
export interface ChangedField {
  field: string;
  before: unknown;
  after: unknown;
}

/** Record fields reported as dotted paths (`dates.issued`) rather than as one object. */
const NESTED_FIELDS = ['address', 'dates'] as const;

/**
 * Every field that differs between two observations, for the `permit.changed` webhook: top-level
 * fields in schema order, with `address` and `dates` broken into `address.zip`, `dates.issued`...
 * Arrays and `extra` are compared whole by canonical JSON (order matters here: the payload shows
 * what the portal shows); an optional field a record lacks counts as null.
 */
export function changedFields(prev: PermitRecord, next: PermitRecord): ChangedField[] {
  const fields: ChangedField[] = [];
  for (const key of Object.keys(PermitRecord.shape) as (keyof PermitRecord)[]) {
    const nested = NESTED_FIELDS.find((n) => n === key);
    if (nested) {
      const before: Record<string, unknown> = prev[nested];
      const after: Record<string, unknown> = next[nested];
      for (const sub of Object.keys(PermitRecord.shape[nested].shape)) {
        if (canonicalJson(before[sub]) !== canonicalJson(after[sub])) {
          fields.push({ field: `${nested}.${sub}`, before: before[sub], after: after[sub] });
        }
      }
    } else {
      // An optional field a record lacks (trade_valuations, schema v3) compares and shows as null.
      const before = prev[key] ?? null;
      const after = next[key] ?? null;
      if (canonicalJson(before) !== canonicalJson(after)) fields.push({ field: key, before, after });
    }
  }
  return fields;
}
