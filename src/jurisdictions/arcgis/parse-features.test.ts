import { beforeAll, describe, expect, it } from 'vitest';
import { PermitRecord } from '../../permits/record.ts';
import type { Jurisdiction } from '../jurisdiction.ts';
import { ARCGIS_FIXTURES, readArcgisFixture } from '../../testing/arcgis-fixtures.ts';
import { BELLINGHAM, ELOY, JACKSON_COUNTY } from './jurisdictions.ts';
import { layerSettings } from './layer-settings.ts';
import { parseFeatures } from './parse-features.ts';
import { QueryResponse } from './query-response.ts';

// The responses are constructed (fixtures/arcgis/PROVENANCE.md); every expected value below was
// read off the fixture by hand, with epoch milliseconds converted to the layer's local day.

function parse(jurisdiction: Jurisdiction, body: unknown): PermitRecord[] {
  const response = QueryResponse.parse(typeof body === 'string' ? JSON.parse(body) : body);
  return parseFeatures(response, { jurisdiction, layer: layerSettings(jurisdiction) });
}

function only(jurisdiction: Jurisdiction, fixture: string): PermitRecord {
  const [first] = parse(jurisdiction, readArcgisFixture(fixture));
  if (!first) throw new Error(`${fixture} has no feature`);
  return first;
}

describe('Bellingham BLD2024-0412: no status field, epoch-ms dates', () => {
  let r: PermitRecord;
  beforeAll(() => {
    r = only(BELLINGHAM, ARCGIS_FIXTURES.bellinghamPermit);
  });

  it('is a valid PermitRecord', () => expect(PermitRecord.safeParse(r).success).toBe(true));
  it('jurisdiction', () => expect(r.jurisdiction).toBe('arcgis:bellingham'));
  it('permit_number', () => expect(r.permit_number).toBe('BLD2024-0412'));
  it('portal_status (the layer has none)', () => expect(r.portal_status).toBeNull());
  it('status', () => expect(r.status).toBeNull());
  it('status_phase from the first milestone set (ISSUED; neither FINALED nor EXPIRED)', () => expect(r.status_phase).toBe('issued'));
  it('permit_type', () => expect(r.permit_type).toBe('Residential Building'));
  it('permit_subtype', () => expect(r.permit_subtype).toBe('Addition'));
  it('category', () => expect(r.category).toBe('addition'));
  it('address (no address field)', () => expect(r.address).toEqual({ street: null, city: null, state: null, zip: null }));
  it('work_description', () => expect(r.work_description).toBeNull());
  it('valuation', () => expect(r.valuation).toBeNull());
  it('dates.applied: 1707178800000 is 2024-02-06T00:20Z, 16:20 PST on Feb 5', () => expect(r.dates.applied).toBe('2024-02-05'));
  it('dates.issued: 1714633200000 is local midnight May 2', () => expect(r.dates.issued).toBe('2024-05-02'));
  it('dates.finaled (null)', () => expect(r.dates.finaled).toBeNull());
  it('dates.expires (EXPIRED not in this response)', () => expect(r.dates.expires).toBeNull());
  it('inspections, fees, contacts, conditions, history are empty', () => {
    expect([r.inspections, r.fees, r.contacts, r.conditions, r.portal_history]).toEqual([[], [], [], [], []]);
  });
  it('extra: PREFIX, and APPROVED 2024-04-23T01:30Z as its local day', () => {
    expect(r.extra).toEqual({ prefix: 'BLD', approved: '2024-04-22' });
  });
});

