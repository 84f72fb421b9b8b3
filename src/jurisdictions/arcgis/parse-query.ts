import type { PermitRecord } from '../../permits/record.ts';
import type { ParseResult } from '../adapter.ts';
import type { Jurisdiction } from '../jurisdiction.ts';
import { layerSettings, type LayerSettings } from './layer-settings.ts';
import { parseFeatures } from './parse-features.ts';
import { readQueryResponse } from './query-response.ts';

/** Whether two permit numbers name the same permit on this layer: numerically for an integer field, else ignoring case and outer space. */
export function samePermitNumber(layer: LayerSettings, a: string, b: string): boolean {
  if (layer.permit_number_field.type === 'integer') return Number(a.trim()) === Number(b.trim());
  return a.trim().toUpperCase() === b.trim().toUpperCase();
}

/**
 * Parses a saved `query?f=json` response body of the jurisdiction's layer. With `permitNumber`,
 * the feature for that permit; without, the first feature. An empty feature set, a body that is
 * not a query response, or an ArcGIS error body is `not_found`: a saved body alone cannot tell a
 * portal failure from an absent permit (lookup tells them apart, see adapter.ts).
 */
export function parseArcgisQuery(body: string, input: { jurisdiction: Jurisdiction; permitNumber?: string }): ParseResult {
  const read = readQueryResponse(body);
  if (!read.ok) return { found: false, reason: 'not_found' };
  const layer = layerSettings(input.jurisdiction);
  const records = parseFeatures(read.response, { jurisdiction: input.jurisdiction, layer });
  const record = pick(records, layer, input.permitNumber);
  return record ? { found: true, record } : { found: false, reason: 'not_found' };
}

function pick(records: PermitRecord[], layer: LayerSettings, permitNumber: string | undefined): PermitRecord | undefined {
  if (permitNumber === undefined) return records[0];
  return records.find((r) => samePermitNumber(layer, r.permit_number, permitNumber));
}
