/**
 * ArcGIS date values to calendar dates. esriFieldTypeDate values are milliseconds since the
 * Unix epoch, UTC ("Esri date fields are represented as milliseconds from the Unix Epoch",
 * arcgisutils; "milliseconds since 1970-01-01 00:00:00 GMT", ArcXML FIELDS): the permit's day
 * is that instant's date in the jurisdiction's time zone, so 2024-05-03T02:00Z is 2024-05-02 in
 * Bellingham. esriFieldTypeDateOnly values are already calendar dates, sent as 'YYYY-MM-DD'.
 */

const DATE_ONLY = /^(\d{4}-\d{2}-\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // en-CA formats as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The 'YYYY-MM-DD' date of an instant in `timeZone`. */
export function calendarDate(instant: Date, timeZone: string): string {
  return formatter(timeZone).format(instant);
}

/** The calendar date of an ArcGIS date value in `timeZone`; null for null, an empty value or anything else. */
export function esriDateToIso(value: unknown, timeZone: string): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return calendarDate(new Date(value), timeZone);
  if (typeof value === 'string') return DATE_ONLY.exec(value.trim())?.[1] ?? null;
  return null;
}
