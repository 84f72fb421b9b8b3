import { describe, expect, it } from 'vitest';
import { BELLINGHAM_CHANGED_SINCE_WHERE } from '../../../fixtures/arcgis/routes.ts';
import { BELLINGHAM, ELOY, JACKSON_COUNTY } from './jurisdictions.ts';
import { layerSettings } from './layer-settings.ts';
import { changedSinceWhere, permitWhere, queryUrl, sqlString } from './query-url.ts';

const bellingham = layerSettings(BELLINGHAM);
const eloy = layerSettings(ELOY);
const jackson = layerSettings(JACKSON_COUNTY);

describe('sqlString', () => {
  it('quotes a value', () => expect(sqlString('BLD2024-0412')).toBe("'BLD2024-0412'"));
  it("doubles single quotes, so O'Brien cannot end the literal", () =>
    expect(sqlString("O'Brien' OR 1=1 --")).toBe("'O''Brien'' OR 1=1 --'"));
});

describe('permitWhere', () => {
  it('compares a string permit field with a quoted, trimmed literal', () => {
    expect(permitWhere(bellingham, ' BLD2024-0412 ')).toBe("PERMIT_NO = 'BLD2024-0412'");
  });
  it('escapes quotes in the number', () => expect(permitWhere(jackson, "439-A'B")).toBe("PERMITID = '439-A''B'"));
  it('compares an integer permit field with a number, leading zeros dropped', () => {
    expect(permitWhere(eloy, '024117')).toBe('PermitNo = 24117');
  });
  it.each(['24117A', '1 OR 1=1', '', '12345678901'])('gives no clause for %j on an integer field', (n) => {
    expect(permitWhere(eloy, n)).toBeNull();
  });
  it('gives no clause for an empty number', () => expect(permitWhere(bellingham, '  ')).toBeNull());
});

describe('changedSinceWhere', () => {
  it('ORs a UTC TIMESTAMP comparison over every change field', () => {
    expect(changedSinceWhere(bellingham, new Date('2024-06-01T00:00:00Z'), BELLINGHAM.time_zone)).toBe(BELLINGHAM_CHANGED_SINCE_WHERE);
  });
  it("writes the instant in the layer's dateFieldsTimeReference zone (Jackson County: Pacific Standard Time, no daylight saving: UTC-8 in June too)", () => {
    expect(changedSinceWhere(jackson, new Date('2024-06-01T06:30:15.999Z'), JACKSON_COUNTY.time_zone)).toBe(
      "LASTUPDATE > TIMESTAMP '2024-05-31 22:30:15'",
    );
  });
  it('honours daylight saving when the reference respects it (UTC-7 in June)', () => {
    const dst = { ...jackson, date_fields_time_reference: { timeZone: 'Pacific Standard Time', respectsDaylightSaving: true } };
    expect(changedSinceWhere(dst, new Date('2024-06-01T06:30:15Z'), JACKSON_COUNTY.time_zone)).toBe(
      "LASTUPDATE > TIMESTAMP '2024-05-31 23:30:15'",
    );
  });
  it("writes the jurisdiction's wall clock on a layer whose dates are in an unknown time zone", () => {
    const unknown = { ...jackson, date_fields_time_reference: null, dates_in_unknown_timezone: true };
    expect(changedSinceWhere(unknown, new Date('2024-01-15T20:00:00Z'), JACKSON_COUNTY.time_zone)).toBe(
      "LASTUPDATE > TIMESTAMP '2024-01-15 12:00:00'",
    );
  });
  it('writes UTC on a layer that names no time reference', () => {
    expect(
      changedSinceWhere({ ...jackson, date_fields_time_reference: null }, new Date('2024-06-01T06:30:15Z'), JACKSON_COUNTY.time_zone),
    ).toBe("LASTUPDATE > TIMESTAMP '2024-06-01 06:30:15'");
  });
  it('reads an hour earlier in the hour before the zone falls back, so rows stored in the repeated hour are not missed', () => {
    const dst = { ...jackson, date_fields_time_reference: { timeZone: 'Pacific Standard Time', respectsDaylightSaving: true } };
    // 2024-11-03: Los Angeles goes from 01:59:59 PDT back to 01:00:00 PST at 09:00Z.
    expect(changedSinceWhere(dst, new Date('2024-11-03T08:30:00Z'), JACKSON_COUNTY.time_zone)).toBe(
      "LASTUPDATE > TIMESTAMP '2024-11-03 00:30:00'",
    );
    expect(changedSinceWhere(dst, new Date('2024-11-03T07:59:00Z'), JACKSON_COUNTY.time_zone)).toBe(
      "LASTUPDATE > TIMESTAMP '2024-11-03 00:59:00'",
    );
    expect(changedSinceWhere(dst, new Date('2024-11-03T09:30:00Z'), JACKSON_COUNTY.time_zone)).toBe(
      "LASTUPDATE > TIMESTAMP '2024-11-03 01:30:00'",
    );
    expect(changedSinceWhere(dst, new Date('2024-11-03T06:59:00Z'), JACKSON_COUNTY.time_zone)).toBe(
      "LASTUPDATE > TIMESTAMP '2024-11-02 23:59:00'",
    );
  });
  it('compares date-only fields with DATE and >= on the local day of since', () => {
    // 2024-06-01T03:00Z is still May 31 in Arizona (UTC-7, no daylight saving).
    expect(changedSinceWhere(eloy, new Date('2024-06-01T03:00:00Z'), ELOY.time_zone)).toBe(
      "DateIssued >= DATE '2024-05-31' OR FinalDate >= DATE '2024-05-31'",
    );
  });
});

