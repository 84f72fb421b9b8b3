import { beforeAll, describe, expect, it } from 'vitest';
import { PermitRecord } from '../../permits/record.ts';
import { LADBS_FIXTURES, readLadbsFixture } from '../../testing/ladbs-fixtures.ts';
import { LADBS_JURISDICTION } from './jurisdiction.ts';
import { parseLadbsDetail } from './parse-detail.ts';

// Every expected value below was read off the page by hand (fixtures/ladbs/, see PROVENANCE.md).

function parsePage(name: string): PermitRecord {
  const result = parseLadbsDetail(readLadbsFixture(name), { jurisdiction: LADBS_JURISDICTION });
  if (!result.found) throw new Error(`${name} parsed as not found`);
  return result.record;
}

const MIDVALE = { street: '3030 S MIDVALE AVE', city: 'LOS ANGELES', state: 'CA', zip: '90034' };

describe('16041-10000-23545: electrical permit, finaled, with inspections (real capture)', () => {
  let r: PermitRecord;
  beforeAll(() => {
    r = parsePage(LADBS_FIXTURES.finaled);
  });

  it('is a valid PermitRecord', () => expect(PermitRecord.safeParse(r).success).toBe(true));
  it('jurisdiction', () => expect(r.jurisdiction).toBe('ladbs'));
  it('permit_number', () => expect(r.permit_number).toBe('16041-10000-23545'));
  it('portal_status', () => expect(r.portal_status).toBe('Permit Finaled on 8/8/2018'));
  it('status', () => expect(r.status).toBe('Permit Finaled on 8/8/2018'));
  it('status_phase', () => expect(r.status_phase).toBe('closed'));
  it('permit_type', () => expect(r.permit_type).toBe('Electrical'));
  it('permit_subtype', () => expect(r.permit_subtype).toBe('1 or 2 Family Dwelling'));
  it('category', () => expect(r.category).toBe('electrical'));
  it('address', () => expect(r.address).toEqual(MIDVALE));
  it('work_description (trailing padding dropped)', () => expect(r.work_description).toBe('200A UPGRADE.'));
  it('valuation', () => expect(r.valuation).toBeNull());
  it('dates.applied (no Submitted row)', () => expect(r.dates.applied).toBeNull());
  it('dates.issued', () => expect(r.dates.issued).toBe('2016-07-06'));
  it('dates.finaled (Current Status date, not the 8/7 history row)', () => expect(r.dates.finaled).toBe('2018-08-08'));
  it('dates.expires', () => expect(r.dates.expires).toBeNull());
  it('inspections', () =>
    expect(r.inspections).toEqual([
      { type: 'Final', date: '2018-08-07', result: 'Permit Finaled', inspector: 'ANDREW NAVE', status: 'completed' },
      { type: 'Service/Power Release', date: '2018-08-07', result: 'Approved', inspector: 'ANDREW NAVE', status: 'completed' },
    ]));
  it('fees', () => expect(r.fees).toEqual([]));
  it('contacts', () =>
    expect(r.contacts).toEqual([
      { role: 'Contractor', name: null, company: 'Kelley Joel Electric', license: '917355-C10', license_class: null },
      { role: 'Inspector', name: 'ARAM AVEDISIAN', company: null, license: null, license_class: null },
    ]));
  it('conditions', () => expect(r.conditions).toEqual([]));
  it('portal_history', () =>
    expect(r.portal_history).toEqual([
      { status: 'Issued', date: '2016-07-06' },
      { status: 'Permit Finaled', date: '2018-08-07' },
    ]));
  it('extra', () =>
    expect(r.extra).toEqual({
      job_number: 'X16LA10898',
      group: 'Electrical',
      issuing_office: 'Metro',
      inspector_phone: '(310) 914-3896',
    }));
});

