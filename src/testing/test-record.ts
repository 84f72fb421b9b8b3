import { PermitRecord, type Address } from '../permits/record.ts';

/** Overrides for testRecord: top-level fields replace, `address` and `dates` merge field by field. */
export type TestRecordOverrides = Partial<Omit<PermitRecord, 'address' | 'dates'>> & {
  address?: Partial<Address>;
  dates?: Partial<PermitRecord['dates']>;
};

/**
 * Test-only builder. The defaults are the facts of a real LADBS permit in its issued state
 * (portal-samples/ladbs/pcis-permit-detail-16041-10000-23545-finaled-with-inspections.html,
 * before its final), so a test states only what it is about. The result is parsed with the
 * PermitRecord schema: a test cannot build a record an adapter could not return.
 */
export function testRecord(overrides: TestRecordOverrides = {}): PermitRecord {
  const { address, dates, ...fields } = overrides;
  return PermitRecord.parse({
    jurisdiction: 'ladbs',
    permit_number: '16041-10000-23545',
    portal_status: 'Issued on 7/6/2016',
    status: 'Issued on 7/6/2016',
    status_phase: 'issued',
    permit_type: 'Electrical',
    permit_subtype: '1 or 2 Family Dwelling',
    category: 'electrical',
    work_description: '200A UPGRADE.',
    valuation: null,
    latitude: null,
    longitude: null,
    inspections: [],
    fees: [],
    contacts: [{ role: 'Contractor', name: null, company: 'Kelley Joel Electric', license: '917355', license_class: 'C10' }],
    conditions: [],
    portal_history: [{ status: 'Issued', date: '2016-07-06' }],
    extra: {},
    ...fields,
    address: { street: '3030 S MIDVALE AVE', city: null, state: null, zip: '90034', ...address },
    dates: { applied: null, issued: '2016-07-06', finaled: null, expires: null, ...dates },
  });
}
