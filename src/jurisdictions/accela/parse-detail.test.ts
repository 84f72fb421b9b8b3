import { beforeAll, describe, expect, it } from 'vitest';
import { PermitRecord } from '../../permits/record.ts';
import { ACCELA_DAMAGED_FIXTURES, ACCELA_FIXTURES, readAccelaFixture } from '../../testing/accela-fixtures.ts';
import { ACCELA_JURISDICTIONS } from './jurisdictions.ts';
import { parseAcaDetail } from './parse-detail.ts';

// Every expected value below was read off the capture by hand (fixtures/accela/, see PROVENANCE.md).

function jurisdiction(slug: string) {
  const j = ACCELA_JURISDICTIONS.find((x) => x.slug === slug);
  if (!j) throw new Error(`no ${slug}`);
  return j;
}

function parsePage(name: string, slug: string): PermitRecord {
  const result = parseAcaDetail(readAccelaFixture(name), { jurisdiction: jurisdiction(slug) });
  if (!result.found) throw new Error(`${name} parsed as not found`);
  return result.record;
}

describe('HCFL HC-BTR-26-0338191: plumbing trade permit, Complete (real capture, excerpt)', () => {
  let r: PermitRecord;
  beforeAll(() => {
    r = parsePage(ACCELA_FIXTURES.hcflComplete, 'aca:hcfl');
  });

  it('is a valid PermitRecord', () => expect(PermitRecord.safeParse(r).success).toBe(true));
  it('jurisdiction', () => expect(r.jurisdiction).toBe('aca:hcfl'));
  it('permit_number (lblPermitNumber)', () => expect(r.permit_number).toBe('HC-BTR-26-0338191'));
  it('portal_status (lblRecordStatus)', () => expect(r.portal_status).toBe('Complete'));
  it('status', () => expect(r.status).toBe('Complete'));
  it('status_phase', () => expect(r.status_phase).toBe('closed'));
  it('permit_type (lblPermitType)', () => expect(r.permit_type).toBe('Residential Plumbing Trade Permit'));
  it('permit_subtype', () => expect(r.permit_subtype).toBeNull());
  it('category', () => expect(r.category).toBe('plumbing'));
  it('address (work location, primary "*" dropped)', () =>
    expect(r.address).toEqual({ street: '2147 Golden Oak Ln', city: 'Valrico', state: 'FL', zip: '33594' }));
  it('work_description (Project Description)', () =>
    expect(r.work_description).toBe('Remove and install new Backflow Preventers - 1 Inch Double Check Valve Backflow Preventer'));
  it('valuation (ASI Total Project Value)', () => expect(r.valuation).toBe(2063));
  it('dates.applied (not on the page)', () => expect(r.dates.applied).toBeNull());
  it('dates.issued (Issuance marked Issued)', () => expect(r.dates.issued).toBe('2026-09-16'));
  it('dates.finaled (last Complete mark)', () => expect(r.dates.finaled).toBe('2026-09-17'));
  it('dates.expires (lblExpirtionDate)', () => expect(r.dates.expires).toBe('2027-03-22'));
  it('inspections (tab not captured)', () => expect(r.inspections).toEqual([]));
  it('fees (tab not captured)', () => expect(r.fees).toEqual([]));
  it('contacts: applicant, licensed professional, owner', () =>
    expect(r.contacts).toEqual([
      { role: 'Applicant', name: 'KEVIN WELLS', company: 'FIX IT TODAY PLUMBING', license: null, license_class: null },
      { role: 'Licensed Professional', name: 'KEVIN WELLS', company: 'FIX IT TODAY PLUMBING/KEVIN WELLS', license: 'CFC055692', license_class: null },
      { role: 'Owner', name: 'Patrick Andrew And Sarah Dunning', company: null, license: null, license_class: null },
    ]));
  it('conditions', () => expect(r.conditions).toEqual([]));
  it('portal_history (Processing Status tasks)', () =>
    expect(r.portal_history).toEqual([
      { status: 'Issuance: Issued', date: '2026-09-16' },
      { status: 'Inspection: Complete', date: '2026-09-17' },
      { status: 'Closure: Complete', date: '2026-09-17' },
    ]));
  it('extra: folio (parcel), licence type, ASI answers', () =>
    expect(r.extra).toEqual({
      parcel: '086453.1238',
      parcel_label: 'Folio Number',
      license_type: 'Certified Plumbing',
      'asi.Permit Type New': 'Backflow Preventor - new or replacement',
      'asi.Total Project Value': '2063',
      'asi.Number of Units': '1',
      'asi.Storm Related': 'No',
    }));
});

