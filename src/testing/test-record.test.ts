import { describe, expect, it } from 'vitest';
import { testRecord } from './test-record.ts';

describe('testRecord', () => {
  it.each([
    ['replaces top-level fields', { status_phase: 'closed' as const }, (r: ReturnType<typeof testRecord>) => r.status_phase, 'closed'],
    [
      'merges dates field by field',
      { dates: { finaled: '2018-08-08' } },
      (r: ReturnType<typeof testRecord>) => [r.dates.issued, r.dates.finaled],
      ['2016-07-06', '2018-08-08'],
    ],
    [
      'merges address field by field',
      { address: { city: 'LOS ANGELES' } },
      (r: ReturnType<typeof testRecord>) => [r.address.street, r.address.city],
      ['3030 S MIDVALE AVE', 'LOS ANGELES'],
    ],
  ])('%s', (_name, overrides, pick, expected) => {
    expect(pick(testRecord(overrides))).toEqual(expected);
  });

  it('rejects a record an adapter could not return', () => {
    expect(() => testRecord({ dates: { issued: '7/6/2016' } })).toThrow();
  });
});
