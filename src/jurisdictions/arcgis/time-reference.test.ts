import { describe, expect, it } from 'vitest';
import { dateReference, referenceZone } from './time-reference.ts';

describe('referenceZone', () => {
  it.each([
    [{ timeZone: 'Pacific Standard Time', respectsDaylightSaving: true }, 'America/Los_Angeles'],
    [{ timeZone: 'Pacific Standard Time', respectsDaylightSaving: false }, 'Etc/GMT+8'],
    [{ timeZone: 'US Mountain Standard Time', respectsDaylightSaving: false }, 'America/Phoenix'],
    [{ timeZone: 'UTC', respectsDaylightSaving: false }, 'UTC'],
    // as a real layer declares it (find_string id 60426185801)
    [{ timeZone: 'Central European Standard Time', timeZoneIANA: 'Europe/Warsaw', respectsDaylightSaving: true }, 'Europe/Warsaw'],
    [{ timeZone: 'America/Chicago', respectsDaylightSaving: true }, 'America/Chicago'],
    [{ timeZone: 'Nowhere Standard Time', respectsDaylightSaving: true }, null],
  ])('%j → %s', (reference, zone) => expect(referenceZone(reference)).toBe(zone));
});

describe('dateReference', () => {
  it('is UTC without a reference', () => expect(dateReference(null, false)).toEqual({ kind: 'zone', timeZone: 'UTC' }));
  it('is wall clock when the dates are in an unknown time zone', () => expect(dateReference(null, true)).toEqual({ kind: 'wall_clock' }));
  it('is wall clock for a reference named "Unknown"', () =>
    expect(dateReference({ timeZone: 'Unknown', respectsDaylightSaving: false }, false)).toEqual({ kind: 'wall_clock' }));
  it('is null for a zone it cannot read, so the caller keeps its other source', () =>
    expect(dateReference({ timeZone: 'Nowhere Standard Time', respectsDaylightSaving: true }, false)).toBeNull());
});
