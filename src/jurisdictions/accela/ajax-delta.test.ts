import { describe, expect, it } from 'vitest';
import { isAjaxDelta, readAjaxDelta } from './ajax-delta.ts';

const seg = (type: string, id: string, content: string) => `${content.length}|${type}|${id}|${content}|`;

describe('readAjaxDelta', () => {
  it('reads the pageRedirect a Tampa ACA search answered with (verbatim from a public client test)', () => {
    const body =
      '1|#||4|144|pageRedirect||%2fTAMPA%2fCap%2fCapDetail.aspx%3fModule%3dBuilding%26TabName%3dBuilding%26capID1%3d26CAP%26capID2%3d00000%26capID3%3d003RL%26agencyCode%3dTAMPA|';
    expect(isAjaxDelta(body)).toBe(true);
    expect(readAjaxDelta(body).redirect).toBe(
      '/TAMPA/Cap/CapDetail.aspx?Module=Building&TabName=Building&capID1=26CAP&capID2=00000&capID3=003RL&agencyCode=TAMPA',
    );
  });

  it('reads panels by id, content with pipes included, and errors', () => {
    const body = `1|#||4|${seg('updatePanel', 'ctl00_PlaceHolderMain_updatePanel2', '<b>a|b</b>')}${seg('hiddenField', '__VIEWSTATE', 'V')}${seg('error', '500', 'boom')}`;
    const delta = readAjaxDelta(body);
    expect(delta.panels.get('ctl00_PlaceHolderMain_updatePanel2')).toBe('<b>a|b</b>');
    expect(delta.error).toBe('500: boom');
    expect(delta.redirect).toBeNull();
  });

  it('tells HTML from a delta', () => {
    expect(isAjaxDelta('<html></html>')).toBe(false);
  });
});