describe('queryUrl', () => {
  it('builds the lookup query at the real layer path', () => {
    const url = new URL(queryUrl(BELLINGHAM.base_url, bellingham, "PERMIT_NO = 'BLD2024-0412'"));
    expect(url.origin + url.pathname).toBe('https://maps.cob.org/arcgis3/rest/services/Maps/Permits/MapServer/0/query');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      where: "PERMIT_NO = 'BLD2024-0412'",
      outFields: '*',
      returnGeometry: 'true',
      outSR: '4326',
      orderByFields: 'OBJECTID ASC',
      f: 'json',
    });
  });
  it('asks a point layer for its positions in WGS 84 and a layer without point geometry for none', () => {
    const point = new URL(queryUrl(ELOY.base_url, eloy, '1=1')).searchParams;
    expect([point.get('returnGeometry'), point.get('outSR')]).toEqual(['true', '4326']);
    const table = new URL(queryUrl(ELOY.base_url, { ...eloy, geometry: 'none' }, '1=1')).searchParams;
    expect([table.get('returnGeometry'), table.has('outSR')]).toEqual(['false', false]);
  });
  it('adds resultOffset and resultRecordCount for a page', () => {
    const url = new URL(queryUrl(ELOY.base_url, eloy, '1=1', { offset: 500, count: 500 }));
    expect(url.searchParams.get('resultOffset')).toBe('500');
    expect(url.searchParams.get('resultRecordCount')).toBe('500');
    expect(url.searchParams.get('orderByFields')).toBe('ObjectID ASC');
  });
  it('says the client reads wall-clock values only on a layer whose dates are in an unknown time zone', () => {
    const unknown = { ...jackson, date_fields_time_reference: null, dates_in_unknown_timezone: true };
    expect(new URL(queryUrl(JACKSON_COUNTY.base_url, unknown, '1=1')).searchParams.get('timeReferenceUnknownClient')).toBe('true');
    expect(new URL(queryUrl(JACKSON_COUNTY.base_url, jackson, '1=1')).searchParams.has('timeReferenceUnknownClient')).toBe(false);
  });
  it('keeps the real path and query after an override base, with or without a trailing slash or prefix', () => {
    expect(queryUrl('http://127.0.0.1:4321/', eloy, 'PermitNo = 24117')).toBe(
      'http://127.0.0.1:4321/VfOwt1fngp5cVBlk/ArcGIS/rest/services/Permits/FeatureServer/0/query?where=PermitNo+%3D+24117&outFields=*&returnGeometry=true&outSR=4326&orderByFields=ObjectID+ASC&f=json',
    );
    expect(queryUrl('http://127.0.0.1:4321/mirror', jackson, '1=1')).toMatch(
      /^http:\/\/127\.0\.0\.1:4321\/mirror\/server\/rest\/services\/Property\/Permits_Building\/FeatureServer\/1\/query\?/,
    );
  });
});
