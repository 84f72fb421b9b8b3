import type { Context } from 'hono';
import { checkPermitNumber } from '../jurisdictions/match.ts';
import { assertUnreachable } from '../lib/assert-unreachable.ts';
import type { LookupResult } from '../ingest/lookup.ts';
import type { AppEnv } from './context.ts';
import { ApiError } from './errors.ts';

export type Found = Extract<LookupResult, { ok: true }>;

/** Why one permit got no answer: the lookup's own reasons, or a number refused before it ran. */
export type LookupFailure = Extract<LookupResult, { ok: false }> | { ok: false; reason: 'invalid_permit_number'; message: string };

/** A cancelled lookup can be asked again at once: the portal was not the problem. */
const CANCELLED_RETRY_AFTER_SECONDS = 1;

/** Whether the caller's plan lets it bypass the cache (reference: Free plan cannot). */
export function refreshAvailable(c: Context<AppEnv>): boolean {
  const caller = c.get('caller');
  return caller.kind === 'key' && caller.plan.force_refresh;
}

/**
 * One permit looked up for a request: the number checked, force_refresh allowed, the call
 * charged (unless `metered: false`: a batch charges once for all its permits), then the lookup.
 * What went wrong with this permit comes back as a value with its reason; only refusals of the
 * whole request (403 force_refresh_not_available, 429) are thrown. `number` is the normalised
 * number once it passed the check.
 */
export async function lookupPermit(
  c: Context<AppEnv>,
  input: { permit_number: string; jurisdiction?: string; force_refresh?: boolean },
  options: {
    metered?: boolean;
    /** When the caller gives up; the request's own signal (aborted when the client goes away) by default. */
    signal?: AbortSignal;
  } = {},
): Promise<{ number: string; result: Found | LookupFailure }> {
  const checked = checkPermitNumber(input.permit_number);
  if (!checked.ok) return { number: input.permit_number, result: checked };
  const force = input.force_refresh === true;
  if (force && !refreshAvailable(c)) {
    throw new ApiError(403, 'force_refresh_not_available', 'Your plan cannot use force_refresh. Upgrade to a paid plan.');
  }
  // Charged after validation (bad input costs nothing) and before the portal is touched.
  if (options.metered !== false) await c.get('meter')(c, { cost: 1, forceRefresh: force });
  const caller = c.get('caller');
  const result = await c.get('plane').lookup.lookup({
    permitNumber: checked.number,
    jurisdiction: input.jurisdiction,
    forceRefresh: force,
    requestId: c.get('requestId'),
    viewer: caller.kind === 'key' ? caller.key.id : undefined,
    signal: options.signal ?? (() => c.req.raw.signal),
  });
  return { number: checked.number, result };
}

/** The message a permit that is not in its jurisdiction's portal gets, alone or in a batch. */
export function notFoundMessage(number: string, failure: Extract<LookupFailure, { reason: 'permit_not_found' }>): string {
  return `Permit ${number} not found in ${failure.jurisdiction.display_name}`;
}

export const MULTIPLE_JURISDICTIONS_MESSAGE = 'This permit number matches several jurisdictions: pass ?jurisdiction=';

/** The candidates of a 300, as the reference lists them. */
export function candidatesOf(failure: Extract<LookupFailure, { reason: 'multiple_jurisdictions' }>) {
  return failure.candidates.map((j) => ({ slug: j.slug, display_name: j.display_name }));
}

/** A single permit route's documented error for a failed lookup. */
export function lookupError(number: string, failure: LookupFailure): ApiError {
  switch (failure.reason) {
    case 'invalid_permit_number':
      return new ApiError(400, 'invalid_permit_number', failure.message);
    case 'jurisdiction_not_supported':
      return new ApiError(404, 'jurisdiction_not_supported', failure.message);
    case 'multiple_jurisdictions':
      return new ApiError(300, 'multiple_jurisdictions', MULTIPLE_JURISDICTIONS_MESSAGE, {
        candidates: candidatesOf(failure),
        example: `/api/v1/permits/${encodeURIComponent(number)}/status?jurisdiction=${failure.candidates[0]!.slug}`,
      });
    case 'permit_not_found':
      return new ApiError(404, 'permit_not_found', notFoundMessage(number, failure), { jurisdiction: failure.jurisdiction.slug });
    case 'jurisdiction_unavailable':
      return new ApiError(
        503,
        'jurisdiction_unavailable',
        failure.message,
        { jurisdiction: failure.jurisdiction.slug, cause: failure.cause, retry_after_seconds: failure.retry_after_seconds },
        { 'Retry-After': String(failure.retry_after_seconds) },
      );
    case 'cancelled':
      // Our caller went away (or its batch deadline passed): whatever we answer, nobody reads it.
      return new ApiError(
        503,
        'jurisdiction_unavailable',
        'the lookup was cancelled before the portal answered (cancelled)',
        { jurisdiction: failure.jurisdiction.slug, cause: 'cancelled', retry_after_seconds: CANCELLED_RETRY_AFTER_SECONDS },
        { 'Retry-After': String(CANCELLED_RETRY_AFTER_SECONDS) },
      );
    default:
      return assertUnreachable(failure);
  }
}

/** `lookupPermit` for the single-permit routes: a failure is thrown as its documented error. */
export async function lookupForRoute(
  c: Context<AppEnv>,
  input: { permit_number: string; jurisdiction?: string; force_refresh?: boolean },
): Promise<Found> {
  const { number, result } = await lookupPermit(c, input);
  if (result.ok) return result;
  throw lookupError(number, result);
}