describe('Jackson County 439-BLD2024-00871: status category, two rows for one permit', () => {
  let records: PermitRecord[];
  let r: PermitRecord;
  beforeAll(() => {
    records = parse(JACKSON_COUNTY, readArcgisFixture(ARCGIS_FIXTURES.jacksonCountyPermit));
    r = records[0] as PermitRecord;
  });

  it('reads both rows', () => expect(records.map((x) => x.extra.map_taxlot)).toEqual(['37-2W-23DA-2200', '37-2W-23DA-2300']));
  it('is a valid PermitRecord', () => expect(PermitRecord.safeParse(r).success).toBe(true));
  it('jurisdiction', () => expect(r.jurisdiction).toBe('arcgis:jackson-county'));
  it('permit_number', () => expect(r.permit_number).toBe('439-BLD2024-00871'));
  it('portal_status is PERMITSTAT verbatim', () => expect(r.portal_status).toBe('Issued'));
  it('status', () => expect(r.status).toBe('Issued'));
  it('status_phase from PERMITSTAT "Issued"; STATUSCAT "Approved" does not override it', () => expect(r.status_phase).toBe('issued'));
  it('permit_type', () => expect(r.permit_type).toBe('Residential Accessory Structure'));
  it('permit_subtype', () => expect(r.permit_subtype).toBeNull());
  it('category (no rule matches an accessory garage)', () => expect(r.category).toBe('other'));
  it('address', () => expect(r.address).toEqual({ street: '1234 EXAMPLE RD', city: null, state: 'OR', zip: null }));
  it('work_description', () => expect(r.work_description).toBe('Detached garage 24x30, slab on grade'));
  it('valuation from ESTCOST', () => expect(r.valuation).toBe(48500));
  it('dates.applied from SUBMITDT', () => expect(r.dates.applied).toBe('2024-03-11'));
  it('dates.issued, finaled, expires (no such fields)', () =>
    expect([r.dates.issued, r.dates.finaled, r.dates.expires]).toEqual([null, null, null]));
  it('contacts', () =>
    expect(r.contacts).toEqual([
      { role: 'Applicant', name: 'CONSTRUCTED APPLICANT', company: null, license: null, license_class: null },
      { role: 'Contractor', name: null, company: 'CONSTRUCTED BUILDERS LLC', license: null, license_class: null },
    ]));
  it('extra (null CASEKEY and LINK left out)', () =>
    expect(r.extra).toEqual({ approved: '2024-04-02', status_category: 'Approved', map_taxlot: '37-2W-23DA-2200' }));
});

describe('Eloy 24117: integer permit number, date-only fields', () => {
  let r: PermitRecord;
  beforeAll(() => {
    r = only(ELOY, ARCGIS_FIXTURES.eloyPermit);
  });

  it('is a valid PermitRecord', () => expect(PermitRecord.safeParse(r).success).toBe(true));
  it('permit_number from an integer', () => expect(r.permit_number).toBe('24117'));
  it('portal_status', () => expect(r.portal_status).toBeNull());
  it('status_phase: an issue date alone, on a layer publishing no status or expiry, is unknown', () => expect(r.status_phase).toBe('unknown'));
  it('permit_type', () => expect(r.permit_type).toBeNull());
  it('category from the description', () => expect(r.category).toBe('solar'));
  it('address with the layer city', () =>
    expect(r.address).toEqual({ street: '100 CONSTRUCTED AVE', city: 'Eloy', state: 'AZ', zip: null }));
  it('work_description', () => expect(r.work_description).toBe('INSTALL 7.2 KW ROOF MOUNTED SOLAR PV SYSTEM'));
  it('dates.issued passes the date-only value through', () => expect(r.dates.issued).toBe('2024-03-14'));
  it('dates.finaled', () => expect(r.dates.finaled).toBeNull());
  it('extra (null SqFt left out)', () => expect(r.extra).toEqual({ parcel: '40112034' }));
});

describe('Bellingham changedSince pages', () => {
  it('reads every feature of both pages with its phase and category', () => {
    const rows = [ARCGIS_FIXTURES.bellinghamPage1, ARCGIS_FIXTURES.bellinghamPage2].flatMap((f) =>
      parse(BELLINGHAM, readArcgisFixture(f)).map((r) => [r.permit_number, r.status_phase, r.category, r.dates.finaled]),
    );
    expect(rows).toEqual([
      ['MEC2024-0188', 'closed', 'hvac', '2024-06-03'],
      ['BLD2024-0540', 'issued', 'alteration', null],
      ['ELE2024-0977', 'applied', 'electrical', null],
      ['BLD2024-0611', 'issued', 'alteration', null],
      ['DEM2024-0035', 'applied', 'demolition', null],
    ]);
  });
});

