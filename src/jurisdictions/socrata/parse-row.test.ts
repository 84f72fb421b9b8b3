import { beforeAll, describe, expect, it } from 'vitest';
import { PermitRecord } from '../../permits/record.ts';
import type { Jurisdiction } from '../jurisdiction.ts';
import { SOCRATA_FIXTURES, readSocrataFixture } from '../../testing/socrata-fixtures.ts';
import { SOCRATA_JURISDICTIONS } from './jurisdictions.ts';
import { parseSocrataRow } from './parse-row.ts';
import { readSodaRows } from './parse-response.ts';
import { socrataSettings } from './settings.ts';

// Every expected value below was read off the fixture rows by hand (fixtures/socrata/, see PROVENANCE.md).

function jurisdiction(slug: string): Jurisdiction {
  const j = SOCRATA_JURISDICTIONS.find((x) => x.slug === slug);
  if (!j) throw new Error(`no jurisdiction ${slug}`);
  return j;
}

function parseFixture(slug: string, name: string): PermitRecord {
  const j = jurisdiction(slug);
  const [row] = readSodaRows(readSocrataFixture(name)) ?? [];
  const record = row ? parseSocrataRow(row, j, socrataSettings(j)) : null;
  if (!record) throw new Error(`${name} gave no record`);
  return record;
}

describe('Chicago ydr8-5enu 100858762: new construction, no status column (real row)', () => {
  let r: PermitRecord;
  beforeAll(() => {
    r = parseFixture('socrata:chicago', SOCRATA_FIXTURES.chicago);
  });

  it('is a valid PermitRecord', () => expect(PermitRecord.safeParse(r).success).toBe(true));
  it('jurisdiction', () => expect(r.jurisdiction).toBe('socrata:chicago'));
  it('permit_number (permit_)', () => expect(r.permit_number).toBe('100858762'));
  it('portal_status (no permit_status column)', () => expect(r.portal_status).toBeNull());
  it('status', () => expect(r.status).toBeNull());
  // An issue date says the permit was issued once, not whether it is still open: no guess.
  it('status_phase (no status, issue_date present: unknown, not issued)', () => expect(r.status_phase).toBe('unknown'));
  it('permit_type', () => expect(r.permit_type).toBe('PERMIT - NEW CONSTRUCTION'));
  it('permit_subtype (no work_type column)', () => expect(r.permit_subtype).toBeNull());
  it('category', () => expect(r.category).toBe('new_construction'));
  it('address', () => expect(r.address).toEqual({ street: '1759 S ELMHURST RD', city: 'CHICAGO', state: 'IL', zip: null }));
  it('work_description', () =>
    expect(r.work_description).toBe('NEW CONSTRUCTION FOR A 2 STORY SOLID WASTE TRANSFER STATION AS PER PLANS. M3-2'));
  it('valuation (reported_cost "14612872")', () => expect(r.valuation).toBe(14612872));
  // The quoted capture stops after latitude "41.999670854": half a position is no position.
  it('coordinates (latitude without longitude: none)', () => expect([r.latitude, r.longitude]).toEqual([null, null]));
  it('dates.applied (application_start_date)', () => expect(r.dates.applied).toBe('2020-03-10'));
  it('dates.issued', () => expect(r.dates.issued).toBe('2020-08-24'));
  it('dates.finaled', () => expect(r.dates.finaled).toBeNull());
  it('dates.expires', () => expect(r.dates.expires).toBeNull());
  it('fees (zero columns left out)', () =>
    expect(r.fees).toEqual([
      { description: 'Building fee', amount: 13960.44, paid: true },
      { description: 'Zoning fee', amount: 75, paid: true },
    ]));
  it('contacts (ten numbered slots, in order; firms as the company, the architect a person)', () =>
    expect(r.contacts).toEqual([
      { role: 'OWNER OCCUPIED', name: null, company: 'GROOT INDUSTRIES, INC.', license: null, license_class: null },
      { role: 'ARCHITECT', name: 'HARRIS KELLY P', company: null, license: null, license_class: null },
      { role: 'CONTRACTOR-ELECTRICAL', name: null, company: 'CONNELLY ELECTRIC CO.', license: null, license_class: null },
      { role: 'EXPEDITOR', name: null, company: 'BURNHAM NATIONWIDE, INC.', license: null, license_class: null },
      { role: 'CONTRACTOR-GENERAL CONTRACTOR', name: null, company: 'MORGAN HARBOUR CONSTRUCTION, LLC', license: null, license_class: null },
      { role: 'MASONRY CONTRACTOR', name: null, company: 'II IN ONE CONTRACTORS, INC.', license: null, license_class: null },
      { role: 'MASONRY CONTRACTOR', name: null, company: 'ROSEMONT MASONRY CORP.', license: null, license_class: null },
      { role: 'CONTRACTOR-PLUMBER/PLUMBING', name: null, company: 'MVP PLUMBING CORP', license: null, license_class: null },
      { role: 'CONTRACTOR-REFRIGERATION', name: null, company: 'SUN MECHANICAL SYSTEMS, INC', license: null, license_class: null },
      { role: 'CONTRACTOR-VENTILATION', name: null, company: 'SUN MECHANICAL SYSTEMS, INC', license: null, license_class: null },
    ]));
  it('no trade_valuations (the dataset has no breakdown)', () => expect('trade_valuations' in r).toBe(false));
  it('inspections, conditions, portal_history (not in the dataset)', () => {
    expect(r.inspections).toEqual([]);
    expect(r.conditions).toEqual([]);
    expect(r.portal_history).toEqual([]);
  });
  it('extra', () =>
    expect(r.extra).toEqual({
      row_id: '3100486',
      review_type: 'STANDARD PLAN REVIEW',
      processing_time_days: '167',
      total_fee: '14035.44',
      pin: '08-36-300-130-0000',
      community_area: '76',
      ward: '41',
    }));
});

