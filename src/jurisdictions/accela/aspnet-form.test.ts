import { describe, expect, it } from 'vitest';
import { hasPostbackState, postbackBody, readFormFields } from './aspnet-form.ts';
import { ACCELA_FIXTURES, readAccelaFixture } from '../../testing/accela-fixtures.ts';

describe('readFormFields', () => {
  it('reads the hidden state and the search box of the CapHome form', () => {
    const fields = readFormFields(readAccelaFixture(ACCELA_FIXTURES.osceolaSearchForm));
    expect(Object.fromEntries(fields)).toEqual({
      __EVENTTARGET: '',
      __EVENTARGUMENT: '',
      __VIEWSTATE: 'placeholder-viewstate-osceola-caphome',
      __VIEWSTATEGENERATOR: 'A9414CD7',
      ACA_CS_FIELD: 'ce0ed83ca9f54fd0b342137d4880b0ca',
      ctl00$PlaceHolderMain$generalSearchForm$txtGSPermitNumber: '',
    });
  });

  it('keeps __EVENTVALIDATION, the selected option, checked boxes only, and no buttons', () => {
    // Shapes of a Dallas ACA search form (selected permit type, a submit button) plus the event validation field.
    const html = `<form id="aspnetForm">
      <input type="hidden" name="__VIEWSTATE" value="V" /><input type="hidden" name="__EVENTVALIDATION" value="E" />
      <select name="ctl00$PlaceHolderMain$generalSearchForm$ddlGSPermitType"><option value="">--Select--</option>
        <option selected="selected" value="Building/Commercial/New/NA">Commercial New</option></select>
      <input type="checkbox" name="chkOn" checked="checked" value="on" /><input type="checkbox" name="chkOff" value="on" />
      <input type="submit" name="Submit" value="Submit" /><input type="text" name="txt" disabled value="x" /></form>`;
    expect(Object.fromEntries(readFormFields(html))).toEqual({
      __VIEWSTATE: 'V',
      __EVENTVALIDATION: 'E',
      ctl00$PlaceHolderMain$generalSearchForm$ddlGSPermitType: 'Building/Commercial/New/NA',
      chkOn: 'on',
    });
  });

  it('reads nothing from a page without a form', () => {
    expect(readFormFields('<html><body>Session expired</body></html>').size).toBe(0);
  });
});

describe('hasPostbackState', () => {
  it('needs __VIEWSTATE', () => {
    expect(hasPostbackState(new Map([['__VIEWSTATE', '']]))).toBe(true);
    expect(hasPostbackState(new Map([['__EVENTVALIDATION', 'E']]))).toBe(false);
  });
});

describe('postbackBody', () => {
  it('returns every field, sets the values and names the control as __doPostBack does', () => {
    const fields = new Map([
      ['__EVENTTARGET', ''],
      ['__VIEWSTATE', 'a+b/c='],
      ['__EVENTVALIDATION', 'E'],
      ['ctl00$PlaceHolderMain$generalSearchForm$txtGSPermitNumber', ''],
    ]);
    const body = new URLSearchParams(
      postbackBody(fields, {
        eventTarget: 'ctl00$PlaceHolderMain$btnNewSearch',
        values: { ctl00$PlaceHolderMain$generalSearchForm$txtGSPermitNumber: 'A26-006405' },
      }),
    );
    expect(Object.fromEntries(body)).toEqual({
      __EVENTTARGET: 'ctl00$PlaceHolderMain$btnNewSearch',
      __VIEWSTATE: 'a+b/c=',
      __EVENTVALIDATION: 'E',
      ctl00$PlaceHolderMain$generalSearchForm$txtGSPermitNumber: 'A26-006405',
      __EVENTARGUMENT: '',
    });
  });
});
