import { describe, expect, it } from 'vitest';
import { bellinghamFeed, bellinghamFeedPermit, BELLINGHAM_SITE_CENTRAL } from '../../fixtures/arcgis/feed.ts';
import { BELLINGHAM_CHANGED_SINCE_WHERE } from '../../fixtures/arcgis/routes.ts';
import { answerArcgisQuery, type PublishedFeature } from './fixture-arcgis-feed.ts';

const feed = bellinghamFeed(10, 0, 3);
const T0 = Date.parse('2026-12-01T12:00:00Z');
/** Ten features published a minute apart from T0. */
const published: PublishedFeature[] = feed.rows.map((row, i) => ({ row, updatedAt: T0 + i * 60_000 }));
const QUERY = 'http://127.0.0.1/arcgis3/rest/services/Maps/Permits/MapServer/0/query';

function ask(params: Record<string, string>, rows = published) {
  const url = new URL(QUERY);
  for (const [k, v] of Object.entries({ outFields: '*', orderByFields: 'OBJECTID ASC', f: 'json', ...params })) url.searchParams.set(k, v);
  const answer = answerArcgisQuery(feed, rows, url);
  expect(answer.status).toBe(200);
  return JSON.parse(answer.body);
}
const numbers = (body: { features: { attributes: { PERMIT_NO: string } }[] }) => body.features.map((f) => f.attributes.PERMIT_NO);
const since = (iso: string) => ['APPLIED', 'APPROVED', 'ISSUED', 'FINALED'].map((f) => `${f} > TIMESTAMP '${iso}'`).join(' OR ');

describe('the fixture ArcGIS layer', () => {
  it('answers the change feed by the publication stamp, capped at MaxRecordCount, with exceededTransferLimit while rows remain', () => {
    // Features 6..9 were published after 12:05:00 (12:06 ... 12:09).
    const first = ask({ where: since('2026-12-01 12:05:00'), resultOffset: '0', resultRecordCount: '500' });
    expect(numbers(first)).toEqual([6, 7, 8].map(bellinghamFeedPermit));
    expect(first.exceededTransferLimit).toBe(true);
    expect(first.features[0].attributes.ISSUED).toBe(T0 + 6 * 60_000);
    const last = ask({ where: since('2026-12-01 12:05:00'), resultOffset: '3', resultRecordCount: '500' });
    expect(numbers(last)).toEqual([bellinghamFeedPermit(9)]);
    expect(last).not.toHaveProperty('exceededTransferLimit');
  });

  it('answers a lookup by the permit number, and the constructed 2024 where with no derived feature', () => {
    expect(numbers(ask({ where: `PERMIT_NO = '${bellinghamFeedPermit(4)}'` }))).toEqual([bellinghamFeedPermit(4)]);
    expect(numbers(ask({ where: "PERMIT_NO = 'BLD2024-0412'" }))).toEqual([]);
    // The stamp replaces ISSUED: features published in 2026 are after the 2024 instant.
    expect(numbers(ask({ where: BELLINGHAM_CHANGED_SINCE_WHERE }))).toHaveLength(3);
  });

  it('gives points in WGS 84 when outSR=4326 is asked, in the layer’s Web Mercator otherwise, and none with returnGeometry=false', () => {
    const wgs = ask({ where: `PERMIT_NO = '${bellinghamFeedPermit(0)}'`, returnGeometry: 'true', outSR: '4326' });
    expect(wgs.spatialReference).toEqual({ wkid: 4326, latestWkid: 4326 });
    expect(wgs.features[0].geometry).toEqual({ x: BELLINGHAM_SITE_CENTRAL.lng, y: BELLINGHAM_SITE_CENTRAL.lat });
    const native = ask({ where: `PERMIT_NO = '${bellinghamFeedPermit(0)}'`, returnGeometry: 'true' });
    expect(native.spatialReference).toEqual({ wkid: 102100, latestWkid: 3857 });
    expect(native.features[0].geometry.x).toBeCloseTo(-13_634_400, -3);
    expect(native.features[0].geometry.y).toBeCloseTo(6_230_000, -4);
    expect(ask({ where: `PERMIT_NO = '${bellinghamFeedPermit(0)}'`, returnGeometry: 'false' }).features[0]).not.toHaveProperty('geometry');
    // The fifth feature has no shape.
    expect(
      ask({ where: `PERMIT_NO = '${bellinghamFeedPermit(4)}'`, returnGeometry: 'true', outSR: '4326' }).features[0],
    ).not.toHaveProperty('geometry');
  });

  it('refuses any other query as ArcGIS does: HTTP 200 with an error body', () => {
    const refused: Record<string, string>[] = [
      { where: '1=1' },
      { where: "PERMIT_NO LIKE 'BLD%'" },
      { where: since('2026-12-01 12:05:00'), outFields: 'PERMIT_NO' },
      { where: since('2026-12-01 12:05:00'), orderByFields: 'PERMIT_NO ASC' },
      { where: since('2026-12-01 12:05:00'), outSR: '2285' },
      { where: since('2026-12-01 12:05:00'), resultOffset: '-1' },
      { where: since('2026-12-01 12:05:00'), f: 'pjson' },
    ];
    for (const params of refused) {
      expect(ask(params)).toMatchObject({ error: { code: 400, message: 'Unable to complete operation.' } });
    }
  });
});