describe('SF i98e-djp9 202603238106: office alteration, issued (real row)', () => {
  let r: PermitRecord;
  beforeAll(() => {
    r = parseFixture('socrata:sf', SOCRATA_FIXTURES.sf);
  });

  it('is a valid PermitRecord', () => expect(PermitRecord.safeParse(r).success).toBe(true));
  it('jurisdiction', () => expect(r.jurisdiction).toBe('socrata:sf'));
  it('permit_number', () => expect(r.permit_number).toBe('202603238106'));
  it('portal_status', () => expect(r.portal_status).toBe('issued'));
  it('status', () => expect(r.status).toBe('issued'));
  it('status_phase', () => expect(r.status_phase).toBe('issued'));
  it('permit_type (permit_type_definition)', () => expect(r.permit_type).toBe('otc alterations permit'));
  it('permit_subtype', () => expect(r.permit_subtype).toBeNull());
  it('category', () => expect(r.category).toBe('alteration'));
  it('address (unit "0" left out)', () =>
    expect(r.address).toEqual({ street: '555 California St', city: 'San Francisco', state: 'CA', zip: '94104' }));
  it('work_description', () =>
    expect(r.work_description).toBe(
      '31/fl- remodel (e) office space, propsed ti work entails (n) non bearing partitiosn, millwork, ceiling system with (n) lighting, power and communication fixtures and furniture systems. floor and wall finishes',
    ));
  it('valuation (revised_cost "8285917.0")', () => expect(r.valuation).toBe(8285917));
  it('coordinates (location Point [-122.403518141, 37.792579585], longitude first)', () =>
    expect([r.latitude, r.longitude]).toEqual([37.792579585, -122.403518141]));
  it('dates.applied (filed_date 2026-03-23T14:30:55.000)', () => expect(r.dates.applied).toBe('2026-03-23'));
  it('dates.issued (issued_date 2026-04-10T15:03:06.000)', () => expect(r.dates.issued).toBe('2026-04-10'));
  it('dates.finaled (no completed_date)', () => expect(r.dates.finaled).toBeNull());
  it('dates.expires', () => expect(r.dates.expires).toBeNull());
  it('fees', () => expect(r.fees).toEqual([]));
  it('contacts (in another dataset)', () => expect(r.contacts).toEqual([]));
  it('extra', () =>
    expect(r.extra).toEqual({
      permit_type_code: '8',
      status_date: '2026-04-10T15:03:06.000',
      approved_date: '2026-04-10T15:03:06.000',
      block: '0259',
      lot: '026',
      existing_use: 'office',
      proposed_use: 'office',
      neighborhood: 'Financial District/South Beach',
      supervisor_district: '3',
      record_id: '1745632298587',
    }));
});