describe('Osceola A26-006405: roofing permit, Issued (real capture, excerpt)', () => {
  let r: PermitRecord;
  beforeAll(() => {
    r = parsePage(ACCELA_FIXTURES.osceolaIssued, 'aca:osceola');
  });

  it('is a valid PermitRecord', () => expect(PermitRecord.safeParse(r).success).toBe(true));
  it('permit_number', () => expect(r.permit_number).toBe('A26-006405'));
  it('portal_status', () => expect(r.portal_status).toBe('Issued'));
  it('status_phase', () => expect(r.status_phase).toBe('issued'));
  it('permit_type', () => expect(r.permit_type).toBe('Roofing Permit'));
  it('category', () => expect(r.category).toBe('roofing'));
  it('address (this portal shows no work location)', () => expect(r.address).toEqual({ street: null, city: null, state: null, zip: null }));
  it('work_description (the project-name line kept out)', () =>
    expect(r.work_description).toBe('Tear off and replace asphalt shingles on SFR REROOF Manufacturer: Owens Corning, FL# or NOA# 10674.1'));
  it('extra: project name (record type and a person\'s name, Osceola\'s first Project Description line)', () =>
    expect(r.extra['project_name']).toBe('RES - Roofing Katisha Grant'));
  it('valuation (ASI Construction Value 22599.00)', () => expect(r.valuation).toBe(22599));
  it('dates (no workflow, no expiration on the page)', () =>
    expect(r.dates).toEqual({ applied: null, issued: null, finaled: null, expires: null }));
  it('contacts: licensed professional, e-mail and phone dropped', () =>
    expect(r.contacts).toEqual([
      { role: 'Licensed Professional', name: 'KEITH BATTERBEE', company: 'BATTERBEE ROOFING, INC', license: 'CCC1326176', license_class: null },
    ]));
  it('conditions (with the date of their status line)', () =>
    expect(r.conditions).toEqual([{ description: 'NOC', status: 'Applied', date: '2026-09-04' }]));
  it('portal_history', () => expect(r.portal_history).toEqual([]));
  it('extra: parcel', () => expect(r.extra['parcel']).toBe('252628610005220080'));
  it('extra: licence type', () => expect(r.extra['license_type']).toBe('ROOFING CONTRACTOR'));
  it('extra: ASI label with its own colon ("Permit for::") keyed without any', () => {
    expect(r.extra['asi.Permit for']).toBe('Residential');
    expect(Object.keys(r.extra).filter((k) => k.endsWith(':'))).toEqual([]);
  });
  it('extra: ASI manufacturer', () => expect(r.extra['asi.Manufacturer']).toBe('Owens Corning'));
});

describe('Osceola A26-006408: roofing application, Application Submitted (real capture, excerpt)', () => {
  let r: PermitRecord;
  beforeAll(() => {
    r = parsePage(ACCELA_FIXTURES.osceolaSubmitted, 'aca:osceola');
  });

  it('is a valid PermitRecord', () => expect(PermitRecord.safeParse(r).success).toBe(true));
  it('permit_number', () => expect(r.permit_number).toBe('A26-006408'));
  it('portal_status', () => expect(r.portal_status).toBe('Application Submitted'));
  it('status_phase', () => expect(r.status_phase).toBe('applied'));
  it('work_description (entity decoded, line breaks collapsed)', () =>
    expect(r.work_description).toMatch(/^Remove existing roofing materials down to deck\. Inspect roof/));
  it('extra: project name (entity decoded)', () => expect(r.extra['project_name']).toBe('<15K RES - Roofing Hickerson'));
  it('valuation', () => expect(r.valuation).toBe(12500));
  it('contacts: licensed professional without a phone table', () =>
    expect(r.contacts).toEqual([
      { role: 'Licensed Professional', name: 'LEONARDO JR ABALLE', company: 'RHINO ROOFING ORLANDO LLC', license: 'CCC1336971', license_class: null },
    ]));
  it('conditions, met ones included', () =>
    expect(r.conditions).toEqual([
      { description: 'NOC', status: 'Applied', date: '2026-09-04' },
      { description: 'FYI', status: 'Condition Met', date: '2024-11-27' },
      { description: 'Substantial Damage', status: 'Condition Met', date: '2024-12-02' },
    ]));
  it('extra: parcel with a letter', () => expect(r.extra['parcel']).toBe('3125290000015A0000'));
  it('extra: ASI FL#', () => expect(r.extra['asi.FL# or NOA#']).toBe('FL21350-R5'));
});

