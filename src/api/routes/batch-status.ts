import { createRoute, z } from '@hono/zod-openapi';
import { UNAVAILABLE_CAUSES } from '../../jurisdictions/unavailable-cause.ts';
import { assertUnreachable } from '../../lib/assert-unreachable.ts';
import type { AppEnv } from '../context.ts';
import { checkPermitNumber } from '../../jurisdictions/match.ts';
import {
  candidatesOf,
  lookupPermit,
  MULTIPLE_JURISDICTIONS_MESSAGE,
  notFoundMessage,
  refreshAvailable,
  type LookupFailure,
} from '../lookup-request.ts';
import { permission } from '../require-permission.ts';
import { createRouter } from '../router.ts';
import { authErrorResponses, errorResponses, jsonBody, meteredResponse, PermitStatus } from '../schemas.ts';
import { statusBody } from './permits.ts';
import type { Context } from 'hono';

/** Reference: "Maximum 25 permits per request." */
export const BATCH_MAX_PERMITS = 25;
/** Reference: "resolved concurrently with a 45s timeout each". */
export const DEFAULT_BATCH_TIMEOUT_SECONDS = 45;

const BatchError = z
  .object({
    permit_number: z.string(),
    error: z.enum(['not_found', 'invalid_permit_number', 'multiple_jurisdictions', 'timeout', 'jurisdiction_unavailable']),
    message: z.string(),
    jurisdiction_hint: z.string().nullable(),
    candidates: z.array(z.object({ slug: z.string(), display_name: z.string() })).optional(),
    cause: z.enum(UNAVAILABLE_CAUSES).optional().openapi({ description: 'Why the portal gave no answer (jurisdiction_unavailable)' }),
    retry_after_seconds: z.number().int().optional(),
  })
  .openapi('BatchError');

/** The batch's request body; the MCP tool `batch_permit_status` takes the same. */
export const BatchStatusRequest = z.object({
  permit_numbers: z
    .array(
      z.union([z.string().max(200), z.object({ permit_number: z.string().max(200), jurisdiction: z.string().min(1).max(100).optional() })]),
    )
    .min(1)
    .max(BATCH_MAX_PERMITS)
    .openapi({ description: 'Numbers, or {permit_number, jurisdiction} items to mix jurisdictions in one batch' }),
  jurisdiction: z.string().min(1).max(100).optional().openapi({ description: 'Applies to every number' }),
});

export const BatchStatus = z.object({ results: z.array(PermitStatus), errors: z.array(BatchError) }).openapi('BatchStatus');

const batchRoute = createRoute({
  method: 'post',
  path: '/permits/batch-status',
  middleware: permission('read'),
  tags: ['Permits'],
  summary: `Status of 1–${BATCH_MAX_PERMITS} permits at once; always 200 with results and errors`,
  request: {
    body: jsonBody(BatchStatusRequest),
  },
  responses: {
    200: meteredResponse(BatchStatus, 'Per-permit results and errors'),
    ...authErrorResponses,
    429: errorResponses[429],
  },
});

type BatchErrorBody = z.infer<typeof BatchError>;
const TIMED_OUT = Symbol('timeout');

/** One permit's failed lookup as its batch `errors` entry (reference: batch errors). */
function toBatchError(permit_number: string, number: string, failure: Exclude<LookupFailure, { reason: 'cancelled' }>): BatchErrorBody {
  switch (failure.reason) {
    case 'permit_not_found':
      return { permit_number, error: 'not_found', message: notFoundMessage(number, failure), jurisdiction_hint: failure.jurisdiction.slug };
    case 'jurisdiction_not_supported':
      return { permit_number, error: 'not_found', message: failure.message, jurisdiction_hint: null };
    case 'invalid_permit_number':
      return { permit_number, error: 'invalid_permit_number', message: failure.message, jurisdiction_hint: null };
    case 'multiple_jurisdictions':
      return {
        permit_number,
        error: 'multiple_jurisdictions',
        message: MULTIPLE_JURISDICTIONS_MESSAGE,
        jurisdiction_hint: null,
        candidates: candidatesOf(failure),
      };
    case 'jurisdiction_unavailable':
      return {
        permit_number,
        error: 'jurisdiction_unavailable',
        message: failure.message,
        jurisdiction_hint: failure.jurisdiction.slug,
        cause: failure.cause,
        retry_after_seconds: failure.retry_after_seconds,
      };
    default:
      return assertUnreachable(failure);
  }
}