describe('26014-10000-00017: addition in plan check with corrections (real capture)', () => {
  let r: PermitRecord;
  beforeAll(() => {
    r = parsePage(LADBS_FIXTURES.corrections);
  });

  it('is a valid PermitRecord', () => expect(PermitRecord.safeParse(r).success).toBe(true));
  it('permit_number', () => expect(r.permit_number).toBe('26014-10000-00017'));
  it('portal_status', () => expect(r.portal_status).toBe('Quality Review Completed on 2/12/2026'));
  it('status', () => expect(r.status).toBe('Quality Review Completed on 2/12/2026'));
  it('status_phase', () => expect(r.status_phase).toBe('in_review'));
  it('permit_type', () => expect(r.permit_type).toBe('Bldg-Addition'));
  it('permit_subtype', () => expect(r.permit_subtype).toBe('1 or 2 Family Dwelling'));
  it('category', () => expect(r.category).toBe('addition'));
  it('address', () => expect(r.address).toEqual(MIDVALE));
  it('work_description', () =>
    expect(r.work_description).toBe(
      'EPLAN. TWO STORY ADDITION TO EXISTING SINGLE FAMILY DWELLING TO ENLARGE AND MODIFY THE EXISTING MAIN HOUSE. ' +
        'PROJECT INCLUDES THE CONSTRUCTION OF A FULLY COMPLIANT ATTACHED ACCESSORY DWELLING UNIT (ADU) PER GC .66323(D)(2).',
    ));
  it('valuation', () => expect(r.valuation).toBeNull());
  it('dates.applied (the Submitted row)', () => expect(r.dates.applied).toBe('2026-01-05'));
  it('dates.issued (Permit Issued "No")', () => expect(r.dates.issued).toBeNull());
  it('dates.finaled', () => expect(r.dates.finaled).toBeNull());
  it('dates.expires', () => expect(r.dates.expires).toBeNull());
  it('inspections', () => expect(r.inspections).toEqual([]));
  it('fees', () => expect(r.fees).toEqual([]));
  it('contacts', () => expect(r.contacts).toEqual([]));
  it('conditions (every clearance row, duplicates kept)', () =>
    expect(r.conditions).toEqual([
      { description: 'Zoning Plan Check', status: 'Not Cleared', date: null },
      { description: 'Specific Plan', status: 'Not Cleared', date: null },
      { description: 'GPI Written Notices', status: 'Not Cleared', date: null },
      { description: 'Grading Pre-Inspection', status: 'Cleared', date: null },
      { description: 'Specific Plan', status: 'Cleared', date: null },
      { description: 'Address approval', status: 'Cleared', date: null },
      { description: 'Roof/Waste drainage to street', status: 'Cleared', date: null },
      { description: 'Eng Process Fee Ord 176,300', status: 'Cleared', date: null },
      { description: 'Sewer availability', status: 'Cleared', date: null },
    ]));
  it('portal_history', () =>
    expect(r.portal_history).toEqual([
      { status: 'Submitted', date: '2026-01-05' },
      { status: 'Assigned to Zoning Architect', date: '2026-01-09' },
      { status: 'Assigned to Plan Check Engineer', date: '2026-01-15' },
      { status: 'Corrections Issued', date: '2026-01-26' },
      { status: 'Quality Review Completed', date: '2026-02-12' },
    ]));
  it('extra (the empty "()" Primary Use left out)', () => expect(r.extra).toEqual({ job_number: 'B25LA55287', group: 'Building' }));
});

describe('26030-10000-01235: grading pre-inspection, completed (real capture)', () => {
  let r: PermitRecord;
  beforeAll(() => {
    r = parsePage(LADBS_FIXTURES.preInspection);
  });

  it('is a valid PermitRecord', () => expect(PermitRecord.safeParse(r).success).toBe(true));
  it('permit_number', () => expect(r.permit_number).toBe('26030-10000-01235'));
  it('portal_status (no <span> around the date on this page)', () => expect(r.portal_status).toBe('Completed on 03/06/2026'));
  it('status_phase', () => expect(r.status_phase).toBe('closed'));
  it('permit_type', () => expect(r.permit_type).toBe('Grading'));
  it('work_description (leading space dropped)', () =>
    expect(r.work_description).toBe('GPI Written Notices for the addition to the existing single-family dwelling.'));
  it('dates', () => expect(r.dates).toEqual({ applied: null, issued: null, finaled: '2026-03-06', expires: null }));
  it('portal_history', () => expect(r.portal_history).toEqual([]));
  it('contacts (inspector only)', () =>
    expect(r.contacts).toEqual([{ role: 'Inspector', name: 'JOHNNY MIRANDA', company: null, license: null, license_class: null }]));
  it('extra (the pre-inspection notice kept)', () =>
    expect(r.extra).toEqual({
      job_number: 'B26LA06469',
      group: 'Building',
      notice: 'Pre - Inspection only, not a permit for construction',
      inspector_phone: '(310) 914-3937',
    }));
});

