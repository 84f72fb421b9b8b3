import { describe, expect, it } from 'vitest';
import { ARCGIS_FIXTURES, readArcgisFixture } from '../../testing/arcgis-fixtures.ts';
import { readQueryResponse } from './query-response.ts';

describe('readQueryResponse', () => {
  it('reads a feature set with exceededTransferLimit true', () => {
    const read = readQueryResponse(readArcgisFixture(ARCGIS_FIXTURES.bellinghamPage1));
    expect(read.ok && read.response.exceededTransferLimit).toBe(true);
    expect(read.ok && read.response.features.length).toBe(3);
  });

  it('takes an absent exceededTransferLimit as false (MapServer lookups leave it out)', () => {
    const read = readQueryResponse(readArcgisFixture(ARCGIS_FIXTURES.bellinghamPermit));
    expect(read.ok && read.response.exceededTransferLimit).toBe(false);
  });

  it('reads the error ArcGIS sends with HTTP 200, details included', () => {
    // Wording as measured against a live layer (an unknown field in the where clause), quoted in
    // a public adapter's comments (find_string id 67106567043, see PROVENANCE.md).
    const body = '{"error":{"code":400,"message":"Unable to complete operation.","details":["Unable to perform query operation."]}}';
    expect(readQueryResponse(body)).toEqual({
      ok: false,
      reason: 'service_error',
      code: 400,
      message: 'Unable to complete operation. Unable to perform query operation.',
    });
  });

  it.each(['<html>Service Unavailable</html>', '{"count":0}', '[]'])('rejects %j as not a query response', (body) => {
    expect(readQueryResponse(body)).toMatchObject({ ok: false, reason: 'not_a_query_response' });
  });
});
