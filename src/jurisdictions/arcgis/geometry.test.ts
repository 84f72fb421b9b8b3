import { describe, expect, it } from 'vitest';
import { BELLINGHAM } from './jurisdictions.ts';
import { layerSettings } from './layer-settings.ts';
import { parseFeatures } from './parse-features.ts';
import { pointCoordinates } from './geometry.ts';
import { QueryResponse } from './query-response.ts';

// No permit layer's query response with geometry was captured (fixtures/arcgis/PROVENANCE.md).
// The feature sets below are REAL responses of other point layers, copied from public code:
// - PHOENIX: the header of a production answer of the Phoenix fire-incidents layer asked
//   outSR=4326 (`productionSuccessResponse`, abusedmindset/phoenix-feed internal/.../phxfire
//   test, find_string id 63354643476), with the point of that file's incident F26198635.
// - NSW: the header of a New South Wales Valuation MapServer/5 answer without outSR, in the
//   layer's own Web Mercator (find_string id 71242710301), with the first point of another real
//   answer in that reference (a feature set quoted in a reverse-geocoding script, find_string id
//   27349080406).
// - Empty points are the "Geometry objects" page's own examples (resources.arcgis.com/en/help/sds/rest/geometry.html).
const PHOENIX_HEADER = { geometryType: 'esriGeometryPoint', spatialReference: { wkid: 4326, latestWkid: 4326 } };
const PHOENIX_POINT = { x: -111.84006, y: 33.40284 };
const NSW_HEADER = { geometryType: 'esriGeometryPoint', spatialReference: { wkid: 102100, latestWkid: 3857 } };
const NSW_POINT = { x: -10363697.878799999, y: 5615645.7650000006 };

describe('pointCoordinates', () => {
  it('reads x as longitude and y as latitude in a WGS 84 answer', () => {
    expect(pointCoordinates(PHOENIX_HEADER, PHOENIX_POINT)).toEqual({ latitude: 33.40284, longitude: -111.84006 });
  });

  it("takes the feature's own spatial reference over the feature set's", () => {
    expect(pointCoordinates({ geometryType: 'esriGeometryPoint' }, { ...PHOENIX_POINT, spatialReference: { wkid: 4326 } })).toEqual({
      latitude: 33.40284,
      longitude: -111.84006,
    });
    expect(pointCoordinates(PHOENIX_HEADER, { ...PHOENIX_POINT, spatialReference: { wkid: 102100 } })).toEqual({
      latitude: null,
      longitude: null,
    });
  });

  it('gives no position for an answer not in WGS 84 (a server that ignored outSR), or in no declared reference', () => {
    expect(pointCoordinates(NSW_HEADER, NSW_POINT)).toEqual({ latitude: null, longitude: null });
    // Metres that happen to fall inside ±90/±180 would still be a wrong point: the reference decides, not the range.
    expect(pointCoordinates(NSW_HEADER, { x: 12.5, y: 41.9 })).toEqual({ latitude: null, longitude: null });
    expect(pointCoordinates({ geometryType: 'esriGeometryPoint' }, PHOENIX_POINT)).toEqual({ latitude: null, longitude: null });
    expect(pointCoordinates({ spatialReference: { wkt: 'GEOGCS["GCS_WGS_1984"]' } as never }, PHOENIX_POINT)).toEqual({
      latitude: null,
      longitude: null,
    });
  });

  it('gives no position for an empty point, a damaged one, another geometry type, or (0, 0)', () => {
    const none = { latitude: null, longitude: null };
    expect(pointCoordinates(PHOENIX_HEADER, { x: null, spatialReference: { wkid: 4326 } })).toEqual(none);
    expect(pointCoordinates(PHOENIX_HEADER, { x: 'NaN', y: 22.2, spatialReference: { wkid: 4326 } })).toEqual(none);
    expect(pointCoordinates(PHOENIX_HEADER, { x: '-111.84006', y: '33.40284' })).toEqual(none);
    expect(pointCoordinates(PHOENIX_HEADER, { x: -111.84006 })).toEqual(none);
    expect(pointCoordinates(PHOENIX_HEADER, { x: -211.84006, y: 33.40284 })).toEqual(none);
    expect(pointCoordinates(PHOENIX_HEADER, { x: -111.84006, y: 93.40284 })).toEqual(none);
    expect(pointCoordinates(PHOENIX_HEADER, { x: 0, y: 0 })).toEqual(none);
    expect(pointCoordinates(PHOENIX_HEADER, { x: -111.8, y: 33.4, spatialReference: 'WGS84' })).toEqual(none);
    expect(pointCoordinates(PHOENIX_HEADER, null)).toEqual(none);
    expect(pointCoordinates(PHOENIX_HEADER, [-111.84006, 33.40284])).toEqual(none);
    expect(pointCoordinates({ ...PHOENIX_HEADER, geometryType: 'esriGeometryPolygon' }, { rings: [[[-111.8, 33.4]]] })).toEqual(none);
  });
});

describe('a point layer’s records', () => {
  const layer = layerSettings(BELLINGHAM);
  // Bellingham's real field list (fixtures/arcgis) under the real Phoenix header and point above.
  const feature = (geometry: unknown) => ({ attributes: { OBJECTID: 1, PERMIT_NO: 'BLD2024-0412', ISSUED: 1714633200000 }, geometry });
  const parse = (header: object, geometry: unknown) =>
    parseFeatures(QueryResponse.parse({ ...header, fields: [], features: [feature(geometry)] }), { jurisdiction: BELLINGHAM, layer })[0]!;

  it('carry the WGS 84 position of their geometry', () => {
    expect(parse(PHOENIX_HEADER, PHOENIX_POINT)).toMatchObject({ latitude: 33.40284, longitude: -111.84006 });
  });

  it('keep every other fact when the geometry is damaged or not in WGS 84: only the position is null', () => {
    for (const [header, geometry] of [
      [NSW_HEADER, NSW_POINT],
      [PHOENIX_HEADER, { x: 'NaN', y: 22.2 }],
      [PHOENIX_HEADER, undefined],
    ] as const) {
      expect(parse(header, geometry)).toMatchObject({
        permit_number: 'BLD2024-0412',
        dates: { issued: '2024-05-02' },
        latitude: null,
        longitude: null,
      });
    }
  });

  it('a malformed header reference is no reference: the record is kept without a position', () => {
    expect(parse({ geometryType: 'esriGeometryPoint', spatialReference: 'EPSG:4326' }, PHOENIX_POINT)).toMatchObject({
      latitude: null,
      longitude: null,
    });
  });

  it('a layer not set as a point layer reads no position even when a geometry comes', () => {
    const records = parseFeatures(QueryResponse.parse({ ...PHOENIX_HEADER, fields: [], features: [feature(PHOENIX_POINT)] }), {
      jurisdiction: BELLINGHAM,
      layer: { ...layer, geometry: 'none' },
    });
    expect(records[0]).toMatchObject({ latitude: null, longitude: null });
  });
});