describe('edited copies (fixtures/arcgis/PROVENANCE.md)', () => {
  it('Bellingham BLD2024-0412 with EXPIRED set reads expired, and EXPIRED is its expiry date', () => {
    const r = only(BELLINGHAM, ARCGIS_FIXTURES.bellinghamExpired);
    expect([r.status_phase, r.dates.issued, r.dates.expires]).toEqual(['expired', '2024-05-02', '2025-05-02']);
  });

  it('Bellingham BLD2024-0412 with ISSUED and APPROVED at midnight UTC keeps their days', () => {
    const r = only(BELLINGHAM, ARCGIS_FIXTURES.bellinghamMidnightUtc);
    expect(r.dates.issued).toBe('2024-05-02');
    expect(r.extra.approved).toBe('2024-04-23');
    // APPLIED keeps its time of day (16:20 PST): an instant, read on its local day
    expect(r.dates.applied).toBe('2024-02-05');
  });

  it('Eloy 24117 with a FinalDate is closed', () => {
    const r = only(ELOY, ARCGIS_FIXTURES.eloyFinaled);
    expect([r.status_phase, r.dates.finaled]).toEqual(['closed', '2024-05-20']);
  });
});

describe('dates and the layer time reference', () => {
  const fields = [
    { name: 'OBJECTID', type: 'esriFieldTypeOID' },
    { name: 'PERMIT_NO', type: 'esriFieldTypeString' },
    { name: 'ISSUED', type: 'esriFieldTypeDate' },
  ];
  // 2024-05-02T07:00Z: midnight in Los Angeles, 23:00 on May 1 at PST without daylight saving.
  const feature = { attributes: { OBJECTID: 1, PERMIT_NO: 'BLD2024-0412', ISSUED: 1714633200000 } };

  it('honours a dateFieldsTimeReference in the response: a date at midnight in its zone keeps its day', () => {
    // 2024-05-02T05:00Z is midnight in Chicago (CDT): a date the layer stored in Central time.
    const [r] = parse(BELLINGHAM, {
      fields,
      features: [{ attributes: { ...feature.attributes, ISSUED: 1714626000000 } }],
      dateFieldsTimeReference: { timeZone: 'Central Standard Time', respectsDaylightSaving: true },
    });
    expect(r?.dates.issued).toBe('2024-05-02');
  });

  it('reads wall-clock values when the response says its dates are in an unknown time zone', () => {
    // 2024-05-01T23:30 written as if UTC: the permit's day is May 1, not April 30 in Los Angeles.
    const [r] = parse(BELLINGHAM, { fields, features: [{ attributes: { ...feature.attributes, ISSUED: 1714606200000 } }], datesInUnknownTimezone: true });
    expect(r?.dates.issued).toBe('2024-05-01');
  });

  it('falls back to the layer settings when the response reference names no zone it can read', () => {
    const [r] = parse(BELLINGHAM, { fields, features: [feature], dateFieldsTimeReference: { timeZone: 'Nowhere Standard Time' } });
    expect(r?.dates.issued).toBe('2024-05-02');
  });

  it('uses the time reference of the layer settings (Jackson County: PST without daylight saving)', () => {
    const jc = [
      { name: 'OBJECTID', type: 'esriFieldTypeOID' },
      { name: 'PERMITID', type: 'esriFieldTypeString' },
      { name: 'SUBMITDT', type: 'esriFieldTypeDate' },
    ];
    // 2024-07-01T08:00Z is midnight PST; read in Los Angeles (PDT) it is 01:00 on July 1 either way,
    // but 2024-07-01T07:00Z (midnight PDT) is 23:00 on June 30 PST and read as an instant in LA: July 1.
    const [r] = parse(JACKSON_COUNTY, { fields: jc, features: [{ attributes: { OBJECTID: 1, PERMITID: '439-X', SUBMITDT: 1719820800000 } }] });
    expect(r?.dates.applied).toBe('2024-07-01');
  });
});