describe('26014-10000-00017 derived v2: issued', () => {
  let r: PermitRecord;
  beforeAll(() => {
    r = parsePage(LADBS_FIXTURES.derivedIssued);
  });

  it('is a valid PermitRecord', () => expect(PermitRecord.safeParse(r).success).toBe(true));
  it('portal_status', () => expect(r.portal_status).toBe('Issued on 3/10/2026'));
  it('status_phase', () => expect(r.status_phase).toBe('issued'));
  it('dates', () => expect(r.dates).toEqual({ applied: '2026-01-05', issued: '2026-03-10', finaled: null, expires: null }));
  it('portal_history gains the Issued row', () => expect(r.portal_history.at(-1)).toEqual({ status: 'Issued', date: '2026-03-10' }));
  it('portal_history length', () => expect(r.portal_history).toHaveLength(6));
  it('conditions all Cleared', () => expect(new Set(r.conditions.map((c) => c.status))).toEqual(new Set(['Cleared'])));
  it('inspections', () => expect(r.inspections).toEqual([]));
});

describe('26014-10000-00017 derived v3: foundation inspection passed', () => {
  let r: PermitRecord;
  beforeAll(() => {
    r = parsePage(LADBS_FIXTURES.derivedInspected);
  });

  it('is a valid PermitRecord', () => expect(PermitRecord.safeParse(r).success).toBe(true));
  it('portal_status (PCIS keeps "Issued" while inspections run)', () => expect(r.portal_status).toBe('Issued on 3/10/2026'));
  it('status_phase', () => expect(r.status_phase).toBe('inspections'));
  it('inspections', () =>
    expect(r.inspections).toEqual([
      { type: 'Foundation', date: '2026-04-02', result: 'Approved', inspector: 'JOHNNY MIRANDA', status: 'completed' },
    ]));
  it('contacts', () => expect(r.contacts).toEqual([{ role: 'Inspector', name: 'JOHNNY MIRANDA', company: null, license: null, license_class: null }]));
  it('extra', () => expect(r.extra).toEqual({ job_number: 'B25LA55287', group: 'Building', inspector_phone: '(310) 914-3937' }));
});

describe('Pending Inspections rows', () => {
  // No capture has a filled Pending Inspections table. To exercise the defensive reading, the
  // 16041 page is edited in memory: its Inspection Request History rows are copied into the
  // (empty) Pending Inspections table. This tests our reading, not PCIS's real pending markup.
  it('reads a row with a date as scheduled', () => {
    const html = readLadbsFixture(LADBS_FIXTURES.finaled);
    const [pending, history] = [...html.matchAll(/<tbody>[\s\S]*?<\/tbody>/g)].slice(-2) as [RegExpExecArray, RegExpExecArray];
    const edited = html.slice(0, pending.index) + history[0] + html.slice(pending.index + pending[0].length);
    const result = parseLadbsDetail(edited, { jurisdiction: LADBS_JURISDICTION });
    expect(result.found && result.record.inspections.filter((i) => i.status !== 'completed')).toEqual([
      { type: 'Final', date: '2018-08-07', result: null, inspector: null, status: 'scheduled' },
      { type: 'Service/Power Release', date: '2018-08-07', result: null, inspector: null, status: 'scheduled' },
    ]);
  });
});

describe('pages without a permit', () => {
  const parse = (html: string) => parseLadbsDetail(html, { jurisdiction: LADBS_JURISDICTION });

  it('the Online Services search form is not_found', () => {
    expect(parse(readLadbsFixture(LADBS_FIXTURES.searchForm))).toEqual({ found: false, reason: 'not_found' });
  });

  it('an empty body is not_found', () => {
    expect(parse('')).toEqual({ found: false, reason: 'not_found' });
  });

  it('a detail page whose permit value is blank is not_found', () => {
    const html = readLadbsFixture(LADBS_FIXTURES.finaled).replace('16041-10000-23545', '');
    expect(parse(html)).toEqual({ found: false, reason: 'not_found' });
  });

  it.each([
    '\u0000\u0001<<<>>>&&&;;',
    '<dl class="dl-horizontal"><dt>Application / Permit</dt><dd>not a permit</dd></dl>',
    '{"id1":"16041"}',
    '<html><body><table><tr><td>16041-10000-23545</td></tr></table>',
    'x'.repeat(100_000),
  ])('garbage %#: not_found, no exception', (html) => {
    expect(parse(html)).toEqual({ found: false, reason: 'not_found' });
  });
});
