import { performance } from 'node:perf_hooks';
import { PermitRecord } from '../../permits/record.ts';
import type { AdapterContext, AdapterLookup, Observation, PlatformAdapter } from '../adapter.ts';
import { AdapterError } from '../adapter-error.ts';
import { okResponse } from '../portal-answer.ts';
import { layerSettings, type LayerSettings } from './layer-settings.ts';
import { parseFeatures } from './parse-features.ts';
import { parseArcgisQuery, samePermitNumber } from './parse-query.ts';
import { readQueryResponse, type QueryResponse } from './query-response.ts';
import { changedSinceWhere, permitWhere, queryUrl } from './query-url.ts';

/** Rows asked for per changedSince page (capped at the layer's MaxRecordCount): small enough that one failed page costs little. */
export const CHANGED_SINCE_PAGE_SIZE = 500;
/** 200 pages of 500 is 100,000 changed rows, more than a year of permits in these places: a layer still "exceeding" after that is looping. */
export const MAX_CHANGED_SINCE_PAGES = 200;
/** ArcGIS error codes of 500 and up in a 200 body mean the server failed, not the query. */
const FIRST_SERVER_ERROR_CODE = 500;

interface FetchedPage {
  response: QueryResponse;
  url: string;
  fetch_ms: number;
}

/** GETs one query URL and reads the feature set; every portal problem becomes an AdapterError. */
async function fetchQuery(url: string, ctx: AdapterContext): Promise<FetchedPage> {
  const started = performance.now();
  const result = await ctx.http.fetch({ url, politeness: ctx.jurisdiction.politeness });
  const fetch_ms = Math.round(performance.now() - started);
  const read = readQueryResponse(okResponse(result, url, 'ArcGIS').body);
  if (read.ok) return { response: read.response, url, fetch_ms };
  // An error body with a 5xx code is the server failing; a 400 is the query (a renamed field,
  // a layer republished under another schema): retrying will not help.
  const unavailable = read.reason === 'service_error' && read.code >= FIRST_SERVER_ERROR_CODE;
  throw new AdapterError({ reason: unavailable ? 'unavailable' : 'bad_response', url, message: `ArcGIS query failed: ${read.message}` });
}

function checked(record: PermitRecord, url: string, ctx: AdapterContext): PermitRecord {
  const valid = PermitRecord.safeParse(record);
  if (!valid.success) throw new AdapterError({ reason: 'bad_response', url, message: `parsed record is invalid: ${valid.error.message}` });
  if (valid.data.status_phase === 'unknown' && valid.data.portal_status !== null) {
    ctx.log.warn(
      { status: valid.data.status, permit_number: valid.data.permit_number, jurisdiction: ctx.jurisdiction.slug },
      'arcgis: unmapped layer status',
    );
  }
  const undecoded = valid.data.extra.undecoded_fields;
  if (undecoded !== undefined) {
    ctx.log.warn(
      { undecoded_fields: undecoded, permit_number: valid.data.permit_number, jurisdiction: ctx.jurisdiction.slug },
      'arcgis: coded values kept raw, no domain names them (copy the domain into the layer settings)',
    );
  }
  return valid.data;
}

/**
 * Looks one permit up: a single query `where <permit field> = <number>`. No feature is
 * `not_found`; a number the field cannot hold (letters for an integer field) is `not_found`
 * without a request. Features that are all another permit mean the layer did not honour the
 * where clause: bad_response.
 */
async function lookup(permitNumber: string, ctx: AdapterContext): Promise<AdapterLookup> {
  const layer = layerSettings(ctx.jurisdiction);
  const where = permitWhere(layer, permitNumber);
  if (!where) return { found: false, reason: 'not_found', source_url: ctx.baseUrl };
  const page = await fetchQuery(queryUrl(ctx.baseUrl, layer, where), ctx);
  const records = parseFeatures(page.response, { jurisdiction: ctx.jurisdiction, layer });
  if (records.length === 0) return { found: false, reason: 'not_found', source_url: page.url };
  const record = records.find((r) => samePermitNumber(layer, r.permit_number, permitNumber));
  if (!record) {
    throw new AdapterError({ reason: 'bad_response', url: page.url, message: `layer answered with permit ${records[0]?.permit_number}` });
  }
  return { found: true, observation: { record: checked(record, page.url, ctx), source_url: page.url, fetch_ms: page.fetch_ms } };
}

/**
 * Every permit with a change date after `since`, page by page: `resultOffset` advances by the
 * rows actually returned (a server may cap a page below what was asked) while the response says
 * `exceededTransferLimit`. A permit published as several rows is yielded once.
 */
async function* changedSince(since: Date, ctx: AdapterContext): AsyncIterable<Observation> {
  const layer = layerSettings(ctx.jurisdiction);
  const where = changedSinceWhere(layer, since, ctx.jurisdiction.time_zone);
  const count = pageSize(layer);
  const seen = new Set<string>();
  let offset = 0;
  for (let pageNo = 0; pageNo < MAX_CHANGED_SINCE_PAGES; pageNo++) {
    const page = await fetchQuery(queryUrl(ctx.baseUrl, layer, where, { offset, count }), ctx);
    for (const record of parseFeatures(page.response, { jurisdiction: ctx.jurisdiction, layer })) {
      if (seen.has(record.permit_number)) continue;
      seen.add(record.permit_number);
      yield { record: checked(record, page.url, ctx), source_url: page.url, fetch_ms: page.fetch_ms };
    }
    const rows = page.response.features.length;
    if (!page.response.exceededTransferLimit || rows === 0) return;
    offset += rows;
  }
  ctx.log.warn({ jurisdiction: ctx.jurisdiction.slug, pages: MAX_CHANGED_SINCE_PAGES }, 'arcgis: changedSince stopped at the page limit');
}

/** The rows asked for per page: never more than the layer serves in one response. */
export function pageSize(layer: LayerSettings): number {
  return Math.min(CHANGED_SINCE_PAGE_SIZE, layer.max_record_count);
}

/**
 * ArcGIS feature and map service layers. Version 1: attribute queries as in fixtures/arcgis/.
 * Version 2 (issue 20): dates per field and time reference, status before category, milestone
 * phases only where the layer documents them, undecoded codes reported. Version 3 (issue 18):
 * a point layer's positions, asked for in WGS 84 (geometry.ts).
 */
export const arcgis: PlatformAdapter = {
  platform: 'arcgis',
  version: '3',
  lookup,
  parse: (body, input) => parseArcgisQuery(body, input),
  changedSince,
};
