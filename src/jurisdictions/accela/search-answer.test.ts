import { describe, expect, it } from 'vitest';
import { ACCELA_FIXTURES, readAccelaFixture } from '../../testing/accela-fixtures.ts';
import { readSearchAnswer } from './search-answer.ts';

const ok = (body: string) => ({ status: 200, headers: {}, body });
const list = readAccelaFixture(ACCELA_FIXTURES.osceolaResults);

describe('readSearchAnswer', () => {
  it('follows a 302 to CapDetail', () => {
    const location =
      '/CitizenAccess/Cap/CapDetail.aspx?Module=Building&TabName=Building&capID1=REC26&capID2=00000&capID3=00U4X&agencyCode=OSCEOLA&IsToShowInspection=';
    expect(readSearchAnswer({ status: 302, headers: { location }, body: '' }, 'A26-006408')).toEqual({
      kind: 'record',
      capId: { capID1: 'REC26', capID2: '00000', capID3: '00U4X' },
      via: 'redirect',
    });
  });

  it('picks the list row whose number equals the one asked for, not its neighbours (real grid rows)', () => {
    expect(readSearchAnswer(ok(list), 'A26-006405')).toEqual({
      kind: 'record',
      capId: { capID1: 'REC26', capID2: '00000', capID3: '00U45' },
      via: 'list',
    });
    expect(readSearchAnswer(ok(list), 'a26-006406 ')).toMatchObject({ capId: { capID3: '00U4G' } });
  });

  it('a number absent from a paged list is no answer: it may be on another page (real caption "Showing 1-10 of 100+")', () => {
    expect(readSearchAnswer(ok(list), 'A26-00640')).toMatchObject({ kind: 'unexpected', message: expect.stringMatching(/another page/) });
  });

  // The derived list keeps four of its page's rows; its caption edited (in the test) to count just those.
  const whole = list.replace('Showing 1-10 of 100+', 'Showing 1-4 of 4');

  it('a number only contained in the numbers of a whole list is not_in_list', () => {
    expect(whole).not.toBe(list);
    expect(readSearchAnswer(ok(whole), 'A26-00640')).toEqual({ kind: 'not_found', why: 'not_in_list' });
  });

  it('a list with fewer rows than its caption counts was cut: no answer', () => {
    expect(readSearchAnswer(ok(list.replace('Showing 1-10 of 100+', 'Showing 1-5 of 5')), 'A26-00640')).toMatchObject({
      kind: 'unexpected',
      message: expect.stringMatching(/shows 4 rows of the 5/),
    });
  });

  it('a list without its count is no answer', () => {
    expect(readSearchAnswer(ok(list.replace('Showing 1-10 of 100+', '')), 'A26-00640').kind).toBe('unexpected');
  });

  it('a listed temporary application without a detail page is no_detail_page', () => {
    expect(readSearchAnswer(ok(list), 'OSCTEMP26-35056')).toEqual({ kind: 'not_found', why: 'no_detail_page' });
  });

  it('"returned no results" is no_results', () => {
    expect(readSearchAnswer(ok(readAccelaFixture(ACCELA_FIXTURES.osceolaNoResults)), 'A26-000000')).toEqual({
      kind: 'not_found',
      why: 'no_results',
    });
  });

  it('reads the same answers out of an async delta', () => {
    const panel = list;
    const delta = `1|#||4|${panel.length}|updatePanel|ctl00_PlaceHolderMain_updatePanel2|${panel}|`;
    expect(readSearchAnswer(ok(delta), 'A26-006405')).toMatchObject({ kind: 'record', via: 'list' });
    const target = '%2fHCFL%2fCap%2fCapDetail.aspx%3fcapID1%3d26CAP%26capID2%3d00000%26capID3%3d02829';
    const redirect = `1|#||4|${target.length}|pageRedirect||${target}|`;
    expect(readSearchAnswer(ok(redirect), 'X')).toMatchObject({ kind: 'record', capId: { capID3: '02829' }, via: 'redirect' });
  });

  it('a redirect elsewhere, an error status or an unknown page is unexpected', () => {
    expect(readSearchAnswer({ status: 302, headers: { location: '/DALLASTX/Error.aspx?ErrorId=abc' }, body: '' }, 'X').kind).toBe(
      'unexpected',
    );
    expect(readSearchAnswer({ status: 403, headers: {}, body: 'Forbidden' }, 'X').kind).toBe('unexpected');
    expect(readSearchAnswer(ok(readAccelaFixture(ACCELA_FIXTURES.osceolaSearchForm)), 'X').kind).toBe('unexpected');
  });
});
