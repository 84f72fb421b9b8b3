import { describe, expect, it } from 'vitest';
import { SOCRATA_JURISDICTIONS } from './jurisdictions.ts';
import { socrataSettings } from './settings.ts';
import { LOOKUP_ROW_LIMIT, changedSinceUrl, changedSinceWhere, lookupUrl, lookupWhere, soqlString } from './soql.ts';

function entry(slug: string) {
  const j = SOCRATA_JURISDICTIONS.find((x) => x.slug === slug);
  if (!j) throw new Error(`no jurisdiction ${slug}`);
  return { j, s: socrataSettings(j) };
}
const chicago = entry('socrata:chicago');
const sf = entry('socrata:sf');
const la = entry('socrata:la');
const austin = entry('socrata:austin');

describe('soqlString', () => {
  it('quotes a value', () => expect(soqlString('100858762')).toBe("'100858762'"));
  it("doubles a single quote inside (O'Brien)", () => expect(soqlString("O'Brien")).toBe("'O''Brien'"));
  it('doubles every quote, so a value cannot close the literal', () => expect(soqlString("x' OR '1'='1")).toBe("'x'' OR ''1''=''1'"));
});

describe('lookupWhere', () => {
  it('compares the permit column of each dataset', () => {
    expect(lookupWhere(chicago.s, '100858762')).toBe("permit_='100858762'");
    expect(lookupWhere(sf.s, '202603238106')).toBe("permit_number='202603238106'");
    expect(lookupWhere(la.s, '22010-20000-03007')).toBe("permit_nbr='22010-20000-03007'");
    expect(lookupWhere(austin.s, ' 2009-074412 EP ')).toBe("permit_number='2009-074412 EP'");
  });
});

describe('lookupUrl', () => {
  it('builds the real SODA resource URL with an encoded $where (quotes as %27) and a $limit', () => {
    expect(lookupUrl(chicago.j.base_url, chicago.s, '100858762')).toBe(
      `https://data.cityofchicago.org/resource/ydr8-5enu.json?$where=permit_%3D%27100858762%27&$limit=${LOOKUP_ROW_LIMIT}`,
    );
  });

  it('encodes the space of an Austin number', () => {
    expect(lookupUrl(austin.j.base_url, austin.s, '2009-074412 EP')).toBe(
      `https://data.austintexas.gov/resource/3syk-w9eu.json?$where=permit_number%3D%272009-074412%20EP%27&$limit=${LOOKUP_ROW_LIMIT}`,
    );
  });

  it('keeps the real path and query after an override base, with a trailing slash or a path prefix', () => {
    expect(lookupUrl('http://127.0.0.1:4321/', sf.s, '202603238106')).toBe(
      `http://127.0.0.1:4321/resource/i98e-djp9.json?$where=permit_number%3D%27202603238106%27&$limit=${LOOKUP_ROW_LIMIT}`,
    );
    expect(lookupUrl('http://127.0.0.1:4321/soda', sf.s, '1')).toMatch(/^http:\/\/127\.0\.0\.1:4321\/soda\/resource\/i98e-djp9\.json\?/);
  });

  it('decodes back to the exact SoQL, quotes doubled', () => {
    const url = new URL(lookupUrl(chicago.j.base_url, chicago.s, "10'0"));
    expect(url.searchParams.get('$where')).toBe("permit_='10''0'");
  });
});

describe('changedSinceWhere', () => {
  it('compares a floating column with wall-clock time in the jurisdiction zone (Austin, CDT)', () => {
    expect(changedSinceWhere(austin.s, new Date('2016-04-18T05:00:00.000Z'), 'America/Chicago')).toBe(
      "statusdate > '2016-04-18T00:00:00.000'",
    );
  });

  it('uses standard time in winter (SF, PST = UTC-8)', () => {
    expect(changedSinceWhere(sf.s, new Date('2026-01-15T20:30:00.250Z'), 'America/Los_Angeles')).toBe(
      "status_date > '2026-01-15T12:30:00.250'",
    );
  });

  it('compares the fixed :updated_at with the UTC instant (Chicago)', () => {
    expect(changedSinceWhere(chicago.s, new Date('2026-03-01T06:00:00.000Z'), 'America/Chicago')).toBe(
      ":updated_at > '2026-03-01T06:00:00.000Z'",
    );
  });
});

describe('changedSinceUrl', () => {
  it('orders by :id and pages with $limit and $offset', () => {
    const url = new URL(
      changedSinceUrl(austin.j.base_url, austin.s, { since: new Date('2016-04-18T05:00:00Z'), timeZone: 'America/Chicago', offset: 2000 }),
    );
    expect(url.pathname).toBe('/resource/3syk-w9eu.json');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      $where: "statusdate > '2016-04-18T00:00:00.000'",
      $order: ':id',
      $limit: '1000',
      $offset: '2000',
    });
  });
});