describe('LA gwh9-jnip 22010-20000-03007: new apartments, CofO issued (sample row)', () => {
  let r: PermitRecord;
  beforeAll(() => {
    r = parseFixture('socrata:la', SOCRATA_FIXTURES.la);
  });

  it('is a valid PermitRecord', () => expect(PermitRecord.safeParse(r).success).toBe(true));
  it('jurisdiction', () => expect(r.jurisdiction).toBe('socrata:la'));
  it('permit_number (permit_nbr)', () => expect(r.permit_number).toBe('22010-20000-03007'));
  it('portal_status (status_desc)', () => expect(r.portal_status).toBe('CofO Issued'));
  it('status', () => expect(r.status).toBe('CofO Issued'));
  it('status_phase (LADBS vocabulary)', () => expect(r.status_phase).toBe('closed'));
  it('coordinates (the dataset maps none)', () => expect([r.latitude, r.longitude]).toEqual([null, null]));
  it('permit_type', () => expect(r.permit_type).toBe('Bldg-New'));
  it('permit_subtype', () => expect(r.permit_subtype).toBe('Apartment'));
  it('category', () => expect(r.category).toBe('new_construction'));
  it('address', () => expect(r.address).toEqual({ street: '9421 N SEPULVEDA BLVD 1-5', city: 'LOS ANGELES', state: 'CA', zip: '91343' }));
  it('work_description (not in the sample)', () => expect(r.work_description).toBeNull());
  it('valuation', () => expect(r.valuation).toBe(455000));
  it('dates.applied (submitted_date)', () => expect(r.dates.applied).toBe('2022-04-27'));
  it('dates.issued', () => expect(r.dates.issued).toBe('2024-01-09'));
  it('dates.finaled (cofo_date)', () => expect(r.dates.finaled).toBe('2025-04-04'));
  it('dates.expires', () => expect(r.dates.expires).toBeNull());
  it('fees', () => expect(r.fees).toEqual([]));
  it('contacts', () => expect(r.contacts).toEqual([]));
  it('extra', () =>
    expect(r.extra).toEqual({
      use: 'Apartment',
      business_unit: 'Regular Plan Check',
      dwelling_units_changed: '5',
      square_footage: '7374',
    }));
});

describe('Austin 3syk-w9eu 2009-074412 EP: electrical permit, final (real row)', () => {
  let r: PermitRecord;
  beforeAll(() => {
    r = parseFixture('socrata:austin', SOCRATA_FIXTURES.austin);
  });

  it('is a valid PermitRecord', () => expect(PermitRecord.safeParse(r).success).toBe(true));
  it('jurisdiction', () => expect(r.jurisdiction).toBe('socrata:austin'));
  it('permit_number', () => expect(r.permit_number).toBe('2009-074412 EP'));
  it('portal_status (status_current)', () => expect(r.portal_status).toBe('Final'));
  it('status', () => expect(r.status).toBe('Final'));
  it('status_phase', () => expect(r.status_phase).toBe('closed'));
  it('permit_type (permit_type_desc)', () => expect(r.permit_type).toBe('Electrical Permit'));
  it('permit_subtype (work_class)', () => expect(r.permit_subtype).toBe('New'));
  it('category', () => expect(r.category).toBe('electrical'));
  it('address', () => expect(r.address).toEqual({ street: '1624 ROCKLAND DR', city: 'AUSTIN', state: 'TX', zip: '78748' }));
  it('work_description (inner double spaces kept)', () =>
    expect(r.work_description).toBe("New 2 Stry SF Condo w att'ed garage  cov'rd porch  Patio"));
  it('valuation (no total_job_valuation)', () => expect(r.valuation).toBeNull());
  it('coordinates (latitude "30.16640396", longitude "-97.82662945" columns)', () =>
    expect([r.latitude, r.longitude]).toEqual([30.16640396, -97.82662945]));
  it('dates.applied (applieddate)', () => expect(r.dates.applied).toBe('2009-07-09'));
  it('dates.issued', () => expect(r.dates.issued).toBe('2009-07-13'));
  it('dates.finaled (completed_date)', () => expect(r.dates.finaled).toBe('2009-10-05'));
  it('dates.expires (expiresdate)', () => expect(r.dates.expires).toBe('2009-10-05'));
  it('fees', () => expect(r.fees).toEqual([]));
  it('contacts (none on the row)', () => expect(r.contacts).toEqual([]));
  it('extra (link is a plain string in this row)', () =>
    expect(r.extra).toEqual({
      permit_type_code: 'EP',
      permit_class: 'C- 101 Single Family Houses',
      project_id: '10307783',
      tcad_id: '0432210501',
      link: 'https://www.austintexas.gov/devreview/b_showpublicpermitfolderdetails.jsp?FolderRSN=10307783',
      council_district: '5',
    }));
  it('trade_valuations (electrical_valuation "0": no trade reported)', () => expect(r.trade_valuations).toEqual([]));
});

