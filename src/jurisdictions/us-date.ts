// Both HTML portals print calendar dates as M/D/YYYY or MM/DD/YYYY: PCIS "7/6/2016" (history rows)
// and "Completed on 03/06/2026" (fixtures/ladbs/), ACA "03/22/2027" (expiration) and "09/16/2026"
// (workflow marks, fixtures/accela/ HCFL).
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/**
 * A US calendar date as ISO `YYYY-MM-DD`, or null for anything that is not a real date
 * ("13/1/2020", "2/30/2026", "TBD", "7/6/16", empty). The portal already shows the jurisdiction's
 * local calendar date, so no time zone is applied.
 */
export function usDateToIso(text: string | null | undefined): string | null {
  const m = US_DATE.exec((text ?? '').trim());
  if (!m) return null;
  const [month, day, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${m[3]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
