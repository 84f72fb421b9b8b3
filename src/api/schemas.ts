import { z } from '@hono/zod-openapi';
import { STATUS_PHASES } from '../permits/record.ts';

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
  force_refresh: z.enum(['true', 'false', '1', '0']).optional().openapi({ description: 'Bypass the 4-hour cache (paid plans)' }),
});

export const errorResponses = {
  300: { description: 'The number matches several jurisdictions', content: { 'application/json': { schema: ErrorBody } } },
  400: { description: 'Bad input', content: { 'application/json': { schema: ErrorBody } } },
  401: { description: 'invalid_api_key', content: { 'application/json': { schema: ErrorBody } } },
  403: { description: 'force_refresh_not_available', content: { 'application/json': { schema: ErrorBody } } },
  404: { description: 'permit_not_found or jurisdiction_not_supported', content: { 'application/json': { schema: ErrorBody } } },
  503: { description: 'jurisdiction_unavailable', content: { 'application/json': { schema: ErrorBody } } },
} as const;

/** A required JSON request body for `createRoute({ request: { body } })`. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } };
}

/** A JSON response entry for `createRoute({ responses })`. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}
