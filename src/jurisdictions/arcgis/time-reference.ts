import { z } from 'zod';

/**
 * A layer's `dateFieldsTimeReference` (Layer resource of the ArcGIS REST API, since 10.3.1): the
 * time zone its date fields were stored in, as a Windows zone name ("Pacific Standard Time"),
 * sometimes with the IANA name beside it (`timeZoneIANA`, newer servers), and whether daylight
 * saving is respected. Stored-in-a-zone values are still sent as UTC epoch milliseconds; a layer
 * that says `datesInUnknownTimezone: true` instead sends its wall-clock values as if they were
 * UTC, which is why the query operation has `timeReferenceUnknownClient`.
 */
export const TimeReference = z.object({
  timeZone: z.string().min(1),
  timeZoneIANA: z.string().min(1).optional(),
  respectsDaylightSaving: z.boolean().default(true),
});
export type TimeReference = z.infer<typeof TimeReference>;

/** Where a layer's epoch values are read: in a real zone, or as wall-clock time written as UTC. */
export type DateReference = { kind: 'zone'; timeZone: string } | { kind: 'wall_clock' };

export const UTC_REFERENCE: DateReference = { kind: 'zone', timeZone: 'UTC' };

// Windows zone names US layers use, to IANA zones (CLDR windowsZones.xml, territory 001): with
// daylight saving, the region's zone; without, the fixed standard offset (Etc/GMT+8 is UTC-8).
const WINDOWS_ZONES: Readonly<Record<string, { dst: string; standard: string }>> = {
  UTC: { dst: 'UTC', standard: 'UTC' },
  'Coordinated Universal Time': { dst: 'UTC', standard: 'UTC' },
  GMT: { dst: 'UTC', standard: 'UTC' },
  'Eastern Standard Time': { dst: 'America/New_York', standard: 'Etc/GMT+5' },
  'Central Standard Time': { dst: 'America/Chicago', standard: 'Etc/GMT+6' },
  'Mountain Standard Time': { dst: 'America/Denver', standard: 'Etc/GMT+7' },
  // Arizona keeps standard time all year either way.
  'US Mountain Standard Time': { dst: 'America/Phoenix', standard: 'America/Phoenix' },
  'Pacific Standard Time': { dst: 'America/Los_Angeles', standard: 'Etc/GMT+8' },
  'Alaskan Standard Time': { dst: 'America/Anchorage', standard: 'Etc/GMT+9' },
  'Hawaiian Standard Time': { dst: 'Pacific/Honolulu', standard: 'Pacific/Honolulu' },
};

function isIanaZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * The zone a time reference names, or null when it names none we can read (an unknown Windows
 * name, "Unknown"). Without daylight saving a DST region reads at its standard offset all year.
 */
export function referenceZone(reference: TimeReference): string | null {
  const windows = WINDOWS_ZONES[reference.timeZone];
  if (windows) return reference.respectsDaylightSaving ? windows.dst : windows.standard;
  if (reference.timeZoneIANA && isIanaZone(reference.timeZoneIANA) && reference.respectsDaylightSaving) return reference.timeZoneIANA;
  if (/^unknown$/i.test(reference.timeZone)) return null;
  return isIanaZone(reference.timeZone) && reference.respectsDaylightSaving ? reference.timeZone : null;
}

/**
 * How a layer's epoch values are to be read: wall clock when the layer says its dates are in an
 * unknown time zone (or names the zone "Unknown"), the reference's zone when it names one, UTC
 * when it gives none (ArcGIS's default). A reference naming a zone we cannot read gives null:
 * the caller keeps its other source rather than guess.
 */
export function dateReference(reference: TimeReference | null | undefined, datesInUnknownTimezone: boolean): DateReference | null {
  if (datesInUnknownTimezone) return { kind: 'wall_clock' };
  if (!reference) return UTC_REFERENCE;
  if (/^unknown$/i.test(reference.timeZone)) return { kind: 'wall_clock' };
  const zone = referenceZone(reference);
  return zone ? { kind: 'zone', timeZone: zone } : null;
}
