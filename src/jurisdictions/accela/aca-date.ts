// ACA prints calendar dates as MM/DD/YYYY ("03/22/2027" expiration, "09/16/2026" workflow marks, HCFL).
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/**
 * An ACA calendar date as ISO `YYYY-MM-DD`, or null for anything else ("TBD", "02/30/2026", empty).
 * The date is the agency's local calendar date already, so no time zone is applied.
 */
export function acaDateToIso(text: string | null | undefined): string | null {
  const m = US_DATE.exec((text ?? '').trim());
  if (!m) return null;
  const [month, day, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${m[3]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
