import type { Catalog } from './catalog.ts';
import type { Jurisdiction } from './jurisdiction.ts';

/** Permit numbers are short; a longer string is not a permit number and is not matched at all. */
export const MAX_PERMIT_NUMBER_LENGTH = 64;
/** Letters, digits and the separators portals use (`-`, `.`, `/`, space, `_`, `#`, `:`). */
export const PERMIT_NUMBER_SHAPE = /^[A-Za-z0-9][A-Za-z0-9 ._\/#:-]*$/;

/** Normalises what a user typed: trimmed, upper-case (portals print numbers in capitals). */
export function normalisePermitNumber(input: string): string {
  return input.trim().toUpperCase();
}

export type PermitNumberCheck = { ok: true; number: string } | { ok: false; reason: 'invalid_permit_number'; message: string };

export function checkPermitNumber(input: string): PermitNumberCheck {
  const number = normalisePermitNumber(input);
  if (number.length === 0) return { ok: false, reason: 'invalid_permit_number', message: 'permit_number is empty' };
  if (number.length > MAX_PERMIT_NUMBER_LENGTH) {
    return { ok: false, reason: 'invalid_permit_number', message: `permit_number is longer than ${MAX_PERMIT_NUMBER_LENGTH} characters` };
  }
  if (!PERMIT_NUMBER_SHAPE.test(number)) {
    return {
      ok: false,
      reason: 'invalid_permit_number',
      message: 'permit_number may contain only letters, digits, spaces and - . _ / # :',
    };
  }
  return { ok: true, number };
}

/** The jurisdictions whose number patterns match, in catalog order. */
export function matchJurisdictions(catalog: Catalog, permitNumber: string): Jurisdiction[] {
  return catalog.all().filter((j) => j.auto_detect !== false && j.permit_number_patterns.some((p) => compiled(p).test(permitNumber)));
}

const regexCache = new Map<string, RegExp>();
function compiled(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'i');
    regexCache.set(pattern, re);
  }
  return re;
}
