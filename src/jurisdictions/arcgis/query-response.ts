import { z } from 'zod';
import { SpatialReference } from './geometry.ts';
import { CodedValue } from './layer-settings.ts';
import { TimeReference } from './time-reference.ts';

/**
 * A field as a query response declares it. `domain` is null, absent, a coded-value domain
 * (`{ type: 'codedValue', name, codedValues: [{ name, code }] }`) or another kind (`range`,
 * `inherited`), which carries no names to decode and is ignored.
 */
export const EsriField = z.object({
  name: z.string(),
  type: z.string(),
  alias: z.string().optional(),
  domain: z.object({ type: z.string(), codedValues: z.array(CodedValue).optional() }).nullish(),
});
export type EsriField = z.infer<typeof EsriField>;

/**
 * A `query?f=json` feature set (the "featureSet object" of the ArcGIS REST API): fields, then
 * features with their attributes and, on a layer asked `returnGeometry=true`, their geometry
 * (read by geometry.ts, never trusted here: a malformed one is a feature without a position).
 * `exceededTransferLimit` is true when more rows match than this page holds; servers leave it
 * out on the last page as often as they send false, so absent means false.
 */
export const QueryResponse = z.object({
  objectIdFieldName: z.string().optional(),
  fields: z.array(EsriField).default([]),
  features: z.array(z.object({ attributes: z.record(z.string(), z.unknown()), geometry: z.unknown().optional() })),
  geometryType: z.string().optional().catch(undefined),
  spatialReference: SpatialReference.optional().catch(undefined),
  exceededTransferLimit: z.boolean().default(false),
  // Layer properties some responses repeat; when present they describe these very values, so
  // they win over the copy in the layer settings. A malformed one is ignored, not fatal.
  dateFieldsTimeReference: TimeReference.nullish().catch(undefined),
  datesInUnknownTimezone: z.boolean().optional().catch(undefined),
});
export type QueryResponse = z.infer<typeof QueryResponse>;

/** ArcGIS reports a failed query in the body, with HTTP 200: `{"error":{"code":400,"message":"Unable to complete operation.","details":[...]}}`. */
const ErrorBody = z.object({
  error: z.object({ code: z.number(), message: z.string(), details: z.array(z.string()).optional() }),
});

export type ReadQueryResponse =
  | { ok: true; response: QueryResponse }
  | { ok: false; reason: 'service_error'; code: number; message: string }
  | { ok: false; reason: 'not_a_query_response'; message: string };

/** Reads a query response body; never throws. A service error in the body keeps its code (5xx means the server, not the query, failed). */
export function readQueryResponse(body: string): ReadQueryResponse {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'not_a_query_response', message: 'body is not JSON' };
  }
  const error = ErrorBody.safeParse(json);
  if (error.success) {
    const { code, message, details = [] } = error.data.error;
    return { ok: false, reason: 'service_error', code, message: [message, ...details].join(' ') };
  }
  const parsed = QueryResponse.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'not_a_query_response', message: parsed.error.message };
  return { ok: true, response: parsed.data };
}
