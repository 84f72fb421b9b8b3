import type { CodedValue } from './layer-settings.ts';
import type { EsriField } from './query-response.ts';

/** Field name → code → the domain's name for it. */
export type Domains = ReadonlyMap<string, ReadonlyMap<string, string>>;

/**
 * The coded-value domains to decode with: a response's own `fields[].domain.codedValues` win;
 * a layer's domains copied from its metadata fill in for fields whose response omits them.
 * Codes are keyed as text, so an integer code 2 and its JSON attribute 2 meet.
 */
export function domainsFor(fields: readonly EsriField[], fallback: Readonly<Record<string, readonly CodedValue[]>>): Domains {
  const domains = new Map<string, ReadonlyMap<string, string>>();
  for (const [field, values] of Object.entries(fallback)) domains.set(field, byCode(values));
  for (const field of fields) {
    const values = field.domain?.codedValues;
    if (values) domains.set(field.name, byCode(values));
  }
  return domains;
}

function byCode(values: readonly CodedValue[]): ReadonlyMap<string, string> {
  return new Map(values.map((v) => [String(v.code), v.name]));
}

/** An attribute's shown value: its domain name when the field has a domain listing the code, else the raw value. */
export function decodeAttribute(domains: Domains, field: string, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  return domains.get(field)?.get(String(value)) ?? value;
}
