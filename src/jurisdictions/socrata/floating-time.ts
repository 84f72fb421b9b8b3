import { wallTime } from '../../lib/wall-time.ts';

/**
 * SODA timestamps come in two kinds (dev.socrata.com/docs/datatypes): floating ones,
 * "2016-04-18T00:00:00.000", are wall-clock time with no offset, to be read in the publisher's
 * time zone; fixed ones, "2014-10-13T00:00:00.000Z", are instants.
 */

// "2020-08-24T00:00:00.000" (Chicago issue_date), "2026-04-10T15:03:06.000" (SF status_date).
const FLOATING = /^(\d{4}-\d{2}-\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)?$/;
// An instant: a time with Z or an offset ("2014-10-13T00:00:00.000Z", "...-0800", "...-08:00").
const FIXED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * The calendar date of a SODA timestamp in `timeZone`, as YYYY-MM-DD. A floating timestamp is
 * already local, so its date is taken as written; a fixed one is converted. Anything else
 * (empty, "N/A", a malformed string) is null, never guessed.
 */
export function sodaDateToIso(value: string | null, timeZone: string): string | null {
  if (value === null) return null;
  const text = value.trim();
  const floating = FLOATING.exec(text);
  if (floating) return validDate(floating[1] ?? '');
  if (!FIXED.test(text)) return null;
  const instant = new Date(text);
  return Number.isNaN(instant.getTime()) ? null : localParts(instant, timeZone).slice(0, 10);
}

/**
 * The floating timestamp SODA compares a floating column with: `instant` as wall-clock time in
 * `timeZone`, millisecond precision, no offset ("2026-03-01T08:30:00.000").
 */
export function toFloatingTimestamp(instant: Date, timeZone: string): string {
  return `${localParts(instant, timeZone)}.${String(instant.getUTCMilliseconds()).padStart(3, '0')}`;
}

/** "YYYY-MM-DDTHH:mm:ss" of `instant` in `timeZone`. */
function localParts(instant: Date, timeZone: string): string {
  const { date, time } = wallTime(instant, timeZone);
  return `${date}T${time}`;
}

// Rejects dates the calendar does not have ("2020-02-30").
function validDate(date: string): string | null {
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date ? date : null;
}
