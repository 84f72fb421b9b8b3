import { beforeAll, describe, expect, it } from 'vitest';
import { PermitRecord } from '../../permits/record.ts';
import { LADBS_DAMAGED_FIXTURES, LADBS_FIXTURES, readLadbsFixture } from '../../testing/ladbs-fixtures.ts';
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
      { role: 'Contractor', name: null, company: 'Kelley Joel Electric', license: '917355', license_class: 'C10' },
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
      { description: 'Zoning Plan Check', status: 'Not Cleared', date: '2026-01-05' },
      { description: 'Specific Plan', status: 'Not Cleared', date: '2026-01-22' },
      { description: 'GPI Written Notices', status: 'Not Cleared', date: '2026-01-29' },
      { description: 'Grading Pre-Inspection', status: 'Cleared', date: '2026-02-03' },
      { description: 'Specific Plan', status: 'Cleared', date: '2026-02-10' },
      { description: 'Address approval', status: 'Cleared', date: '2026-02-19' },
      { description: 'Roof/Waste drainage to street', status: 'Cleared', date: '2026-02-19' },
      { description: 'Eng Process Fee Ord 176,300', status: 'Cleared', date: '2026-02-24' },
      { description: 'Sewer availability', status: 'Cleared', date: '2026-02-24' },
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
  it('category: from the Grading type, not the "addition" its description names', () => expect(r.category).toBe('other'));
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

describe('the one page that says the permit does not exist', () => {
  it('the detail-page shell without permit content is not_found (derived, PROVENANCE.md)', () => {
    const result = parseLadbsDetail(readLadbsFixture(LADBS_FIXTURES.notFoundShell), { jurisdiction: LADBS_JURISDICTION });
    expect(result).toEqual({ found: false, reason: 'not_found' });
  });
});

describe('pages that are not a whole detail page are bad_response, never a permit nor not_found', () => {
  const parse = (html: string) => parseLadbsDetail(html, { jurisdiction: LADBS_JURISDICTION });
  const finaled = () => readLadbsFixture(LADBS_FIXTURES.finaled);
  const refused = (html: string, message: RegExp) => {
    const result = parse(html);
    expect(result).toMatchObject({ found: false, reason: 'bad_response' });
    expect(!result.found && result.reason === 'bad_response' && result.message).toMatch(message);
  };

  it.each([
    ['cut inside the status-history table', LADBS_DAMAGED_FIXTURES.cutInHistory, /footer/],
    ['without its Current Status', LADBS_DAMAGED_FIXTURES.noCurrentStatus, /Current Status/],
    ['an inspection row with one more cell', LADBS_DAMAGED_FIXTURES.extraInspectionCell, /5 cells, expected 4/],
    ['a header row written in <td>', LADBS_DAMAGED_FIXTURES.headerRowInTd, /column title/],
    ['a section heading wrapped in a <div>', LADBS_DAMAGED_FIXTURES.headingInDiv, /Inspection Request History.*not followed by its table/],
  ])('16041 %s (edited copy)', (_what, name, message) => refused(readLadbsFixture(name), message));

  it('the Online Services search form (a real page of the same site, not a detail page)', () =>
    refused(readLadbsFixture(LADBS_FIXTURES.searchForm), /not a detail page/));

  it('an empty body', () => refused('', /not a detail page/));

  it.each([
    ['a page cut anywhere before its footer', (h: string) => h.slice(0, h.indexOf('<footer'))],
    ['a blank permit value', (h: string) => h.replace('16041-10000-23545', '')],
    ['an empty Current Status', (h: string) => h.replace(/Permit Finaled\s*<span>\s*on 8\/8\/2018\s*<\/span>/, '')],
    ['no permit list', (h: string) => h.replace('<dl class="dl-horizontal', '<dl class="dl-gone')],
    ['a section missing', (h: string) => h.replace('Inspector Information', 'Something Else')],
    ['a history row with a time for a date', (h: string) => h.replace(/<td>\s*7\/6\/2016\s*<\/td>/, '<td>10:30 AM</td>')],
    ['a history row with one cell less', (h: string) => h.replace(/<td>\s*LADBS\s*<\/td>/, '')],
    ['a contact row with one more cell', (h: string) => h.replace(/(<td>\s*Contractor\s*<\/td>)/, '$1<td>extra</td>')],
    ['a contacts title row in <td>', (h: string) => h.replace(/(<td>\s*Contractor\s*<\/td>)/, '<td>Role</td><td>Name</td><td>Address</td></tr><tr>$1')],
    ['a clearance row whose date is text', (h: string) => h.replace(/<td colspan="4">\s*No Data Available\.\s*<\/td>/, '<td>Zoning</td><td>Cleared</td><td>soon</td><td>X</td>')],
    ['a pending row wider than the table', (h: string) => h.replace(/(Pending Inspections[\s\S]*?)<td colspan="4">\s*No Data Available\.\s*<\/td>/, '$1<td>Final</td><td>a</td><td>b</td><td>c</td><td>d</td>')],
    ['a pending title row', (h: string) => h.replace(/(Pending Inspections[\s\S]*?)<td colspan="4">\s*No Data Available\.\s*<\/td>/, '$1<td>Inspection</td><td>Date</td>')],
    ['a nested table adding cells to a row', (h: string) => h.replace(/(<td>\s*Final\s*<\/td>)/, '$1<td><table><tr><td>x</td></tr></table></td>')],
  ])('16041 with %s', (_what, edit) => {
    const html = edit(finaled());
    expect(html).not.toBe(finaled());
    expect(parse(html)).toMatchObject({ found: false, reason: 'bad_response' });
  });

  it.each([
    '\u0000\u0001<<<>>>&&&;;',
    '<dl class="dl-horizontal"><dt>Application / Permit</dt><dd>not a permit</dd></dl>',
    '{"id1":"16041"}',
    '<html><body><table><tr><td>16041-10000-23545</td></tr></table>',
    'x'.repeat(100_000),
  ])('garbage %#: bad_response, no exception', (html) => {
    expect(parse(html)).toMatchObject({ found: false, reason: 'bad_response' });
  });
});
