import { z } from '@hono/zod-openapi';
import { STATUS_PHASES } from '../permits/record.ts';
import { booleanQuery } from './boolean-query.ts';

/** Response schemas shared by several routes; each also names its OpenAPI component. */
export const ErrorBody = z
  .object({
    error: z.string().openapi({ example: 'permit_not_found' }),
    message: z.string(),
  })
  .passthrough()
  .openapi('Error');

export const DataFreshness = z
  .object({
    age_seconds: z.number().int(),
    cached: z.boolean(),
    refresh_available: z.boolean(),
  })
  .openapi('DataFreshness');

export const PermitStatus = z
  .object({
    permit_number: z.string().openapi({ example: '16041-10000-23545' }),
    jurisdiction: z.string().openapi({ example: 'ladbs' }),
    jurisdiction_display: z.string(),
    status: z.string().nullable(),
    portal_status: z.string().nullable(),
    status_phase: z.enum(STATUS_PHASES),
    permit_type: z.string().nullable(),
    category: z.string(),
    address: z.string().nullable().openapi({ description: 'One-line address as the reference API shows it' }),
    work_description: z.string().nullable(),
    source: z.enum(['cached', 'live']),
    last_synced_at: z.string().nullable(),
    last_changed_at: z.string(),
    first_seen_at: z.string(),
    version: z.number().int(),
    source_url: z.string(),
    data_freshness: DataFreshness,
    stale_reason: z.string().optional().openapi({ description: 'Present when the portal failed and cached data was served' }),
  })
  .openapi('PermitStatus');

export const PermitParams = z.object({
  permit_number: z
    .string()
    .min(1)
    .openapi({ param: { name: 'permit_number', in: 'path' }, example: '16041-10000-23545' }),
});

export const LookupQuery = z.object({
  jurisdiction: z.string().min(1).max(100).optional().openapi({ example: 'ladbs' }),
  force_refresh: booleanQuery('Bypass the 4-hour cache (paid plans)').optional(),
});

/** The quota headers of every metered response (reference: Rate Limits, "Response Headers"). */
export const RATE_LIMIT_HEADERS = {
  'X-RateLimit-Limit': {
    description: "The plan's monthly credits (anonymous demo: the rolling 24-hour cap)",
    schema: { type: 'integer' as const },
  },
  'X-RateLimit-Remaining': { description: 'Credits left in this period', schema: { type: 'integer' as const } },
  'X-RateLimit-Reset': {
    description: 'When a credit next frees up: the start of next month (UTC); for the anonymous demo, when its oldest counted hour leaves the rolling 24 hours',
    schema: { type: 'string' as const, format: 'date-time' },
  },
};

const RETRY_AFTER_HEADER = {
  'Retry-After': { description: 'Seconds to wait before retrying (also in `retry_after_seconds`)', schema: { type: 'integer' as const } },
};

const errorContent = { 'application/json': { schema: ErrorBody } };

/** Every documented error response, keyed by status; routes pick the ones they can give. */
export const errorResponses = {
  300: { description: 'multiple_jurisdictions: the number matches several jurisdictions (`candidates`, `example`)', content: errorContent },
  400: { description: 'invalid_permit_number or invalid_request: bad input; the message names the field', content: errorContent },
  401: { description: 'invalid_api_key: missing (demo mode off), malformed, unknown or revoked key', content: errorContent },
  403: { description: 'insufficient_permissions, or force_refresh_not_available on the Free plan', content: errorContent },
  404: { description: 'permit_not_found or jurisdiction_not_supported', content: errorContent },
  413: { description: 'invalid_request: request body too large', content: errorContent },
  415: { description: 'invalid_request: body sent without Content-Type: application/json', content: errorContent },
  429: {
    description:
      'burst_limit_exceeded (per minute; costs no quota), rate_limit_exceeded (monthly quota or the demo cap), force_refresh_limit_exceeded (10 in any rolling hour), webhook_limit_exceeded (webhooks per key on your plan; `limit`); the rate limits carry Retry-After and retry_after_seconds, saying when a call frees up',
    headers: { ...RATE_LIMIT_HEADERS, ...RETRY_AFTER_HEADER },
    content: errorContent,
  },
  503: {
    description:
      'jurisdiction_unavailable: the portal gave no answer and nothing is cached; `cause` (also named in the message) is one of ' +
      'dns_failure, connection_refused, connection_failed, timeout, http_5xx, http_429, bad_response, breaker_open, queue_full, ' +
      'cancelled, concurrent_update, no_adapter',
    headers: RETRY_AFTER_HEADER,
    content: errorContent,
  },
} as const;

/**
 * The error responses of a route that reads a JSON body. `createRouter` adds them to every such
 * route anyway; listing them is for routes that want them visible at the declaration.
 */
export const bodyErrorResponses = { 400: errorResponses[400], 413: errorResponses[413], 415: errorResponses[415] } as const;

/** The error responses of a route that needs a key with some permission. */
export const authErrorResponses = { 401: errorResponses[401], 403: errorResponses[403] } as const;

/** The error responses of a permit lookup route (status, record, history, inspections). */
export const lookupErrorResponses = {
  300: errorResponses[300],
  400: errorResponses[400],
  ...authErrorResponses,
  404: errorResponses[404],
  429: errorResponses[429],
  503: errorResponses[503],
} as const;

/** A metered 200: the JSON body plus the quota headers. */
export function meteredResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, headers: RATE_LIMIT_HEADERS, content: { 'application/json': { schema } } };
}

/** A required JSON request body for `createRoute({ request: { body } })`. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } };
}

/** A JSON response entry for `createRoute({ responses })`. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}
