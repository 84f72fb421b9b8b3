import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from './content-hash.ts';
import { PermitRecord } from './record.ts';
import { testRecord, type TestRecordOverrides } from '../testing/test-record.ts';

describe('canonicalJson', () => {
  it.each([
    ['sorts keys recursively, keeps array order', { b: { d: 'é', c: null }, a: [2, 1] }, '{"a":[2,1],"b":{"c":null,"d":"é"}}'],
    ['sorts by UTF-16 code unit, as RFC 8785', { b: 1, B: 2, a: 3, _: 4 }, '{"B":2,"_":4,"a":3,"b":1}'],
    ['drops undefined object members', { a: undefined, b: 1 }, '{"b":1}'],
    ['writes numbers as JSON.stringify does', [1.5, -0, 1e21, 13960.44], '[1.5,0,1e+21,13960.44]'],
    ['escapes strings as JSON.stringify does', ['say "hi"\n'], '["say \\"hi\\"\\n"]'],
    ['handles objects without a prototype', Object.assign(Object.create(null) as object, { z: true, y: false }), '{"y":false,"z":true}'],
    ['keeps scalars', null, 'null'],
  ])('%s', (_name, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['bigint', 1n],
    ['Date', new Date(0)],
    ['function', () => 1],
    ['undefined array item', [undefined]],
    ['top-level undefined', undefined],
  ])('refuses %s instead of coercing it', (_name, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });
});

describe('contentHash', () => {
  // Written in schema order, not sorted; the expected canonical text below was written by hand,
  // and the hash computed from it outside the code under test:
  //   printf '%s' '<CANONICAL>' | sha256sum
  const FIXED: PermitRecord = {
    jurisdiction: 'ladbs',
    permit_number: '16041-10000-23545',
    portal_status: 'Permit Finaled on 8/8/2018',
    status: 'Permit Finaled on 8/8/2018',
    status_phase: 'closed',
    permit_type: 'Electrical',
    permit_subtype: '1 or 2 Family Dwelling',
    category: 'electrical',
    address: { street: '3030 S MIDVALE AVE', city: null, state: null, zip: '90034' },
    work_description: '200A UPGRADE.',
    valuation: null,
    latitude: null,
    longitude: null,
    dates: { applied: null, issued: '2016-07-06', finaled: '2018-08-08', expires: null },
    inspections: [{ type: 'Final', date: '2018-08-07', result: 'Permit Finaled', inspector: 'ANDREW NAVE', status: 'completed' }],
    fees: [{ description: 'building_fee', amount: 13960.44, paid: true }],
    contacts: [],
    conditions: [],
    portal_history: [],
    extra: {},
  };
  const CANONICAL =
    '{"address":{"city":null,"state":null,"street":"3030 S MIDVALE AVE","zip":"90034"},"category":"electrical",' +
    '"conditions":[],"contacts":[],"dates":{"applied":null,"expires":null,"finaled":"2018-08-08","issued":"2016-07-06"},' +
    '"extra":{},"fees":[{"amount":13960.44,"description":"building_fee","paid":true}],' +
    '"inspections":[{"date":"2018-08-07","inspector":"ANDREW NAVE","result":"Permit Finaled","status":"completed","type":"Final"}],' +
    '"jurisdiction":"ladbs","latitude":null,"longitude":null,"permit_number":"16041-10000-23545","permit_subtype":"1 or 2 Family Dwelling","permit_type":"Electrical",' +
    '"portal_history":[],"portal_status":"Permit Finaled on 8/8/2018","status":"Permit Finaled on 8/8/2018","status_phase":"closed",' +
    '"valuation":null,"work_description":"200A UPGRADE."}';
  const SHA256_OF_CANONICAL = 'dd8447eb2a87450ac7393bc0da8a5b38805a6c1e005d5e39e862faf890d17581';

  it('matches the known vector', () => {
    expect(canonicalJson(FIXED)).toBe(CANONICAL);
    expect(contentHash(FIXED)).toBe(SHA256_OF_CANONICAL);
  });

  it('does not depend on key order', () => {
    const reversed = Object.fromEntries(
      Object.entries(FIXED)
        .reverse()
        .map(([k, v]) => [
          k,
          v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
        ]),
    );
    expect(Object.keys(reversed)[0]).toBe('extra');
    expect(contentHash(reversed as PermitRecord)).toBe(SHA256_OF_CANONICAL);
  });

  // One change per field of the record; the coverage test below fails when a field is added
  // to record.ts without a row here.
  const CHANGES: [field: string, overrides: TestRecordOverrides][] = [
    ['jurisdiction', { jurisdiction: 'aca:hcfl' }],
    ['permit_number', { permit_number: '16041-10000-23546' }],
    ['portal_status', { portal_status: 'Permit Finaled on 8/8/2018' }],
    ['status', { status: 'Permit Finaled' }],
    ['status_phase', { status_phase: 'inspections' }],
    ['permit_type', { permit_type: 'Bldg-Alter/Repair' }],
    ['permit_subtype', { permit_subtype: null }],
    ['category', { category: 'solar' }],
    ['address', { address: { zip: '90035' } }],
    ['work_description', { work_description: '200A UPGRADE' }],
    ['valuation', { valuation: 0 }],
    ['trade_valuations', { trade_valuations: [{ trade: 'electrical', amount: 4200 }] }],
    ['latitude', { latitude: 34.03 }],
    ['longitude', { longitude: -118.4 }],
    ['dates', { dates: { finaled: '2018-08-08' } }],
    [
      'inspections',
      { inspections: [{ type: 'Final', date: '2018-08-07', result: 'Permit Finaled', inspector: 'ANDREW NAVE', status: 'completed' }] },
    ],
    ['fees', { fees: [{ description: 'building_fee', amount: 0, paid: false }] }],
    ['contacts', { contacts: [] }],
    ['conditions', { conditions: [{ description: 'Zoning Plan Check', status: 'Not Cleared', date: '2026-01-05' }] }],
    ['portal_history', { portal_history: [{ status: 'Issued', date: '2016-07-07' }] }],
    ['extra', { extra: { job_number: 'X16LA10898' } }],
  ];

  it('has a change for every record field', () => {
    expect(CHANGES.map(([field]) => field).sort()).toEqual(Object.keys(PermitRecord.shape).sort());
  });

  it.each(CHANGES)('changes when %s changes', (_field, overrides) => {
    expect(contentHash(testRecord(overrides))).not.toBe(contentHash(testRecord()));
  });

  it('is stable for equal records', () => {
    expect(contentHash(testRecord())).toBe(contentHash(testRecord()));
  });
});
