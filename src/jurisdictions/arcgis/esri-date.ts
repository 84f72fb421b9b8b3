import { wallTime } from '../../lib/wall-time.ts';
import type { DateReference } from './time-reference.ts';

/**
 * ArcGIS date values to calendar dates. esriFieldTypeDate values are milliseconds since the Unix
 * epoch, UTC ("Esri date fields are represented as milliseconds from the Unix Epoch",
 * arcgisutils; "milliseconds since 1970-01-01 00:00:00 GMT", ArcXML FIELDS).
 * esriFieldTypeDateOnly values are already calendar dates, sent as 'YYYY-MM-DD'.
 *
 * A date field holds either an instant (a time stamp: the permit's day is that instant's date in
 * the jurisdiction's zone, so 2024-05-03T02:00Z is 2024-05-02 in Bellingham) or a calendar date
 * stored as midnight of its day in the layer's reference zone (UTC unless the layer's
 * `dateFieldsTimeReference` names another). Read as an instant in a US zone, a midnight-UTC date
 * would land a day early; so each layer says which its fields are (layer-settings.ts), and
 * `auto` takes a value at exactly midnight in the reference zone as a date, anything else as an
 * instant: an instant falling on 00:00:00.000 to the millisecond is vanishingly rare, a date
 * stored at midnight is the norm. On a layer whose dates are in an unknown time zone the value is
 * wall-clock time written as UTC: its UTC reading is the local one, for both kinds.
 */
export type DateKind = 'instant' | 'date' | 'auto';

export interface DateReading {
  kind: DateKind;
  /** The jurisdiction's zone: where an instant's day is taken. */
  timeZone: string;
  /** Where a stored date's midnight is: the layer's reference zone, or wall clock. */
  reference: DateReference;
}

const DATE_ONLY = /^(\d{4}-\d{2}-\d{2})$/;

function parts(instant: Date, timeZone: string): { date: string; midnight: boolean } {
  const { date, time } = wallTime(instant, timeZone);
  return { date, midnight: time === '00:00:00' && instant.getUTCMilliseconds() === 0 };
}

/** The 'YYYY-MM-DD' date of an instant in `timeZone`. */
export function calendarDate(instant: Date, timeZone: string): string {
  return parts(instant, timeZone).date;
}

/** The calendar date of an ArcGIS date value read as `reading` says; null for null, an empty value or anything else. */
export function esriDateToIso(value: unknown, reading: DateReading): string | null {
  if (typeof value === 'string') return DATE_ONLY.exec(value.trim())?.[1] ?? null;
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return null;
  if (reading.reference.kind === 'wall_clock') return calendarDate(instant, 'UTC');
  const stored = parts(instant, reading.reference.timeZone);
  const isDate = reading.kind === 'date' || (reading.kind === 'auto' && stored.midnight);
  return isDate ? stored.date : calendarDate(instant, reading.timeZone);
}
