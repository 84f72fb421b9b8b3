import { describe, expect, it } from 'vitest';
import { SOCRATA_FIXTURES, readSocrataFixture } from '../../testing/socrata-fixtures.ts';
import { SOCRATA_JURISDICTIONS } from './jurisdictions.ts';
import { parseSocrataResponse, readSodaRows, selectSodaRow } from './parse-response.ts';
import { socrataSettings } from './settings.ts';

const sf = SOCRATA_JURISDICTIONS.find((j) => j.slug === 'socrata:sf')!;
const chicago = SOCRATA_JURISDICTIONS.find((j) => j.slug === 'socrata:chicago')!;

describe('readSodaRows', () => {
  it('reads a row array', () => expect(readSodaRows('[{"permit_":"1"}]')).toEqual([{ permit_: '1' }]));
  it('reads the empty array SODA sends for no match', () => expect(readSodaRows(readSocrataFixture(SOCRATA_FIXTURES.noRows))).toEqual([]));
  it('rejects a SODA error object', () => expect(readSodaRows('{"error":true,"message":"No such column: permit"}')).toBeNull());
  it('rejects HTML', () => expect(readSodaRows('<html><body>maintenance</body></html>')).toBeNull());
  it('rejects an array of non-objects', () => expect(readSodaRows('["a", 1]')).toBeNull());
});

describe('selectSodaRow', () => {
  const settings = socrataSettings(sf);
  const secondary = { permit_number: '202603238106', street_name: 'Other', primary_address_flag: 'N' };
  const primary = { permit_number: '202603238106', street_name: 'California', primary_address_flag: 'Y' };

  it('prefers the primary-address row of a permit with several rows (SF)', () => {
    expect(selectSodaRow([secondary, primary], settings, '202603238106')).toBe(primary);
  });

  it('takes the first matching row when none is primary', () => {
    expect(selectSodaRow([secondary], settings, '202603238106')).toBe(secondary);
  });

  it('ignores rows of other permits', () => {
    expect(selectSodaRow([{ permit_number: '202412046167' }], settings, '202603238106')).toBeNull();
  });

  it('matches regardless of case and surrounding spaces', () => {
    const austin = SOCRATA_JURISDICTIONS.find((j) => j.slug === 'socrata:austin')!;
    const row = { permit_number: '2009-074412 EP' };
    expect(selectSodaRow([row], socrataSettings(austin), ' 2009-074412 ep ')).toBe(row);
  });
});

describe('parseSocrataResponse (what `permitwatch parse` calls)', () => {
  it('parses a saved answer without a permit number', () => {
    const result = parseSocrataResponse(readSocrataFixture(SOCRATA_FIXTURES.chicago), { jurisdiction: chicago });
    expect(result.found && result.record.permit_number).toBe('100858762');
  });

  it('is not_found for the empty array', () => {
    expect(parseSocrataResponse('[]', { jurisdiction: chicago })).toEqual({ found: false, reason: 'not_found' });
  });

  it('is not_found when the rows are another permit', () => {
    const result = parseSocrataResponse(readSocrataFixture(SOCRATA_FIXTURES.chicago), { jurisdiction: chicago, permitNumber: '100000000' });
    expect(result).toEqual({ found: false, reason: 'not_found' });
  });

  it('is not_found for a body that is not a row array', () => {
    expect(parseSocrataResponse('not json', { jurisdiction: chicago })).toEqual({ found: false, reason: 'not_found' });
  });
});