/**
 * One permit of a batch. `deadline` aborts when the batch's time is up or its client went away:
 * the lookup is then cancelled (it leaves the portal's queue or is cut off, DESIGN.md §1's write
 * path never sees it), and the answer stops waiting even if some step does not heed the signal.
 */
async function one(c: Context<AppEnv>, permit_number: string, jurisdiction: string | undefined, deadline: AbortSignal, timeoutMs: number) {
  const timedOut = {
    error: {
      permit_number,
      error: 'timeout',
      message: `no answer within ${timeoutMs / 1000} s`,
      jurisdiction_hint: jurisdiction ?? null,
    } as BatchErrorBody,
  };
  let onAbort!: () => void;
  const aborted = new Promise<typeof TIMED_OUT>((resolve) => (onAbort = () => resolve(TIMED_OUT)));
  if (deadline.aborted) return timedOut;
  deadline.addEventListener('abort', onAbort, { once: true });
  try {
    const outcome = await Promise.race([lookupPermit(c, { permit_number, jurisdiction }, { metered: false, signal: deadline }), aborted]);
    if (outcome === TIMED_OUT) return timedOut;
    const { number, result } = outcome;
    if (result.ok) return { result: statusBody(result, refreshAvailable(c)) };
    return result.reason === 'cancelled' ? timedOut : { error: toBatchError(permit_number, number, result) };
  } catch (err) {
    if (deadline.aborted) return timedOut;
    throw err;
  } finally {
    deadline.removeEventListener('abort', onAbort);
  }
}

/**
 * The status of a batch for the caller of `c`: charged once (one credit per distinct valid
 * number, given back for permits that got no answer), each permit looked up under one deadline,
 * answered as results and errors. The REST
 * route and the MCP tool `batch_permit_status` both answer with it.
 */
export async function batchStatus(
  c: Context<AppEnv>,
  { permit_numbers, jurisdiction }: z.infer<typeof BatchStatusRequest>,
  timeoutSeconds: number,
): Promise<z.infer<typeof BatchStatus>> {
  // Duplicates (after normalising case and spaces) are looked up and answered once.
  const items = permit_numbers.map((item) =>
    typeof item === 'string'
      ? { permit_number: item.trim(), jurisdiction }
      : { permit_number: item.permit_number.trim(), jurisdiction: item.jurisdiction ?? jurisdiction },
  );
  const unique = [...new Map(items.map((i) => [`${i.permit_number.toUpperCase()}\u0000${i.jurisdiction ?? ''}`, i])).values()];
  // One burst slot for the request, one credit per distinct valid permit number: an invalid one
  // is answered without a lookup and is free, as it is on the single-permit route (issue 16).
  const valid = unique.filter((i) => checkPermitNumber(i.permit_number).ok).length;
  await c.get('meter')(c, { cost: valid, forceRefresh: false });
  const timeoutMs = timeoutSeconds * 1000;
  // Reference: "a 45s timeout each", and they all start now: one deadline covers the batch.
  const deadline = AbortSignal.any([c.req.raw.signal, AbortSignal.timeout(timeoutMs)]);
  const outcomes = await Promise.all(unique.map((i) => one(c, i.permit_number, i.jurisdiction, deadline, timeoutMs)));
  const errors = outcomes.flatMap((o) => ('error' in o && o.error ? [o.error] : []));
  // Only answered permits are charged (issue 21, defect 4): unavailable and timed-out ones are given back.
  const unanswered = errors.filter((e) => e.error === 'jurisdiction_unavailable' || e.error === 'timeout').length;
  if (unanswered > 0) await c.get('meter').refund(c, unanswered);
  return { results: outcomes.flatMap((o) => ('result' in o && o.result ? [o.result] : [])), errors };
}

export function batchStatusRoutes(deps: { timeoutSeconds: number }) {
  const app = createRouter();
  app.openapi(batchRoute, async (c) => c.json(await batchStatus(c, c.req.valid('json'), deps.timeoutSeconds), 200));
  return app;
}