describe('pages that are not a whole CapDetail page are bad_response, never a record nor not_found', () => {
  const osceola = jurisdiction('aca:osceola');
  const hcfl = jurisdiction('aca:hcfl');
  const parse = (html: string, j = hcfl) => parseAcaDetail(html, { jurisdiction: j });
  const refused = (html: string, j: ReturnType<typeof jurisdiction>, message: RegExp) => {
    const result = parse(html, j);
    expect(result).toMatchObject({ found: false, reason: 'bad_response' });
    expect(!result.found && result.reason === 'bad_response' && result.message).toMatch(message);
  };

  it.each([
    ['the search form', readAccelaFixture(ACCELA_FIXTURES.osceolaSearchForm)],
    ['a result list', readAccelaFixture(ACCELA_FIXTURES.osceolaResults)],
    ['an empty body', ''],
  ])('%s', (_name, html) => refused(html, osceola, /not a CapDetail page/));

  // The damaged fixtures (fixtures/accela/PROVENANCE.md, "Damaged pages"), each one edit of a real excerpt.
  it.each([
    // issue 20: "an Accela page cut after the header is stored as closed with no address"
    ['cut after the record header', ACCELA_DAMAGED_FIXTURES.osceolaCutAfterHeader, /Record Details/],
    // every part read before the cut looks whole: only the missing end of the page tells
    ['cut inside the ASI list', ACCELA_DAMAGED_FIXTURES.osceolaCutInAsi, /closing <\/html>/],
    ['without its record status', ACCELA_DAMAGED_FIXTURES.osceolaNoRecordStatus, /record status/],
    ['a block heading wrapped in a <div>', ACCELA_DAMAGED_FIXTURES.osceolaHeadingInDiv, /"Project Description" is not followed by its content/],
    ['an ASI label without its value', ACCELA_DAMAGED_FIXTURES.osceolaAsiValueMissing, /ASI label "Manufacturer"/],
    ['a condition status line without its date', ACCELA_DAMAGED_FIXTURES.osceolaConditionWithoutDate, /condition "NOC": status line "Applied \| Notice"/],
  ])('Osceola A26-006408 %s (edited copy)', (_what, name, message) => refused(readAccelaFixture(name), osceola, message));

  it.each([
    // Two-column ASI: the value of the next label must not move up into this one ("2063").
    ['an ASI label without its value', ACCELA_DAMAGED_FIXTURES.hcflAsiValueMissing, /ASI label "Permit Type New"/],
    // Without the check the "Inspection: Complete" mark would silently drop out of the history.
    ['a workflow task without its detail row', ACCELA_DAMAGED_FIXTURES.hcflWorkflowRowWithoutDetail, /workflow task "Inspection" without its detail row/],
  ])('HCFL HC-BTR-26-0338191 %s (edited copy)', (_what, name, message) => refused(readAccelaFixture(name), hcfl, message));

  it.each([
    ['cut inside its hidden form fields, before the end of the page', (h: string) => h.slice(0, h.indexOf('name="ACA_CS_FIELD"')), /closing <\/html>/],
    ['cut before the Record Details panel', (h: string) => h.slice(0, h.indexOf('<div id="divPermitDetailInfo"')), /Record Details/],
    ['a workflow mark that does not read as a mark', (h: string) => h.replace('>09/16/2026</span> by', '>soon</span> by'), /workflow mark/],
  ])('HCFL %s (edited in the test)', (_what, edit, message) => {
    const html = edit(readAccelaFixture(ACCELA_FIXTURES.hcflComplete));
    expect(html).not.toBe(readAccelaFixture(ACCELA_FIXTURES.hcflComplete));
    refused(html, hcfl, message);
  });

  it('an Osceola condition whose date is not a date (edited in the test)', () => {
    const html = readAccelaFixture(ACCELA_FIXTURES.osceolaIssued).replace('Applied | Notice | 09/04/2026', 'Applied | Notice | soon');
    refused(html, osceola, /NOC/);
  });
});