describe('parseFeatures edge cases', () => {
  const fields = [
    { name: 'OBJECTID', type: 'esriFieldTypeOID' },
    { name: 'PERMITID', type: 'esriFieldTypeString' },
    {
      name: 'STATUSCAT',
      type: 'esriFieldTypeSmallInteger',
      domain: { type: 'codedValue', name: 'StatusCat', codedValues: [{ name: 'Withdrawn', code: 4 }] },
    },
    { name: 'ESTCOST', type: 'esriFieldTypeString' },
  ];

  it('decodes a coded status through the response domain before looking up the phase', () => {
    const [r] = parse(JACKSON_COUNTY, { fields, features: [{ attributes: { OBJECTID: 1, PERMITID: '439-X', STATUSCAT: 4 } }] });
    expect(r?.status).toBe('Withdrawn');
    expect(r?.status_phase).toBe('withdrawn');
  });

  it('decodes through the settings copy when the response omits the domain', () => {
    const jurisdiction = {
      ...JACKSON_COUNTY,
      settings: { ...JACKSON_COUNTY.settings, domains: { STATUSCAT: [{ name: 'Withdrawn', code: 4 }] } },
    };
    const bare = fields.map(({ name, type }) => ({ name, type }));
    const [r] = parse(jurisdiction, { fields: bare, features: [{ attributes: { OBJECTID: 1, PERMITID: '439-X', STATUSCAT: 4 } }] });
    expect([r?.status, r?.status_phase, r?.extra.undecoded_fields]).toEqual(['Withdrawn', 'withdrawn', undefined]);
  });

  it('keeps a coded value raw when no domain is known, and says so', () => {
    const jurisdiction = { ...JACKSON_COUNTY, settings: { ...JACKSON_COUNTY.settings, coded_fields: ['STATUSCAT'] } };
    const bare = fields.map(({ name, type }) => ({ name, type }));
    const [r] = parse(jurisdiction, { fields: bare, features: [{ attributes: { OBJECTID: 1, PERMITID: '439-X', STATUSCAT: 4 } }] });
    expect([r?.status, r?.status_phase, r?.extra.undecoded_fields]).toEqual(['4', 'unknown', 'STATUSCAT']);
  });

  it('says so too when the domain does not list the code', () => {
    const [r] = parse(JACKSON_COUNTY, { fields, features: [{ attributes: { OBJECTID: 1, PERMITID: '439-X', STATUSCAT: 9 } }] });
    expect([r?.status, r?.status_phase, r?.extra.undecoded_fields]).toEqual(['9', 'unknown', 'STATUSCAT']);
  });

  it('reads the phase from STATUSCAT only when PERMITSTAT is empty or unlisted', () => {
    const rows = [
      { PERMITSTAT: null, STATUSCAT: 'Denied or Expired' },
      { PERMITSTAT: 'Some County Status', STATUSCAT: 'Withdrawn' },
      { PERMITSTAT: 'Finaled', STATUSCAT: 'Approved' },
      { PERMITSTAT: 'Some County Status', STATUSCAT: 'Approved' },
    ];
    const phases = rows.map((row) => parse(JACKSON_COUNTY, { fields: [], features: [{ attributes: { PERMITID: '439-X', ...row } }] })[0]?.status_phase);
    expect(phases).toEqual(['expired', 'withdrawn', 'closed', 'unknown']);
  });

  it('reads a valuation published as text', () => {
    const [r] = parse(JACKSON_COUNTY, { fields, features: [{ attributes: { OBJECTID: 1, PERMITID: '439-X', ESTCOST: '$1,250,000' } }] });
    expect(r?.valuation).toBe(1250000);
  });

  it('gives unknown for a status the table does not list', () => {
    const [r] = parse(JACKSON_COUNTY, { fields: [], features: [{ attributes: { OBJECTID: 1, PERMITID: '439-X', STATUSCAT: 'Other' } }] });
    expect(r?.status_phase).toBe('unknown');
  });

  it('skips a feature without a permit number', () => {
    expect(parse(JACKSON_COUNTY, { fields, features: [{ attributes: { OBJECTID: 1, PERMITID: '  ' } }] })).toEqual([]);
  });
});
