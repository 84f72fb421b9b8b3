import { describe, expect, it } from 'vitest';
import { esriDateToIso, type DateReading } from './esri-date.ts';

const UTC = { kind: 'zone', timeZone: 'UTC' } as const;
const LA: DateReading = { kind: 'auto', timeZone: 'America/Los_Angeles', reference: UTC };

describe('esriDateToIso', () => {
  it('reads an instant as its local calendar date', () => {
    // 2024-05-02T07:00:00Z is midnight in Bellingham (PDT).
    expect(esriDateToIso(1714633200000, LA)).toBe('2024-05-02');
  });
  it('keeps an evening instant on its local day, though UTC has moved on', () => {
    // 2024-04-23T01:30:00Z is 18:30 on April 22 in Los Angeles.
    expect(esriDateToIso(1713835800000, LA)).toBe('2024-04-22');
    expect(esriDateToIso(1713835800000, { ...LA, timeZone: 'UTC' })).toBe('2024-04-23');
  });
  it('uses standard time in winter', () => {
    // 2024-02-06T00:20:00Z is 16:20 PST on February 5.
    expect(esriDateToIso(1707178800000, LA)).toBe('2024-02-05');
  });

  // 1714608000000 is 2024-05-02T00:00:00.000Z: a date stored at midnight UTC.
  it('a midnight-UTC date does not land a day early (auto)', () => expect(esriDateToIso(1714608000000, LA)).toBe('2024-05-02'));
  it('a field declared a date reads its UTC day', () => expect(esriDateToIso(1714608000000, { ...LA, kind: 'date' })).toBe('2024-05-02'));
  it('a field declared an instant reads its local day, even at midnight UTC', () =>
    expect(esriDateToIso(1714608000000, { ...LA, kind: 'instant' })).toBe('2024-05-01'));

  it('a date stored at midnight in the layer reference zone reads that day', () => {
    // 2024-07-01T08:00:00Z is midnight PST (UTC-8, no daylight saving): Jackson County's reference.
    const pst: DateReading = { kind: 'date', timeZone: 'America/Los_Angeles', reference: { kind: 'zone', timeZone: 'Etc/GMT+8' } };
    expect(esriDateToIso(1719820800000, pst)).toBe('2024-07-01');
    expect(esriDateToIso(1719820800000, { ...pst, kind: 'auto' })).toBe('2024-07-01');
  });

  it('a layer with dates in an unknown time zone is read as wall clock, whatever the kind', () => {
    // 2024-04-22T18:30 local, written as if UTC.
    const wall: DateReading = { kind: 'instant', timeZone: 'America/Los_Angeles', reference: { kind: 'wall_clock' } };
    expect(esriDateToIso(1713810600000, wall)).toBe('2024-04-22');
    expect(esriDateToIso(1714608000000, wall)).toBe('2024-05-02');
  });

  it('passes a date-only value through', () => expect(esriDateToIso('2024-03-14', { ...LA, timeZone: 'America/Phoenix' })).toBe('2024-03-14'));
  it.each([null, undefined, '', 'March 14, 2024', Number.NaN, true, 8.64e16])('gives null for %j', (value) => {
    expect(esriDateToIso(value, LA)).toBeNull();
  });
});