describe('edited copies of the real rows (fixtures/socrata/PROVENANCE.md)', () => {
  it('Chicago 100858762 with permit_status COMPLETE is closed', () => {
    const r = parseFixture('socrata:chicago', SOCRATA_FIXTURES.chicagoComplete);
    expect([r.portal_status, r.status_phase]).toEqual(['COMPLETE', 'closed']);
  });

  it('SF 202603238106 with unit "3", unit_suffix "A" and status suspend', () => {
    const r = parseFixture('socrata:sf', SOCRATA_FIXTURES.sfUnitSuspend);
    expect(r.address).toEqual({ street: '555 California St #3A', city: 'San Francisco', state: 'CA', zip: '94104' });
    expect([r.portal_status, r.status_phase]).toEqual(['suspend', 'issued']);
  });

  it('Austin 2009-074412 EP On Hold, with trade valuations', () => {
    const r = parseFixture('socrata:austin', SOCRATA_FIXTURES.austinOnHoldTrades);
    expect([r.portal_status, r.status_phase]).toEqual(['On Hold', 'issued']);
    expect(r.trade_valuations).toEqual([
      { trade: 'electrical', amount: 4200 },
      { trade: 'mechanical', amount: 1850.5 },
    ]);
    expect(r.valuation).toBeNull();
  });
});

describe('parseSocrataRow edge cases', () => {
  const austin = jurisdiction('socrata:austin');
  const settings = socrataSettings(austin);

  it('gives null for a row without the permit column', () => {
    expect(parseSocrataRow({ status_current: 'Active' }, austin, settings)).toBeNull();
  });

  it('gives no coordinates for out-of-range, unreadable or (0, 0) columns', () => {
    const at = (latitude: string, longitude: string) => {
      const r = parseSocrataRow({ permit_number: '2026-1 BP', latitude, longitude }, austin, settings);
      return [r?.latitude, r?.longitude];
    };
    expect(at('91', '-97.8')).toEqual([null, null]);
    expect(at('30.1', '-181')).toEqual([null, null]);
    expect(at('30.1', 'n/a')).toEqual([null, null]);
    expect(at('0', '0')).toEqual([null, null]);
    expect(at('30.1', '-97.8')).toEqual([30.1, -97.8]);
  });

  it('reads contractor columns into a contact, the trade as its role', () => {
    const row = {
      permit_number: '2026-037320 DS',
      contractor_trade: 'General Contractor',
      contractor_company_name: 'Canedo Builders',
      contractor_full_name: 'Guido Macouzet',
    };
    expect(parseSocrataRow(row, austin, settings)?.contacts).toEqual([
      { role: 'General Contractor', name: 'Guido Macouzet', company: 'Canedo Builders', license: null, license_class: null },
    ]);
  });

  it('falls back to the constant city when the row has none, and reads a url object as its URL', () => {
    const row = { permit_number: '2024-128983 BP', link: { url: 'https://abc.austintexas.gov/web/permit/public-search-other?t_detail=1' } };
    const record = parseSocrataRow(row, austin, settings);
    expect(record?.address.city).toBe('AUSTIN');
    expect(record?.extra.link).toBe('https://abc.austintexas.gov/web/permit/public-search-other?t_detail=1');
  });

  it('maps an unlisted status to unknown', () => {
    expect(parseSocrataRow({ permit_number: '2026-000001 BP', status_current: 'Some New Status' }, austin, settings)?.status_phase).toBe('unknown');
  });

  it('an SF row without a status but with an issued date is unknown, not issued', () => {
    const sf = jurisdiction('socrata:sf');
    const row = { permit_number: '202603238106', issued_date: '2026-04-10T15:03:06.000' };
    expect(parseSocrataRow(row, sf, socrataSettings(sf))?.status_phase).toBe('unknown');
  });

  it('drops a unit that is only the "0" placeholder but keeps its suffix (SF)', () => {
    const sf = jurisdiction('socrata:sf');
    const row = { permit_number: '202603238106', street_number: '555', street_name: 'California', street_suffix: 'St', unit: '0', unit_suffix: 'B' };
    expect(parseSocrataRow(row, sf, socrataSettings(sf))?.address.street).toBe('555 California St #B');
  });

  it('keeps a Chicago contact with a person\'s name as the name', () => {
    const chicago = jurisdiction('socrata:chicago');
    const row = { permit_: '100858762', contact_1_type: 'OWNER', contact_1_name: 'SMITH JOHN' };
    expect(parseSocrataRow(row, chicago, socrataSettings(chicago))?.contacts).toEqual([
      { role: 'OWNER', name: 'SMITH JOHN', company: null, license: null, license_class: null },
    ]);
  });

  it('takes the estimated cost when the revised cost is "0.0" (SF)', () => {
    const sf = jurisdiction('socrata:sf');
    const row = { permit_number: '202607295760', revised_cost: '0.0', estimated_cost: '14150000.0' };
    expect(parseSocrataRow(row, sf, socrataSettings(sf))?.valuation).toBe(14150000);
  });
});
