import { describe, expect, it } from 'vitest';
import { sodaDateToIso, toFloatingTimestamp } from './floating-time.ts';

describe('sodaDateToIso', () => {
  it('takes the date of a floating timestamp as written (Chicago issue_date)', () => {
    expect(sodaDateToIso('2020-08-24T00:00:00.000', 'America/Chicago')).toBe('2020-08-24');
  });

  it('does not shift a late-evening floating time into the next day', () => {
    expect(sodaDateToIso('2026-04-10T23:59:59.000', 'America/Los_Angeles')).toBe('2026-04-10');
  });

  it('converts a fixed timestamp to the local date (03:00Z is the evening before in Chicago)', () => {
    expect(sodaDateToIso('2014-10-13T03:00:00.000Z', 'America/Chicago')).toBe('2014-10-12');
  });

  it('reads an offset timestamp as the instant it names (23:30 -0800 is 00:30 PDT the next day)', () => {
    expect(sodaDateToIso('2020-10-16T23:30:00.000-0800', 'America/Los_Angeles')).toBe('2020-10-17');
    expect(sodaDateToIso('2020-10-16T10:00:00.000-08:00', 'America/Los_Angeles')).toBe('2020-10-16');
  });

  it('accepts a bare date', () => {
    expect(sodaDateToIso('2022-04-27', 'America/Los_Angeles')).toBe('2022-04-27');
  });

  it.each(['', 'N/A', '04/18/2016', '2020-02-30T00:00:00.000', '2020-13-01'])('gives null for %j', (value) => {
    expect(sodaDateToIso(value, 'America/Chicago')).toBeNull();
  });

  it('gives null for null', () => expect(sodaDateToIso(null, 'America/Chicago')).toBeNull());
});

describe('toFloatingTimestamp', () => {
  it('writes the wall-clock time in the zone, with milliseconds and no offset', () => {
    expect(toFloatingTimestamp(new Date('2016-04-18T05:00:00.007Z'), 'America/Chicago')).toBe('2016-04-18T00:00:00.007');
  });

  it('follows daylight saving time (PDT = UTC-7)', () => {
    expect(toFloatingTimestamp(new Date('2026-07-01T07:00:00.000Z'), 'America/Los_Angeles')).toBe('2026-07-01T00:00:00.000');
  });

  it('writes midnight as 00, not 24', () => {
    expect(toFloatingTimestamp(new Date('2026-01-01T08:00:00.000Z'), 'America/Los_Angeles')).toBe('2026-01-01T00:00:00.000');
  });
});
