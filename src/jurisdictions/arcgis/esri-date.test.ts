import { describe, expect, it } from 'vitest';
import { esriDateToIso } from './esri-date.ts';

describe('esriDateToIso', () => {
  it('reads epoch milliseconds as the local calendar date', () => {
    // 2024-05-02T07:00:00Z is midnight in Bellingham (PDT).
    expect(esriDateToIso(1714633200000, 'America/Los_Angeles')).toBe('2024-05-02');
  });
  it('keeps an evening instant on its local day, though UTC has moved on', () => {
    // 2024-04-23T01:30:00Z is 18:30 on April 22 in Los Angeles.
    expect(esriDateToIso(1713835800000, 'America/Los_Angeles')).toBe('2024-04-22');
    expect(esriDateToIso(1713835800000, 'UTC')).toBe('2024-04-23');
  });
  it('uses standard time in winter', () => {
    // 2024-02-06T00:20:00Z is 16:20 PST on February 5.
    expect(esriDateToIso(1707178800000, 'America/Los_Angeles')).toBe('2024-02-05');
  });
  it('passes a date-only value through', () => expect(esriDateToIso('2024-03-14', 'America/Phoenix')).toBe('2024-03-14'));
  it.each([null, undefined, '', 'March 14, 2024', Number.NaN, true])('gives null for %j', (value) => {
    expect(esriDateToIso(value, 'America/Phoenix')).toBeNull();
  });
});
